"""Family finding pages. The engine ranks and explains; people decide and record."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from openraa.audit.models import RecordView
from openraa.audit.reads import record_views_bulk, shown
from openraa.children.models import Child
from openraa.children.selectors import children_for
from openraa.households.selectors import households_for
from openraa.matching import escalation, selectors, services
from openraa.matching.forms import (
    FACTOR_LABELS,
    CloseInterestForm,
    InterestForm,
    LinkForm,
    MatchingSettingsForm,
    PutForwardForm,
    VisitForm,
)
from openraa.matching.models import Escalation, Interest, MatchingSettings, settings_for
from openraa.partnership.models import Agency
from openraa.people import policy
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class ChildShortlistView(PolicyView, TemplateView):
    permission = ("matching", "view")
    template_name = "matching/child.html"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        child = get_object_or_404(selectors.matchable_children(user).select_related("agency", "sibling_group"), pk=pk)
        today = timezone.localdate()
        with_reasons = self.request.GET.get("excluded") == "1"
        unit, members, result, records, reasons = selectors.child_shortlist(
            child, today, viewer=user, with_reasons=with_reasons
        )
        may_see_household = policy.can(user, "household", "view")
        return super().get_context_data(
            child=child,
            unit=unit,
            members=members,
            shortlist=result,
            candidates=[(c, records.get(c.household_id)) for c in result.candidates],
            reasons=sorted(reasons.items()),
            with_reasons=with_reasons,
            interests=list(selectors.interests_for(members)),
            visits=list(selectors.visits_for(members)),
            may_see_household=may_see_household,
            can_change=policy.can(user, "matching", "change") and policy.can_on(user, child, "child", "change"),
            **kwargs,
        )


class HouseholdCandidatesView(PolicyView, TemplateView):
    permission = ("matching", "view")
    template_name = "matching/household.html"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        household = get_object_or_404(households_for(user).select_related("agency", "home_council"), pk=pk)
        today = timezone.localdate()
        rows = selectors.household_candidates(household, user, today)
        interests = list(selectors.household_interests(household))
        cap = settings_for(household.agency).max_open_interests
        return super().get_context_data(
            household=household,
            rows=rows,
            rules=selectors.household_rules(household),
            interests=interests,
            open_interests=sum(1 for i in interests if i.is_open),
            cap=cap,
            visits=list(household.visits.select_related("child").order_by("-visited_on", "-id")),
            can_close=policy.can(user, "matching", "change") and policy.can_on(user, household, "household", "change"),
            **kwargs,
        )


class RegionalMatchingView(PolicyView, TemplateView):
    """Every waiting child or sibling group the reader may see: blocked ones first, with what blocks
    them and what would unblock them, then the region-wide suggestion beside first come, first served."""

    permission = ("matching", "view")
    template_name = "matching/regional.html"

    def get_context_data(self, **kwargs):
        data = selectors.regional(self.request.user, timezone.localdate())
        rows = data["rows"]
        suggestion = data["suggestion"]
        worst = max((g.children for g in data["gaps"]), default=1) or 1
        return super().get_context_data(
            blocked=[r for r in rows if r.reach.blocked],
            unsuggested=[r for r in rows if not r.reach.blocked and r.suggested is None],
            suggested=[r for r in rows if r.suggested is not None],
            # One loop in the template (an include per row cost a second at 2,347 rows).
            viable=[r for r in rows if not r.reach.blocked],
            waiting=len(rows),
            only_optimum=len(suggestion.extra_units),
            only_first_come=len(suggestion.missed_units),
            gaps=[(g, round(100 * g.children / worst)) for g in data["gaps"]],
            targets=data["targets"],
            reach=data["reach"],
            searched=selectors.searched_agencies(self.request.user.agency),
            can_change=policy.can(self.request.user, "matching", "change"),
            **kwargs,
        )


class MatchingSettingsView(PolicyView, TemplateView):
    """The agency's matching weights, distance rules and neighbouring agencies, as they stand."""

    permission = ("matching", "view")
    template_name = "matching/settings.html"

    def get_context_data(self, **kwargs):
        agency = self.request.user.agency
        config = settings_for(agency)
        named = list(config.share_with.order_by("name")) if config.pk else []
        names_us = set(MatchingSettings.objects.filter(share_with=agency).values_list("agency_id", flat=True))
        changes = (
            list(config.history.select_related("history_user").order_by("-history_date")[:10]) if config.pk else []
        )
        return super().get_context_data(
            config=config,
            weights=[(label, getattr(config, name)) for name, label in FACTOR_LABELS.items()],
            sharing=[(other, other.pk in names_us) for other in named],
            named_by=Agency.objects.filter(pk__in=names_us - {a.pk for a in named}).order_by("name"),
            changes=changes,
            can_configure=policy.can(self.request.user, "matching", "configure"),
            **kwargs,
        )


class MatchingSettingsEditView(PolicyView, FormView):
    """Team managers and administrators set the weights; the history keeps every earlier setting."""

    permission = ("matching", "configure")
    template_name = "matching/settings.html"

    def get_form(self, form_class=None):
        return MatchingSettingsForm(self.request.POST or None, instance=settings_for(self.request.user.agency))

    def get_context_data(self, **kwargs):
        return super().get_context_data(editing=True, **kwargs)

    def form_valid(self, form):
        services.save_settings(
            form.save(commit=False), by=self.request.user, share_with=form.cleaned_data.get("share_with")
        )
        messages.success(
            self.request, "Matching settings saved: shortlists and the regional suggestion use them from now"
        )
        return redirect("matching:settings")


class _UnitAction(PolicyView, FormView):
    """Record something between a child's unit and a household, from the child's shortlist."""

    permission = ("matching", "change")
    template_name = "matching/action_form.html"
    submit_label = "Save"

    def dispatch(self, request, *args, **kwargs):
        self.child = get_object_or_404(children_for(request.user, "change"), pk=kwargs["pk"])
        self.household = get_object_or_404(households_for(request.user), pk=kwargs["household"])
        self.members = list(selectors.unit_members(self.child))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            child=self.child, household=self.household, members=self.members, title=self.title, **kwargs
        )

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.done)
        return redirect("matching:child", pk=self.child.pk)


class InterestView(_UnitAction):
    """Before an interest is recorded, the household's worker sees the rules that would exclude it
    and how many open interests it holds against its agency's cap."""

    form_class = InterestForm
    title = "Record an expression of interest"
    done = "Expression of interest recorded"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            rules=selectors.rules_between(self.child, self.household, today, viewer=self.request.user),
            household_rules=selectors.household_rules(self.household),
            open_interests=self.household.interests.filter(status=Interest.Status.OPEN).count(),
            cap=settings_for(self.household.agency).max_open_interests,
            **kwargs,
        )

    def save(self, data):
        services.record_interest(
            self.members,
            self.household,
            data["direction"],
            data["expressed_on"],
            by=self.request.user,
            note=data["note"],
        )


class VisitView(_UnitAction):
    form_class = VisitForm
    title = "Record a visit"
    done = "Visit recorded"

    def save(self, data):
        services.record_visit(self.members, self.household, data["visited_on"], data["note"], by=self.request.user)


class LinkView(_UnitAction):
    """A link is confirmed on a second page that says what it does: every child of the unit linked,
    and every other open interest of the unit or the household closed with the reason."""

    form_class = LinkForm
    title = "Link with this household"
    submit_label = "Continue"
    done = "Link recorded: take it to the matching panel when ready"

    def form_valid(self, form):
        if self.request.POST.get("confirm") != "yes":
            others = Interest.objects.filter(status=Interest.Status.OPEN).filter(
                Q(child__in=self.members) | Q(household=self.household)
            )
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    confirming=True,
                    closing=others.exclude(child__in=self.members, household=self.household).count(),
                )
            )
        return super().form_valid(form)

    def save(self, data):
        if not all(policy.can_on(self.request.user, c, "child", "change") for c in self.members):
            raise PermissionDenied
        services.link(self.members, self.household, data["linked_on"], by=self.request.user, note=data["note"])


class CloseInterestView(PolicyView, FormView):
    """Decline (the child's side) or withdraw (the household's side) an open interest, with the
    reason both workers then read. Either side's worker may close it."""

    permission = ("matching", "change")
    template_name = "matching/close_interest.html"
    form_class = CloseInterestForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        interest = get_object_or_404(
            Interest.objects.select_related("child", "household"), pk=kwargs["pk"], status=Interest.Status.OPEN
        )
        child_side = children_for(user, "change").filter(pk=interest.child_id).exists()
        household_side = households_for(user).filter(pk=interest.household_id).exists() and policy.can_on(
            user, interest.household, "household", "change"
        )
        if not (child_side or household_side):
            raise Http404
        self.interest, self.child_side = interest, child_side
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"status": Interest.Status.DECLINED if self.child_side else Interest.Status.WITHDRAWN}

    def get_context_data(self, **kwargs):
        return super().get_context_data(interest=self.interest, back=self._back(), **kwargs)

    def _back(self) -> str:
        if self.child_side:
            return reverse("matching:child", args=[self.interest.child_id])
        return reverse("matching:household", args=[self.interest.household_id])

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.close_interest(
                self.interest, data["status"], data["closed_on"], data["reason"], by=self.request.user
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Interest closed: both workers can read the reason")
        return redirect(self._back())


class OffersView(PolicyView, TemplateView):
    """Profiles other agencies could not place, offered to this agency: the anonymised profile and
    this agency's own households, scored by the same engine. Nothing else of the child is read."""

    permission = ("matching", "view")
    template_name = "matching/offers.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        offers = (
            Escalation.objects.filter(to_agency=user.agency)
            .select_related("child__agency")
            .order_by("status", "-offered_on", "-id")
        )
        score = escalation.offer_scorer(user.agency, today)
        rows = []
        for offer in offers:
            # The receiving agency reads the anonymised profile only: logged against the children.
            shown(
                self.request, list(selectors.unit_members(offer.child)), RecordView.Channel.PROFILE, "Offered profile"
            )
            shortlist = score(offer) if offer.status != Escalation.Status.CLOSED else None
            rows.append(
                {
                    "offer": offer,
                    "from_agency": offer.child.agency.name,
                    "profile": offer.profile,
                    "candidates": [
                        {
                            "household_id": c.household_id,
                            "household_pk": int(c.household_id.removeprefix("H-")),
                            "summary": c.summary,
                            "points": c.points,
                        }
                        for c in (shortlist.candidates[:5] if shortlist else ())
                    ],
                    "interests": list(
                        Interest.objects.filter(
                            child__in=selectors.unit_members(offer.child), household__agency=user.agency
                        ).select_related("household")
                    ),
                }
            )
        return super().get_context_data(
            rows=rows,
            receives=settings_for(user.agency).receive_escalations,
            can_change=policy.can(user, "matching", "change"),
            **kwargs,
        )


class PutForwardView(PolicyView, FormView):
    """This agency puts one of its households forward for an offered profile: an expression of
    interest the child's agency sees on the child's family finding, within the household's cap."""

    permission = ("matching", "change")
    template_name = "matching/put_forward.html"
    form_class = PutForwardForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        self.offer = get_object_or_404(
            Escalation.objects.exclude(status=Escalation.Status.CLOSED), pk=kwargs["pk"], to_agency=user.agency
        )
        self.household = get_object_or_404(households_for(user).filter(agency=user.agency), pk=kwargs["household"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(offer=self.offer, household=self.household, **kwargs)

    def form_valid(self, form):
        try:
            escalation.put_forward(self.offer, self.household, form.cleaned_data["note"], by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.household.reference} put forward: the child's agency has been told")
        return redirect("matching:offers")


class ProfilePackView(PolicyView, View):
    """The agency's children waiting past its escalation time with no viable household, as the
    profile pack for national family finding (JSON, format in the README). Audited per child."""

    permission = ("matching", "change")

    def get(self, request):
        today = timezone.localdate()
        pack, members = escalation.profile_pack(request.user.agency, today, viewer=request.user)
        record_views_bulk(
            request.user, Child, [c.pk for c in members], request, RecordView.Channel.EXPORT, "Profile pack"
        )
        response = HttpResponse(json.dumps(pack, indent=2), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="profile-pack-{today.isoformat()}.json"'
        response["Cache-Control"] = "no-store"
        return response
