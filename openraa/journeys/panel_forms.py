from django import forms

from openraa.children.domain import ChildStage
from openraa.children.selectors import children_for
from openraa.common import parsing
from openraa.households.domain import HouseholdStage
from openraa.households.selectors import households_for
from openraa.journeys import panels
from openraa.journeys.models import PanelMember
from openraa.web.forms import GovukForm, GovukModelForm


class PanelMemberForm(GovukModelForm):
    class Meta:
        model = PanelMember
        fields = ["name", "role"]


class MeetingForm(GovukForm):
    held_on = forms.DateField(label="Date of the panel", error_messages={"required": "Enter the date of the panel"})
    attended_by = forms.ModelMultipleChoiceField(label="Members who attended", queryset=PanelMember.objects.none(),
                                                 widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended_by"].queryset = PanelMember.objects.filter(agency=agency, active=True)


class AgendaItemForm(GovukForm):
    """What the panel considers. A match is the household with the children linked with it; a
    change of plan names the child by reference."""

    kind = forms.ChoiceField(label="Item", choices=list(panels.ITEM_KIND_LABELS.items()), widget=forms.RadioSelect)
    household = forms.ModelChoiceField(label="Household", queryset=None, required=False, empty_label="Choose a household")
    child_reference = forms.CharField(label="Child reference (change of plan only)", required=False,
                                      help_text="For example, C-000123")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["household"].queryset = households_for(user).exclude(stage=HouseholdStage.CLOSED).order_by("-id")

    def clean(self):
        cleaned = super().clean()
        kind, household = cleaned.get("kind"), cleaned.get("household")
        cleaned["children"] = []
        if kind in (panels.ItemKind.HOUSEHOLD_APPROVAL, panels.ItemKind.REVIEW, panels.ItemKind.MATCH) and not household:
            self.add_error("household", "Choose the household the panel considers")
        if kind == panels.ItemKind.MATCH and household:
            cleaned["children"] = list(children_for(self.user).filter(household=household, stage=ChildStage.LINKED))
            if not cleaned["children"]:
                self.add_error("household", f"No child is linked with {household.reference}: record the link first")
        if kind == panels.ItemKind.PLAN_CHANGE:
            key = parsing.reference(cleaned.get("child_reference"), "C")
            child = children_for(self.user).filter(pk=key).first() if key is not None else None
            if child is None:
                self.add_error("child_reference", "Enter the reference of a child you may see, like C-000123")
            else:
                cleaned["children"] = [child]
        return cleaned


class RecommendationForm(GovukForm):
    recommendation = forms.ChoiceField(label="The panel's recommendation", widget=forms.RadioSelect,
                                       error_messages={"required": "Select the panel's recommendation"}, choices=[
        (panels.Recommendation.RECOMMEND, "Recommended"), (panels.Recommendation.NOT_RECOMMEND, "Not recommended"),
        (panels.Recommendation.DEFERRED, "Deferred")])
    reasons = forms.CharField(label="The panel's reasons", widget=forms.Textarea)


class MinutesForm(GovukForm):
    final_minutes_on = forms.DateField(label="Date the final minutes were received")


class DecisionForm(GovukForm):
    agrees = forms.TypedChoiceField(label="Do you agree with the panel's recommendation?", widget=forms.RadioSelect,
                                    choices=[("yes", "Yes, I agree"), ("no", "No, I disagree")],
                                    coerce=lambda value: value == "yes",
                                    error_messages={"required": "Select whether you agree with the panel's recommendation"})
    reasons = forms.CharField(label="Reasons for your decision", widget=forms.Textarea,
                              error_messages={"required": "Enter the reasons for your decision"})
    decided_on = forms.DateField(label="Date of the decision", error_messages={"required": "Enter the date of the decision"})


