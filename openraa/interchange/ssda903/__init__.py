"""The DfE SSDA903 return (children looked after) as OpenRAA reads and writes it. Pure Python:
no Django here, so the rules can be read and tested on their own.

- codes.py: the tables (recognised by their exact column sets, as the DfE and the public validator
  recognise them) and the code lists OpenRAA reads.
- reading.py: CSV tables and the XML form into typed rows, each bad row with its reason.
- mapping.py: one child's rows into OpenRAA's adoption milestones (`milestones_from_return`).
- writing.py: a child's milestones into the adoption-relevant tables for a collection year.
"""
