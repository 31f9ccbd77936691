"""OpenRAA: the shared record of a Regional Adoption Agency."""
