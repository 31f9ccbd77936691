from rest_framework import serializers

from openraa.children.models import Child
from openraa.households.models import Household
from openraa.partnership.models import Agency, Council
from openraa.people import policy
from openraa.children.domain import MILESTONE_FIELDS as MILESTONES
from openraa.reference import LEVEL_CHOICES, NEED_CHOICES, SEVERITY_CHOICES


class CouncilSerializer(serializers.ModelSerializer):
    class Meta:
        model = Council
        fields = ["id", "name", "ons_code", "region"]


class AgencySerializer(serializers.ModelSerializer):
    member_councils = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "governance_model", "host_council", "commissioning_council", "member_councils"]

    def get_member_councils(self, agency) -> list[str]:
        return [council.ons_code for council in agency.member_councils()]


class NeedSerializer(serializers.Serializer):
    need = serializers.ChoiceField(choices=NEED_CHOICES)
    severity = serializers.ChoiceField(choices=SEVERITY_CHOICES)


class CapabilitySerializer(serializers.Serializer):
    need = serializers.ChoiceField(choices=NEED_CHOICES)
    level = serializers.ChoiceField(choices=LEVEL_CHOICES)


class ApplicantSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=80)
    last_name = serializers.CharField(max_length=80)
    date_of_birth = serializers.DateField()
    sex = serializers.CharField(max_length=1)
    ethnicity = serializers.CharField(max_length=4)


class PolicyFieldsMixin:
    """Drops restricted fields for users without the resource's view_restricted grant."""

    policy_resource: str
    restricted_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or not policy.can(request.user, self.policy_resource, "view_restricted"):
            hidden = self.restricted_fields
        elif self.policy_resource == "child" and not policy.sees_birth_family(request.user):
            hidden = Child.BIRTH_FAMILY_FIELDS
        else:
            hidden = ()
        for name in hidden:
            fields.pop(name, None)
        return fields

    def to_internal_value(self, data):
        # Journey dates are read-only here; say so rather than silently ignoring them.
        journey_fields = [name for name in getattr(self.Meta, "journey_fields", ()) if name in data]
        if journey_fields:
            raise serializers.ValidationError(
                {name: ["Recorded as a journey step: POST it to this record's steps/"] for name in journey_fields})
        return super().to_internal_value(data)


class ChildSerializer(PolicyFieldsMixin, serializers.ModelSerializer):
    policy_resource = "child"
    restricted_fields = Child.RESTRICTED_FIELDS
    reference = serializers.CharField(read_only=True)
    needs = NeedSerializer(many=True, required=False)
    responsible_council = serializers.SlugRelatedField(slug_field="ons_code", queryset=Council.objects.all())
    birth_family_council = serializers.SlugRelatedField(
        slug_field="ons_code", queryset=Council.objects.all(), required=False, allow_null=True
    )
    # Read-only choices that are blank until the journey records them: declared here so the API
    # document allows "" (DRF drops allow_blank from read-only model fields).
    early_permanence_kind = serializers.ChoiceField(
        choices=Child._meta.get_field("early_permanence_kind").choices, allow_blank=True, read_only=True)
    plan_ended_reason = serializers.ChoiceField(
        choices=Child._meta.get_field("plan_ended_reason").choices, allow_blank=True, read_only=True)
    plan_ended_code = serializers.ChoiceField(
        choices=Child._meta.get_field("plan_ended_code").choices, allow_blank=True, read_only=True)

    class Meta:
        model = Child
        fields = [
            "id", "reference", "responsible_council", "first_name", "last_name", "date_of_birth", "sex",
            "ethnicity", "birth_mother_name", "birth_father_name", "birth_family_council",
            "birth_family_postcode_district", "sibling_group", "household", "needs",
            "entered_care_on", "should_be_placed_on", "placement_order_on", "early_permanence_on", "linked_on",
            "matched_on", "placed_on", "adoption_order_on", "plan_ended_on", "plan_ended_reason", "stage",
            "family_finding_referral_on", "matching_panel_on", "early_permanence_kind", "plan_ended_code", "version",
        ]
        # The journey is written through /steps/, never by editing dates.
        journey_fields = ("household", *MILESTONES, "early_permanence_kind", "plan_ended_reason", "plan_ended_code")
        read_only_fields = ["stage", "version", *journey_fields]


HOUSEHOLD_DATES = ("registration_of_interest_on", "stage1_started_on", "stage1_ended_on", "stage2_started_on",
                   "stage2_ended_on", "panel_on", "approved_on", "closed_on", "approval_reviewed_on")


class StepSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(max_length=40)
    occurred_on = serializers.DateField()
    details = serializers.DictField(required=False, default=dict)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    supersedes = serializers.IntegerField(required=False, allow_null=True, default=None, source="supersedes_id")
    recorded_by = serializers.StringRelatedField(read_only=True, allow_null=True)  # none for imported or seeded entries
    recorded_at = serializers.DateTimeField(read_only=True)


class HouseholdSerializer(PolicyFieldsMixin, serializers.ModelSerializer):
    policy_resource = "household"
    restricted_fields = ("applicants",)
    reference = serializers.CharField(read_only=True)
    home_council = serializers.SlugRelatedField(slug_field="ons_code", queryset=Council.objects.all())
    applicants = ApplicantSerializer(many=True, required=False)
    capabilities = CapabilitySerializer(many=True, required=False)
    closed_reason = serializers.ChoiceField(  # blank until the household closes (see ChildSerializer)
        choices=Household._meta.get_field("closed_reason").choices, allow_blank=True, read_only=True)

    class Meta:
        model = Household
        fields = [
            "id", "reference", "home_council", "postcode_district", "applicants", "enquiry_on",
            "registration_of_interest_on", "stage1_started_on", "stage1_ended_on", "stage2_started_on",
            "stage2_ended_on", "panel_on", "approved_on", "closed_on", "closed_reason", "fast_track",
            "approved_children", "age_min", "age_max", "sibling_group_open", "early_permanence",
            "capabilities", "stage", "approval_reviewed_on", "version",
        ]
        journey_fields = (*HOUSEHOLD_DATES, "closed_reason")
        read_only_fields = ["stage", "version", *journey_fields]
