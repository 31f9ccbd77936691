def adopter(request) -> dict:
    """The signed-in adopter, for the families' pages' header (set by accounts.adopter_required)."""
    return {"adopter": getattr(request, "adopter", None)}
