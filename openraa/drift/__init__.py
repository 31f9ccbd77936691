"""Drift and caseloads: the timescales that are overdue or due soon, who holds each record, and a
daily e-mail digest of each worker's overdue items."""
