from django.views.generic import TemplateView

from openraa.audit.selectors import agency_changes, record_views
from openraa.web.views import PolicyView


class AuditLogView(PolicyView, TemplateView):
    """Administrators read the agency's change log and record views. There is no edit or delete."""

    permission = ("audit", "view")
    template_name = "audit/log.html"

    def get_context_data(self, **kwargs):
        agency = self.request.user.agency
        return super().get_context_data(changes=agency_changes(agency), views=record_views(agency), **kwargs)
