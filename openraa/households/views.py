from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from openraa.audit.selectors import changes_for
from openraa.children.selectors import children_for
from openraa.households.forms import HouseholdFilterForm, HouseholdForm
from openraa.households.models import Applicant, Capability, Household, OtherAdult, StageOneCheck
from openraa.households.selectors import household_list, households_for
from openraa.people import policy
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView

PAGE_SIZE = 50


class HouseholdListView(PolicyView, TemplateView):
    permission = ("household", "view")
    template_name = "households/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        filters = HouseholdFilterForm(self.request.GET or None, councils=policy.councils_for(user, "household", "view"))
        criteria = filters.cleaned_data if filters.is_valid() else {}
        page = Paginator(household_list(user, **criteria), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            filters=filters, page=page, can_add=policy.can(user, "household", "add"), **kwargs
        )


class HouseholdDetailView(PolicyView, TemplateView):
    permission = ("household", "view")
    template_name = "households/detail.html"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        household = get_object_or_404(households_for(user).select_related("home_council"), pk=pk)
        show_restricted = "applicants" not in policy.hidden_fields(user, household)
        children = children_for(user).filter(household=household) if policy.can(user, "child", "view") else []
        return super().get_context_data(
            household=household,
            applicants=list(household.applicants.all()) if show_restricted else [],
            capabilities=[c for c in household.capabilities.all() if c.level != "none"],
            children=list(children),
            step_url=reverse("journeys:household-step", args=[household.pk]),
            correct_url=f"/households/{household.pk}/steps/",
            can_decide=policy.can(user, "panel", "decide"),
            decision_correct_url=f"/panels/decisions/households/{household.pk}/",
            changes=changes_for(
                household,
                user,
                parts=[
                    ("Applicant", Applicant, "household"),
                    ("Other adult", OtherAdult, "household"),
                    ("Stage 1 check", StageOneCheck, "household"),
                    ("Needs they can meet", Capability, "household"),
                ],
            ),
            show_restricted=show_restricted,
            can_edit=policy.can_on(user, household, "household", "change"),
            can_match=policy.can(user, "matching", "view"),
            today=timezone.localdate(),
            **kwargs,
        )


class HouseholdFormView(PolicyView, FormView):
    template_name = "households/form.html"
    form_class = HouseholdForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["councils"] = policy.councils_for(self.request.user, "household", self.permission[1])
        kwargs["instance"] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["first_applicant"] = context["form"].applicant_fields(1)
        context["second_applicant"] = context["form"].applicant_fields(2)
        return context

    def form_valid(self, form):
        try:
            household = form.save()
        except ValidationError as refused:  # someone saved the record meanwhile, or a rule refused it
            add_errors(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, f"{household.reference} saved")
        return redirect("households:detail", pk=household.pk)


class HouseholdCreateView(HouseholdFormView):
    permission = ("household", "add")

    def get_object(self):
        return Household(agency=self.request.user.agency)


class HouseholdEditView(HouseholdFormView):
    permission = ("household", "change")

    def get_object(self):
        return get_object_or_404(households_for(self.request.user, "change"), pk=self.kwargs["pk"])
