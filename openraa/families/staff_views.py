"""Staff pages of the families' side, under /families/: deciding a registration of interest, asking
for documents and reading what the family uploaded, messages with the family, preparation groups,
publishing a child's anonymised profile, and the recruitment report. Each record is reached through
the reader's grants (households_for, children_for, the user's own agency): anything else is 404.
Every write goes through families/services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from openraa.audit.models import RecordView
from openraa.audit.reads import record_view
from openraa.children.models import Child
from openraa.children.selectors import children_for
from openraa.common.models import today
from openraa.families import front_door, recruitment, services, staff_forms
from openraa.families.models import (
    Enquiry,
    FamilyUpload,
    FrontDoorSettings,
    PreparationGroup,
    PreparationPlace,
    PublishedProfile,
    RegistrationOfInterest,
)
from openraa.households.models import Household
from openraa.households.selectors import households_for
from openraa.matching import adapters, engine
from openraa.matching.selectors import context_for
from openraa.people import policy
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


def names_shown(user, household: Household) -> bool:
    """The family's names, contact details and own words (their registration, their messages and
    files) follow the household's restricted applicants."""
    return "applicants" not in policy.hidden_fields(user, household)


def groups_for(user, action: str = "view"):
    """Preparation groups are the agency's, not any council's: the household grant opens them."""
    if not policy.can(user, "household", action):
        return PreparationGroup.objects.none()
    return PreparationGroup.objects.filter(agency=user.agency_id)


# Households -----------------------------------------------------------------------------------


class _HouseholdPage(PolicyView, FormView):
    permission = ("household", "change")
    template_name = "families/staff/form.html"

    @cached_property
    def household(self) -> Household:
        return get_object_or_404(households_for(self.request.user, self.permission[1]), pk=self.kwargs["pk"])

    def back(self) -> str:
        return reverse("households:detail", args=[self.household.pk]) + "#families"

    def get_context_data(self, **kwargs):
        return super().get_context_data(household=self.household, back=self.back(), **kwargs)

    def refused(self, form, error: ValidationError):
        add_errors(form, error)
        return self.form_invalid(form)


class DecideRegistrationView(_HouseholdPage):
    form_class = staff_forms.DecisionForm

    @cached_property
    def registration(self) -> RegistrationOfInterest:
        return get_object_or_404(self.household.registrations.filter(decision=""), pk=self.kwargs["registration"])

    def get_initial(self):
        return {"decided_on": today()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Decide on the registration of interest",
            button="Save the decision",
            registration=self.registration,
            due=front_door.registration_due(self.registration.submitted_on),
            show_words=names_shown(self.request.user, self.household),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.decide_registration(
                self.registration, form.accepted, data["decided_on"], data["reason"], by=self.request.user
            )
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(self.request, f"The registration of interest of {self.household.reference} is decided")
        return redirect(self.back())


class AskDocumentView(_HouseholdPage):
    form_class = staff_forms.DocumentAskForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Ask the family for a document", button="Ask for it", **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.request_document(
                self.household, data["title"], data["explanation"], data["due_on"], by=self.request.user
            )
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(self.request, f"{self.household.reference} asked for {data['title']}")
        return redirect(self.back())


class SendMessageView(_HouseholdPage):
    form_class = staff_forms.MessageForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Send a message to the family", button="Send the message", **kwargs)

    def form_valid(self, form):
        try:
            services.send_message(self.household, form.cleaned_data["text"], by=self.request.user)
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(self.request, "Message sent: the family is told by e-mail to sign in and read it")
        return redirect(self.back())


class UploadDownloadView(PolicyView, View):
    """A file the family uploaded, served as casework documents are (an attachment the browser does
    not cache or render), the read audited against the household."""

    permission = ("household", "view")

    def get(self, request, pk, upload):
        household = get_object_or_404(households_for(request.user), pk=pk)
        if not names_shown(request.user, household):
            raise Http404  # the same answer as no such file
        stored = get_object_or_404(FamilyUpload.objects.filter(request__household=household), pk=upload)
        try:
            stream = stored.file.open("rb")
        except (FileNotFoundError, OSError, ValueError):
            raise Http404 from None
        record_view(request.user, household, request, RecordView.Channel.EXPORT)
        response = FileResponse(
            stream, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# Preparation groups ---------------------------------------------------------------------------


class GroupListView(PolicyView, TemplateView):
    permission = ("household", "view")
    template_name = "families/staff/groups.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        groups = groups_for(user).annotate(booked=Count("places", filter=Q(places__cancelled_at__isnull=True)))
        now = today()
        return super().get_context_data(
            coming=[g for g in groups if g.ends_on >= now],
            past=[g for g in groups if g.ends_on < now][::-1],
            can_change=policy.can(user, "household", "change"),
            **kwargs,
        )


class _GroupFormView(PolicyView, FormView):
    permission = ("household", "change")
    template_name = "families/staff/form.html"
    form_class = staff_forms.GroupForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def get_context_data(self, **kwargs):
        group = self.get_object()
        return super().get_context_data(
            title=f"Change {group}" if group.pk else "Add a preparation group",
            button="Save the group",
            back=reverse("families-staff:group", args=[group.pk]) if group.pk else reverse("families-staff:groups"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            group = services.save_group(form.instance, by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{group} saved")
        return redirect("families-staff:group", pk=group.pk)


class GroupCreateView(_GroupFormView):
    def get_object(self):
        if not hasattr(self, "_group"):
            self._group = PreparationGroup(agency=self.request.user.agency)
        return self._group


class GroupEditView(_GroupFormView):
    def get_object(self):
        if not hasattr(self, "_group"):
            self._group = get_object_or_404(groups_for(self.request.user, "change"), pk=self.kwargs["pk"])
        return self._group


class GroupDetailView(PolicyView, TemplateView):
    permission = ("household", "view")
    template_name = "families/staff/group.html"

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        group = get_object_or_404(groups_for(user), pk=pk)
        places = list(group.places.select_related("household"))
        can_change = policy.can(user, "household", "change")
        now = today()
        return super().get_context_data(
            group=group,
            places=places,
            booked=sum(1 for p in places if p.cancelled_at is None),
            can_change=can_change,
            may_book=can_change and group.starts_on >= now,
            may_record=can_change and group.starts_on <= now,
            book_form=kwargs.pop("book_form", None) or staff_forms.BookForm(),
            **kwargs,
        )


class BookPlaceView(GroupDetailView):
    permission = ("household", "change")
    http_method_names = ["post"]

    def post(self, request, pk):
        group = get_object_or_404(groups_for(request.user, "change"), pk=pk)
        form = staff_forms.BookForm(request.POST)
        if form.is_valid():
            household = households_for(request.user, "change").filter(pk=form.cleaned_data["household"]).first()
            if household is None:  # the same answer for another agency's household as for none at all
                form.add_error("household", "There is no household with that reference that you can book")
            else:
                try:
                    services.book_place(group, household, by=request.user)
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, f"{household.reference} booked on {group}")
                    return redirect("families-staff:group", pk=group.pk)
        return self.render_to_response(self.get_context_data(pk=pk, book_form=form))


class AttendanceView(PolicyView, View):
    permission = ("household", "change")

    def post(self, request, pk, place):
        group = get_object_or_404(groups_for(request.user, "change"), pk=pk)
        found = get_object_or_404(
            PreparationPlace.objects.filter(group=group, cancelled_at__isnull=True).select_related("group"), pk=place
        )
        form = staff_forms.AttendanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Select whether they attended")
        else:
            try:
                services.record_attendance(found, form.cleaned_data["attended"] == "yes", by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Attendance recorded")
        return redirect("families-staff:group", pk=group.pk)


# Children's published profiles ----------------------------------------------------------------


def may_publish(user, child: Child) -> bool:
    """The responsible council's decision: its own staff who may change the child's record."""
    return (
        child.responsible_council_id == user.employing_council_id
        and not child.sealed
        and policy.can_on(user, child, "child", "change")
    )


class _ChildProfilePage(PolicyView, View):
    permission = ("child", "change")

    @cached_property
    def child(self) -> Child:
        child = get_object_or_404(
            children_for(self.request.user, "change").select_related("responsible_council"), pk=self.kwargs["pk"]
        )
        if not may_publish(self.request.user, child):
            raise Http404  # only the responsible council's staff have these pages
        return child

    def back(self) -> str:
        return reverse("children:detail", args=[self.child.pk]) + "#published-profile"


class PublishProfileView(_ChildProfilePage, FormView):
    template_name = "families/staff/form.html"
    form_class = staff_forms.PublishForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            child=self.child,
            title="Publish the child's profile to approved adopters",
            button="Publish the profile",
            back=self.back(),
            warning="Do not write the child's name, any place, or anything about the birth family: "
            "every approved adopter of the agency reads this.",
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.publish_profile(self.child, form.cleaned_data["summary"], by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The profile of {self.child.reference} is published to approved adopters")
        return redirect(self.back())


class WithdrawProfileView(_ChildProfilePage):
    def post(self, request, pk, profile):
        found = get_object_or_404(
            PublishedProfile.objects.filter(
                unit_reference=adapters.child_unit_id(self.child), withdrawn_on__isnull=True
            ),
            pk=profile,
        )
        services.withdraw_profile(found, by=request.user)
        messages.success(request, f"The profile of {self.child.reference} is withdrawn")
        return redirect(self.back())


# Recruitment report ---------------------------------------------------------------------------


def families_counted(agency_id: int) -> list[recruitment.Family]:
    """Every front-door enquiry of the agency, as the report counts it (two queries)."""
    accepted = set(
        RegistrationOfInterest.objects.filter(
            household__agency_id=agency_id, decision=RegistrationOfInterest.Decision.ACCEPTED
        ).values_list("household_id", flat=True)
    )
    rows = Enquiry.objects.filter(household__agency_id=agency_id).values_list(
        "household_id",
        "source",
        "monitoring",
        "household__stage1_started_on",
        "household__stage2_started_on",
        "household__approved_on",
    )
    return [
        recruitment.Family(
            source,
            monitoring if isinstance(monitoring, dict) else {},
            recruitment.furthest_stage(
                registered=household in accepted,
                stage1=bool(stage1 or stage2),
                approved=approved is not None,
            ),
        )
        for household, source, monitoring, stage1, stage2, approved in rows
    ]


def sufficiency_gaps(agency):
    """The matching engine's sufficiency gaps for the agency's waiting children, as counts only."""
    now = timezone.localdate()
    ctx = context_for(agency, now, in_assessment=True)
    waiting = adapters.seeking_children(Child.objects.unsealed().filter(agency=agency))
    units, _ = adapters.units(waiting, now)
    return engine.sufficiency(units, ctx.pool, ctx.settings)


class RecruitmentView(PolicyView, TemplateView):
    """For the agency's managers and board: aggregates only, suppressed as the board pack is."""

    permission = ("aggregates", "view")
    template_name = "families/staff/recruitment.html"

    def get_context_data(self, **kwargs):
        agency = self.request.user.agency
        return super().get_context_data(
            report=recruitment.report(families_counted(agency.pk)),
            stages=[label for _, label in recruitment.STAGES],
            gaps=recruitment.gap_rows(sufficiency_gaps(agency)),
            may_see_groups=policy.can(self.request.user, "household", "view"),
            **kwargs,
        )


class FrontDoorSettingsView(PolicyView, FormView):
    """What the agency says to the public at /adopt/<code>/ and where it recruits: an administrator's."""

    permission = ("partnership", "change")
    template_name = "families/staff/form.html"
    form_class = staff_forms.FrontDoorForm

    def get_form_kwargs(self):
        agency = self.request.user.agency
        settings = FrontDoorSettings.objects.filter(agency=agency).first() or FrontDoorSettings(agency=agency)
        return {**super().get_form_kwargs(), "instance": settings}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="The public front door",
            button="Save",
            back=reverse("partnership:agency"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.save_front_door(form.instance, by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The front door's page is saved")
        return redirect("families-staff:front-door")
