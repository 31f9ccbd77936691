"""The partnership administration forms: each offers only the agency's own councils, bases, staff
and secondments, so another agency's record cannot be chosen."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from openraa.partnership import secondments
from openraa.partnership.models import Base, Council, CouncilRole, Membership, Team
from openraa.people.models import Secondment, User
from openraa.web.forms import GovukForm, GovukModelForm


def _councils(agency):
    return Council.objects.filter(memberships__agency=agency).distinct().order_by("name")


class JoinForm(GovukForm):
    ons_code = forms.CharField(
        label="ONS code of the council",
        max_length=20,
        help_text="For example E08000011 for Knowsley: councils are found in the bundled register",
    )
    joined_on = forms.DateField(label="Member from")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)


class LeaveForm(GovukForm):
    membership = forms.ModelChoiceField(Membership.objects.none(), label="Council", empty_label=None)
    left_on = forms.DateField(label="Leaves on", help_text="Its first day no longer a member")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = (
            Membership.objects.filter(agency=agency, left_on__isnull=True)
            .select_related("council")
            .order_by("council__name")
        )
        field.label_from_instance = lambda m: f"{m.council.name} (member since {m.joined_on:%d/%m/%Y})"


class CouncilRoleForm(GovukForm):
    kind = forms.ChoiceField(label="Which role changes", choices=CouncilRole.Kind.choices, widget=forms.RadioSelect)
    council = forms.ModelChoiceField(
        Council.objects.none(),
        label="Council from that day",
        required=False,
        empty_label="None: no council holds the role from that day",
    )
    starts_on = forms.DateField(label="From", help_text="The council holding it now keeps it until the day before")
    note = forms.CharField(label="Why", max_length=200, required=False, help_text="For example the decision made")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = _councils(agency)


class BaseForm(GovukModelForm):
    class Meta:
        model = Base
        fields = ["name", "kind", "council", "desks", "address"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, instance=Base(agency=agency), **kwargs)
        self.fields["council"].queryset = _councils(agency)
        self.fields["council"].empty_label = "Not in one council's area"


class TeamForm(GovukModelForm):
    class Meta:
        model = Team
        fields = ["name", "kind", "base"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, instance=Team(agency=agency), **kwargs)
        self.fields["base"].queryset = Base.objects.filter(agency=agency)
        self.fields["base"].empty_label = "No fixed base"


def _staff(agency):
    return User.objects.filter(agency=agency, is_active=True).order_by("last_name", "first_name")


class HeadOfServiceForm(GovukForm):
    user = forms.ModelChoiceField(User.objects.none(), label="Head of Service")
    starts_on = forms.DateField(label="From", help_text="The present Head of Service's term ends the day before")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _staff(agency)


class SecondmentForm(GovukModelForm):
    class Meta:
        model = Secondment
        fields = ["user", "from_council", "starts_on", "ends_on", "terms"]
        labels = {"user": "Member of staff"}

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _staff(agency)
        self.fields["from_council"].queryset = Council.objects.filter(
            Q(memberships__agency=agency) | Q(employees__agency=agency)
        ).distinct()


class EndSecondmentForm(GovukForm):
    secondment = forms.ModelChoiceField(Secondment.objects.none(), label="Secondment", empty_label=None)
    ends_on = forms.DateField(label="Last day")

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["secondment"]
        field.queryset = Secondment.objects.filter(user__agency=agency, ends_on__isnull=True).select_related(
            "user", "from_council"
        )
        field.label_from_instance = lambda s: f"{s.user}, from {s.from_council} since {s.starts_on:%d/%m/%Y}"


class OnDayForm(GovukForm):
    """Who held the roles on a past (or future) day: the agency page's look-up."""

    on = forms.DateField(label="On")

    def day(self):
        return self.cleaned_data["on"] if self.is_valid() else timezone.localdate()


class StaffArrangementForm(GovukForm):
    staff_arrangement = forms.ChoiceField(
        label="How staff work for the agency, as the partnership agreement says",
        choices=secondments.CHOICES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, agency, **kwargs):
        kwargs.setdefault("initial", {"staff_arrangement": agency.staffing.value})
        super().__init__(*args, **kwargs)
