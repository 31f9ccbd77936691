from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from openraa.audit.models import RecordView
from openraa.audit.reads import record_view, withheld
from openraa.audit.selectors import changes_for
from openraa.children import services
from openraa.children.forms import (
    ChildFilterForm,
    ChildForm,
    RecordsRequestForm,
    SealedRecordReasonForm,
    SiblingGroupForm,
)
from openraa.children.models import Child, ChildNeed, SiblingGroup
from openraa.children.selectors import child_list, children_for, mark_complex_needs, sealed_child
from openraa.common.ages import age_in_years
from openraa.people import policy, sharing
from openraa.people.roles import Role
from openraa.people.sharing import ChildAccess
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView

PAGE_SIZE = 50


class ChildListView(PolicyView, TemplateView):
    permission = ("child", "view")
    template_name = "children/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        councils = policy.councils_for(user, "child", "view")
        filters = ChildFilterForm(self.request.GET or None, councils=councils)
        criteria = filters.cleaned_data if filters.is_valid() else {}
        page = Paginator(child_list(user, **criteria), PAGE_SIZE).get_page(self.request.GET.get("page"))
        today = timezone.localdate()
        return super().get_context_data(
            filters=filters,
            page=page,
            rows=[_list_row(user, child, today) for child in mark_complex_needs(list(page))],
            show_names=policy.can(user, "child", "view_restricted"),
            can_add=policy.can(user, "child", "add"),
            **kwargs,
        )


def _list_row(user, child, today) -> dict:
    """One line of the children list, showing no field the user may not see of this child: another
    council's child reads as its profile (age band, no name, council only if the agency shares it)."""
    hidden = policy.hidden_fields(user, child)
    exact_age = "date_of_birth" not in hidden
    return {
        "child": child,
        "name": None if "first_name" in hidden else f"{child.first_name} {child.last_name}",
        "council": None if "responsible_council" in hidden else child.responsible_council.name,
        "age": str(age_in_years(child.date_of_birth, today))
        if exact_age
        else sharing.age_band(child.date_of_birth, today),
        "days_waiting": _days_waiting(child, hidden, today),
    }


def _days_waiting(child, hidden, today) -> int | None:
    """Since the placement order (else the should-be-placed decision), while the child waits; never of
    a record the reader sees only as a profile."""
    if "placement_order_on" in hidden or child.sealed or child.plan_ended_on or child.placed_on:
        return None
    since = child.placement_order_on or child.should_be_placed_on
    return (today - since).days if since else None


class ChildDetailView(PolicyView, TemplateView):
    """One child, as much of the record as the information-sharing rules give the reader: the
    anonymised profile, the record, the child's identity, the birth family. A sealed record opens
    only on a stated reason (POST), and the reason is kept with the audit entry."""

    permission = ("child", "view")
    template_name = "children/detail.html"
    http_method_names = ["get", "post"]

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def get_context_data(self, pk, **kwargs):
        user = self.request.user
        child = get_object_or_404(
            policy.with_child_access(children_for(user), user).select_related(
                "responsible_council", "agency", "sibling_group", "household", "birth_family_council"
            ),
            pk=pk,
        )
        access = policy.child_access(user, child)
        if access == ChildAccess.PROFILE:
            return self.profile(child, **kwargs)
        if child.sealed:
            form = SealedRecordReasonForm(self.request.POST if self.request.method == "POST" else None)
            if not form.is_valid():
                withheld(self.request, child)  # the page asks for a reason and shows nothing of the record
                self.template_name = "children/sealed.html"
                return super().get_context_data(child=child, form=form, **kwargs)
            record_view(user, child, self.request, RecordView.Channel.SEALED, form.stated())
        elif self.request.method == "POST":
            raise PermissionDenied  # only a sealed record is opened by posting a reason
        else:
            record_view(user, child, self.request, RecordView.Channel.PAGE)
        hidden = policy.hidden_fields(user, child, opened=child.sealed)
        siblings = (
            children_for(user).filter(sibling_group=child.sibling_group).exclude(pk=child.pk)
            if child.sibling_group_id
            else Child.objects.none()
        )
        today = timezone.localdate()
        return super().get_context_data(
            child=child,
            age=age_in_years(child.date_of_birth, today),
            needs=list(child.needs.all()),
            workers=list(child.allocated_workers.all()),
            siblings=list(siblings),
            step_url=reverse("journeys:child-step", args=[child.pk]),
            correct_url=f"/children/{child.pk}/steps/",
            can_decide=policy.can(user, "panel", "decide"),
            decision_correct_url=f"/panels/decisions/children/{child.pk}/",
            changes=changes_for(child, user, parts=[("Need", ChildNeed, "child")], opened=child.sealed),
            show_restricted="first_name" not in hidden,
            show_birth_family="birth_mother_name" not in hidden,
            can_edit=policy.can_on(user, child, "child", "change"),
            can_correct_order=child.sealed and user.has_role(Role.TEAM_MANAGER),
            records_requests=list(child.records_requests.select_related("recorded_by")) if child.sealed else [],
            can_match=policy.can(user, "matching", "view") and not child.sealed,
            **kwargs,
        )

    def profile(self, child, **kwargs):
        """The anonymised family-finding profile of another council's child."""
        if self.request.method == "POST":
            raise PermissionDenied
        user = self.request.user
        record_view(user, child, self.request, RecordView.Channel.PROFILE)
        rules = policy.sharing_rules(user)
        group_size = Child.objects.filter(sibling_group=child.sibling_group_id).count() if child.sibling_group_id else 1
        self.template_name = "children/profile.html"
        return super().get_context_data(
            child=child,
            age_band=sharing.age_band(child.date_of_birth, timezone.localdate()),
            needs=list(child.needs.all()),
            group_size=group_size,
            shown={name: label for name, label in sharing.PROFILE_OPTIONAL.items() if name in rules.profile_fields},
            can_match=policy.can(user, "matching", "view"),
            **kwargs,
        )


class ChildFormView(PolicyView, FormView):
    template_name = "children/form.html"
    form_class = ChildForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["councils"] = policy.councils_for(self.request.user, "child", self.permission[1])
        kwargs["instance"] = self.get_object()
        return kwargs

    def form_valid(self, form):
        try:
            child = form.save()
        except ValidationError as refused:  # someone saved the record meanwhile, or a rule refused it
            add_errors(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, f"{child.reference} saved")
        return redirect("children:detail", pk=child.pk)


class ChildCreateView(ChildFormView):
    permission = ("child", "add")

    def get_object(self):
        return Child(agency=self.request.user.agency)


class ChildEditView(ChildFormView):
    permission = ("child", "change")

    def get_object(self):
        return get_object_or_404(children_for(self.request.user, "change"), pk=self.kwargs["pk"])


class SiblingGroupCreateView(PolicyView, FormView):
    """Start a sibling group; children join it from their own record."""

    permission = ("child", "add")
    template_name = "children/sibling_group_form.html"
    form_class = SiblingGroupForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = SiblingGroup(agency=self.request.user.agency)
        return kwargs

    def form_valid(self, form):
        group = services.create_sibling_group(form.save(commit=False), by=self.request.user)
        messages.success(
            self.request, f"Sibling group {group.reference} created: enter {group.reference} on each child's record"
        )
        return redirect("children:list")


class RecordsRequestView(PolicyView, FormView):
    """An adopted adult's request for their adoption records (birth records access): who asked, when,
    how their identity was checked and what was disclosed. Recording it is itself an audited opening
    of the sealed record, with the request as the reason."""

    permission = ("child", "view")
    template_name = "children/records_request.html"
    form_class = RecordsRequestForm

    def dispatch(self, request, *args, **kwargs):
        self.child = sealed_child(request.user, kwargs["pk"]) if request.user.is_authenticated else None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        withheld(self.request, self.child)  # names the sealed record, shows nothing of it: recording is the opening
        return super().get_context_data(child=self.child, **kwargs)

    def form_valid(self, form):
        services.record_records_request(form.save(commit=False), self.child, by=self.request.user, request=self.request)
        messages.success(self.request, f"The records request for {self.child.reference} is recorded")
        return redirect("children:list")
