"""The base page class every area's pages build on."""

from openraa.audit.reads import AuditedPage


class PolicyView(AuditedPage):
    """Mixin for pages: `permission = (resource, action)` is checked by DenyByDefaultMiddleware
    before the view runs; object access goes through policy.restrict in each view. A person's
    record the page renders is audited (openraa.audit.reads)."""

    permission: tuple[str, str] | None = None
