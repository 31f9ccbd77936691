from django.urls import reverse

from openraa.people import policy

_ITEMS = (
    ("Home", "home", "aggregates"),
    ("Children", "children:list", "child"),
    ("Households", "households:list", "household"),
    ("Drift", "drift:mine", "drift"),
    ("Matching", "matching:regional", "matching"),
    ("Panels", "panels:list", "panel"),
    ("Performance", "performance:scorecard", "aggregates"),
    ("Finance", "finance:budget", "aggregates"),
    ("Simulation", "simulation:board", "aggregates"),
    ("Partnership", "partnership:agency", "aggregates"),
    ("SSDA903", "interchange:ssda903", "interchange"),
    ("Audit log", "audit:log", "audit"),
)


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    items = []
    for text, name, resource in _ITEMS:
        if policy.can(user, resource, "view"):
            href = reverse(name)
            current = request.path == href if name == "home" else request.path.startswith(href)
            items.append({"text": text, "href": href, "current": current})
    return {"navigation": items}
