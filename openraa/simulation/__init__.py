"""Discrete-event (time-stepped) simulation of the agency's family finding under different matching
policies. model.py is pure; fit.py reads the record; report.py formats; views.py is the board page."""
