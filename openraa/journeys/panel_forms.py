from django import forms
from django.db.models import Q

from openraa.children.domain import ChildStage
from openraa.children.selectors import children_to_attach_to
from openraa.common import parsing
from openraa.households.domain import HouseholdStage
from openraa.households.models import panel_checks_refusal
from openraa.households.selectors import households_for
from openraa.journeys import panels
from openraa.journeys.models import PanelMember
from openraa.people.models import User
from openraa.web.forms import GovukForm, GovukModelForm


class PanelMemberForm(GovukModelForm):
    class Meta:
        model = PanelMember
        fields = ["name", "role", "user"]

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(agency=agency, is_active=True).order_by(
            "last_name", "first_name"
        )
        self.fields["user"].empty_label = "Not a user of OpenRAA"


class AttendanceForm(GovukForm):
    attended_by = forms.ModelMultipleChoiceField(
        label="Members who attended on the day",
        queryset=PanelMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, agency, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The agency's active members, and any who attended before they left the list.
        attended = Q(meetings=meeting) if meeting is not None and meeting.pk else Q(pk__in=[])
        self.fields["attended_by"].queryset = PanelMember.objects.filter(
            Q(active=True) | attended, agency=agency
        ).distinct()


class MeetingForm(GovukForm):
    held_on = forms.DateField(label="Date of the panel", error_messages={"required": "Enter the date of the panel"})
    attended_by = forms.ModelMultipleChoiceField(
        label="Members who attended",
        queryset=PanelMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended_by"].queryset = PanelMember.objects.filter(agency=agency, active=True)


class AgendaItemForm(GovukForm):
    """What the panel considers. A match is the household with the children linked with it; a
    change of plan names the child by reference."""

    kind = forms.ChoiceField(label="Item", choices=list(panels.ITEM_KIND_LABELS.items()), widget=forms.RadioSelect)
    household = forms.ModelChoiceField(
        label="Household",
        queryset=None,
        required=False,
        widget=forms.HiddenInput,  # found by search (agenda.py)
    )
    child_reference = forms.CharField(
        label="Child reference (change of plan only)", required=False, help_text="For example, C-000123"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["household"].queryset = households_for(user).exclude(stage=HouseholdStage.CLOSED).order_by("-id")

    def clean(self):
        cleaned = super().clean()
        kind, household = cleaned.get("kind"), cleaned.get("household")
        cleaned["children"] = []
        if (
            kind in (panels.ItemKind.HOUSEHOLD_APPROVAL, panels.ItemKind.REVIEW, panels.ItemKind.MATCH)
            and not household
        ):
            self.add_error("household", "Choose the household the panel considers")
        if kind == panels.ItemKind.HOUSEHOLD_APPROVAL and household:
            refused = panel_checks_refusal(household)  # Stage 1 checks complete, none barring approval
            if refused:
                self.add_error("household", refused)
        if kind == panels.ItemKind.MATCH and household:
            cleaned["children"] = list(
                children_to_attach_to(self.user).filter(household=household, stage=ChildStage.LINKED)
            )
            if not cleaned["children"]:
                self.add_error("household", f"No child is linked with {household.reference}: record the link first")
        if kind == panels.ItemKind.PLAN_CHANGE:
            key = parsing.reference(cleaned.get("child_reference"), "C")
            child = children_to_attach_to(self.user).filter(pk=key).first() if key is not None else None
            if child is None:
                self.add_error("child_reference", "Enter the reference of a child you may see, like C-000123")
            else:
                cleaned["children"] = [child]
        return cleaned


class RecommendationForm(GovukForm):
    recommendation = forms.ChoiceField(
        label="The panel's recommendation",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's recommendation"},
        choices=[
            (panels.Recommendation.RECOMMEND, "Recommended"),
            (panels.Recommendation.NOT_RECOMMEND, "Not recommended"),
            (panels.Recommendation.DEFERRED, "Deferred"),
        ],
    )
    reasons = forms.CharField(label="The panel's reasons", widget=forms.Textarea)


class MinutesForm(GovukForm):
    final_minutes_on = forms.DateField(label="Date the final minutes were received")


class DecisionForm(GovukForm):
    agrees = forms.TypedChoiceField(
        label="Do you agree with the panel's recommendation?",
        widget=forms.RadioSelect,
        choices=[("yes", "Yes, I agree"), ("no", "No, I disagree")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Select whether you agree with the panel's recommendation"},
    )
    reasons = forms.CharField(
        label="Reasons for your decision",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reasons for your decision"},
    )
    decided_on = forms.DateField(
        label="Date of the decision", error_messages={"required": "Enter the date of the decision"}
    )


class ResponseForm(GovukForm):
    response = forms.ChoiceField(
        label="What did the household do?",
        widget=forms.RadioSelect,
        choices=[
            ("representations", "Made representations to the decision maker"),
            ("irm", "Applied to the Independent Review Mechanism"),
        ],
        error_messages={"required": "Select what the household did"},
    )
    response_on = forms.DateField(label="Date received", error_messages={"required": "Enter the date received"})


class IrmForm(GovukForm):
    irm_recommendation = forms.ChoiceField(
        label="The IRM panel's recommendation",
        widget=forms.RadioSelect,
        choices=[("approve", "Suitable to adopt"), ("not_approve", "Not suitable to adopt")],
        error_messages={"required": "Select the IRM panel's recommendation"},
    )
    irm_recommended_on = forms.DateField(
        label="Date the recommendation was received",
        error_messages={"required": "Enter the date the recommendation was received"},
    )


class FinalDecisionForm(GovukForm):
    approve = forms.TypedChoiceField(
        label="Your final decision",
        widget=forms.RadioSelect,
        choices=[("yes", "Approve as suitable to adopt"), ("no", "Not approved")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Select your final decision"},
    )
    reasons = forms.CharField(
        label="Reasons for your decision",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reasons for your decision"},
    )
    decided_on = forms.DateField(
        label="Date of the decision", error_messages={"required": "Enter the date of the decision"}
    )


class ShouldBePlacedForm(GovukForm):
    reasons = forms.CharField(
        label="Reasons for your decision",
        widget=forms.Textarea,
        error_messages={"required": "Enter the reasons for your decision"},
    )
    decided_on = forms.DateField(
        label="Date of the decision", error_messages={"required": "Enter the date of the decision"}
    )


class DecisionCorrectionForm(GovukForm):
    action = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        choices=[("correct", "Correct the date"), ("withdraw", "Withdraw the decision: it was recorded in error")],
        error_messages={"required": "Select whether to correct or withdraw"},
    )
    occurred_on = forms.DateField(label="Correct date", required=False)
    note = forms.CharField(label="Reason", widget=forms.Textarea, error_messages={"required": "Give the reason"})
