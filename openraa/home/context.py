from django.urls import reverse

from openraa.people import policy
from openraa.permanence.selectors import runs_permanence

_ITEMS = (
    ("Home", "home", "aggregates"),
    ("My work", "my-work", "aggregates"),
    ("Children", "children:list", "child"),
    ("Households", "households:list", "household"),
    ("Drift", "drift:mine", "drift"),
    ("Family finding", "matching:regional", "matching"),
    ("Recruitment", "families-staff:recruitment", "aggregates"),
    ("Panels", "panels:list", "panel"),
    ("Performance", "performance:scorecard", "aggregates"),
    ("Finance", "finance:budget", "aggregates"),
    ("Adoption support", "support:list", "support"),
    ("Permanence", "permanence:overview", "permanence"),
    ("Simulation", "simulation:board", "aggregates"),
    ("Partnership", "partnership:agency", "aggregates"),
    ("Governance", "governance:overview", "governance"),
    ("SSDA903", "interchange:ssda903", "interchange"),
    ("Audit log", "audit:log", "audit"),
)


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    items = []
    for text, name, resource in _ITEMS:
        if not policy.can(user, resource, "view"):
            continue
        if name == "permanence:overview" and not runs_permanence(user):
            continue  # shown once the agency runs a function of wider permanence
        href = reverse(name)
        current = request.path == href if name == "home" else request.path.startswith(href)
        items.append({"text": text, "href": href, "current": current})
    return {"navigation": items}
