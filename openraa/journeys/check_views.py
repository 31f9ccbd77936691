"""A household's Stage 1 checks: the page that shows them (the household view grant) and the pages
that record them and the other adults living there (the household change grant). Names only where
the policy shows the applicants (policy.hidden_fields)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from openraa.households import checks
from openraa.households.domain import CLOSED_REASONS
from openraa.households.forms import OtherAdultForm, StageOneCheckForm
from openraa.households.models import Applicant, OtherAdult, StageOneCheck, check_adults
from openraa.households.selectors import households_for
from openraa.households.services import save_other_adult
from openraa.journeys import check_services
from openraa.people import policy
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class _HouseholdChecks(PolicyView):
    action = "view"
    request: Any  # the view's, set by Django before dispatch
    kwargs: dict[str, Any]

    @cached_property
    def household(self):
        return get_object_or_404(households_for(self.request.user, self.action), pk=self.kwargs["pk"])

    @cached_property
    def show_names(self) -> bool:
        return "applicants" not in policy.hidden_fields(self.request.user, self.household)

    @cached_property
    def adults(self) -> list[checks.Adult]:
        return check_adults(self.household, names=self.show_names)

    def checks_url(self) -> str:
        return reverse("journeys:household-checks", args=[self.household.pk])


class HouseholdChecksView(_HouseholdChecks, TemplateView):
    permission = ("household", "view")
    template_name = "households/checks.html"

    def get_context_data(self, **kwargs):
        household, user = self.household, self.request.user
        labels = {adult.key: adult.label for adult in self.adults}
        # A moved-out adult's checks still show, labelled as the reader may see them.
        for number, adult in enumerate(household.other_adults.all(), start=1):
            labels.setdefault(adult.check_key, str(adult) if self.show_names else f"Other adult {number}")
        recorded = list(household.stage_one_checks.all())
        facts = [c.as_check() for c in recorded]
        rows = [{"check": c, "who": labels.get(c.adult_key, "")} for c in recorded]
        closed_by_check = household.closed_reason in checks.CLOSED_REASON_LABELS
        return super().get_context_data(
            household=household,
            rows=rows,
            missing=checks.missing(self.adults, facts),
            barring=[labels.get(f.adult, "") + ": " + checks.KIND_LABELS[f.kind] for f in checks.barring(facts)],
            closed_reason=CLOSED_REASONS.get(household.closed_reason, ""),
            closed_by_check=closed_by_check,
            other_adults=list(household.other_adults.all()) if self.show_names else [],
            show_names=self.show_names,
            can_change=policy.can_on(user, household, "household", "change"),
            **kwargs,
        )


class CheckFormView(_HouseholdChecks, FormView):
    """Record a check, or (with `check`) complete or correct one already recorded."""

    permission = ("household", "change")
    action = "change"
    template_name = "households/check_form.html"
    form_class = StageOneCheckForm

    @cached_property
    def check(self) -> StageOneCheck | None:
        if "check" not in self.kwargs:
            return None
        return get_object_or_404(self.household.stage_one_checks.all(), pk=self.kwargs["check"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "adults": self.adults}

    def get_initial(self):
        check = self.check
        if check is None:
            return {}
        return {
            "adult": check.adult_key,
            "kind": check.kind,
            "requested_on": check.requested_on,
            "completed_on": check.completed_on,
            "outcome": check.outcome,
            "note": check.note,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            household=self.household,
            title="Complete or correct a Stage 1 check" if self.check else "Record a Stage 1 check",
            back=self.checks_url(),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        kind, _, key = data["adult"].partition(":")
        check = self.check or StageOneCheck(household=self.household)
        check.applicant = check.other_adult = None
        try:
            if kind == checks.AdultKind.APPLICANT:
                check.applicant = self.household.applicants.get(pk=int(key))
            else:
                check.other_adult = self.household.other_adults.get(pk=int(key))
        except (ValueError, Applicant.DoesNotExist, OtherAdult.DoesNotExist):
            form.add_error("adult", "Choose an adult of this household")
            return self.form_invalid(form)
        for name in ("kind", "requested_on", "completed_on", "note"):
            setattr(check, name, data[name])
        check.outcome = data["outcome"] or ""
        who = self._plain_label(data["adult"])
        try:
            check_services.record_check(check, by=self.request.user, who=who)
        except ValidationError as refused:
            add_errors(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, f"{checks.KIND_LABELS[check.kind]} recorded for {self.household.reference}")
        return redirect(self.checks_url())

    def _plain_label(self, key: str) -> str:
        """The adult as the journey's readers see them (no name), for the journey's note."""
        unnamed = {adult.key: adult.label for adult in check_adults(self.household, names=False)}
        return unnamed.get(key, "an adult of the household")


class OtherAdultView(_HouseholdChecks, FormView):
    """Add another adult living in the household, or (with `adult`) correct one or record that they
    moved out (names: the household view_restricted grant too)."""

    permission = ("household", "change")
    action = "change"
    template_name = "households/check_form.html"
    form_class = OtherAdultForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.show_names:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def adult(self) -> OtherAdult:
        if "adult" not in self.kwargs:
            return OtherAdult(household=self.household)
        return get_object_or_404(self.household.other_adults.all(), pk=self.kwargs["adult"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.adult}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            household=self.household,
            title="Change another adult living in the household"
            if self.adult.pk
            else "Add another adult living in the household",
            intro="They need an enhanced DBS check and the local authority checks before the household goes to panel.",
            back=self.checks_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            save_other_adult(form.instance, by=self.request.user)
        except ValidationError as refused:
            add_errors(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, f"Other adult saved on {self.household.reference}")
        return redirect(self.checks_url())
