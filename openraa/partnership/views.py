from django.db.models import Count
from django.views.generic import TemplateView

from openraa.partnership.models import Membership
from openraa.people import policy
from openraa.web.views import PolicyView


class AgencyView(PolicyView, TemplateView):
    """The signed-in user's agency: its model, its councils over time and (for administrators) its staff."""

    permission = ("aggregates", "view")
    template_name = "partnership/agency.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        agency = user.agency
        context = super().get_context_data(
            agency=agency,
            memberships=Membership.objects.filter(agency=agency).select_related("council").order_by("council__name", "joined_on"),
            staff_by_employer=agency.staff.values("employing_council__name").annotate(n=Count("id")).order_by("employing_council__name"),
            **kwargs,
        )
        if policy.can(user, "partnership", "view"):
            context["staff"] = agency.staff.select_related("employing_council", "agency").order_by("last_name", "first_name")
        return context
