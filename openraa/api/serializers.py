from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from openraa.children.domain import MILESTONE_FIELDS as MILESTONES
from openraa.children.models import Child
from openraa.common import contact, parsing
from openraa.common.models import email_validator, phone_validator, postcode_validator
from openraa.governance.models import Agreement, AgreementExtension, Document
from openraa.governance.schedule import AgreementStatus, ReviewStatus
from openraa.households.models import Household
from openraa.partnership.models import Agency, Council
from openraa.people import policy
from openraa.permanence.models import Carer, PermanencePlan
from openraa.reference import LEVEL_CHOICES, NEED_CHOICES, SEVERITY_CHOICES
from openraa.support import domain as support_domain
from openraa.support.models import CommissionedService, SupportCase


class CouncilSerializer(serializers.ModelSerializer):
    class Meta:
        model = Council
        fields = ["id", "name", "ons_code", "region"]


class AgencySerializer(serializers.ModelSerializer):
    # Today's host and commissioning council (their ids), read from the agency's dated terms.
    host_council = serializers.SerializerMethodField()
    commissioning_council = serializers.SerializerMethodField()
    member_councils = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "governance_model", "host_council", "commissioning_council", "member_councils"]

    def get_host_council(self, agency) -> int | None:
        council = agency.host_council
        return council.pk if council else None

    def get_commissioning_council(self, agency) -> int | None:
        council = agency.commissioning_council
        return council.pk if council else None

    def get_member_councils(self, agency) -> list[str]:
        return [council.ons_code for council in agency.member_councils()]


class CouncilCode(serializers.SlugRelatedField):
    """A council named by its ONS code. A code no council could have (a NUL character, which
    PostgreSQL cannot even compare) is refused like any unknown code, before the database is asked."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="ons_code", queryset=Council.objects.all(), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


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
    # Contact details, where the agency holds them (restricted with the applicants).
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, validators=[phone_validator])
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, validators=[email_validator])
    address = serializers.CharField(required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=8, required=False, allow_blank=True, validators=[postcode_validator])

    def validate_postcode(self, value: str) -> str:
        return contact.normal_postcode(value)


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

    def to_representation(self, instance):
        # The one rule (people/policy.py hidden_fields), record by record: get_fields above only
        # knows the role, not what this user may see of this record.
        data = super().to_representation(instance)
        request = self.context.get("request")
        for name in policy.hidden_fields(request.user if request else None, instance):
            data.pop(name, None)
        return data

    def to_internal_value(self, data):
        # Journey dates are read-only here; say so rather than silently ignoring them.
        journey_fields = [name for name in getattr(self.Meta, "journey_fields", ()) if name in data]
        if journey_fields:
            raise serializers.ValidationError(
                {name: ["Recorded as a journey step: POST it to this record's steps/"] for name in journey_fields}
            )
        return super().to_internal_value(data)


class ChildSerializer(PolicyFieldsMixin, serializers.ModelSerializer):
    policy_resource = "child"
    restricted_fields = Child.RESTRICTED_FIELDS
    reference = serializers.CharField(read_only=True)
    needs = NeedSerializer(many=True, required=False)
    responsible_council = CouncilCode()
    birth_family_council = CouncilCode(required=False, allow_null=True)
    # Read-only choices that are blank until the journey records them: declared here so the API
    # document allows "" (DRF drops allow_blank from read-only model fields).
    early_permanence_kind = serializers.ChoiceField(
        choices=Child._meta.get_field("early_permanence_kind").choices, allow_blank=True, read_only=True
    )
    plan_ended_reason = serializers.ChoiceField(
        choices=Child._meta.get_field("plan_ended_reason").choices, allow_blank=True, read_only=True
    )
    plan_ended_code = serializers.ChoiceField(
        choices=Child._meta.get_field("plan_ended_code").choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Child
        fields = [
            "id",
            "reference",
            "responsible_council",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "birth_mother_name",
            "birth_father_name",
            "birth_family_council",
            "birth_family_postcode_district",
            "sibling_group",
            "household",
            "needs",
            "entered_care_on",
            "should_be_placed_on",
            "placement_order_on",
            "early_permanence_on",
            "linked_on",
            "matched_on",
            "placed_on",
            "adoption_order_on",
            "plan_ended_on",
            "plan_ended_reason",
            "stage",
            "family_finding_referral_on",
            "matching_panel_on",
            "early_permanence_kind",
            "plan_ended_code",
            "version",
        ]
        # The journey is written through /steps/, never by editing dates.
        journey_fields = ("household", *MILESTONES, "early_permanence_kind", "plan_ended_reason", "plan_ended_code")
        read_only_fields = ["stage", "version", *journey_fields]


HOUSEHOLD_DATES = (
    "registration_of_interest_on",
    "stage1_started_on",
    "stage1_ended_on",
    "stage2_started_on",
    "stage2_ended_on",
    "panel_on",
    "approved_on",
    "closed_on",
    "approval_reviewed_on",
)


class StepDetailsField(serializers.DictField):
    """A step's details: only the names the record's journey knows (the viewset passes them as the
    context's "detail_names"), each a single value of its type: a household by its id (a whole
    number), anything else a code or a short text. Objects, lists and numbers where text belongs
    are refused with the name, before the journey reads them."""

    RECORD_NAMES = ("household", "early_permanence_household")
    MAX_TEXT = 200

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        known = self.context.get("detail_names", ())
        errors = {}
        for name, value in data.items():
            if name not in known:
                errors[name] = [f"Not a detail of this journey: give {', '.join(known) or 'none'}"]
            elif value is None:
                continue
            elif name in self.RECORD_NAMES:
                if isinstance(value, bool) or not isinstance(value, int) or parsing.record_id(value) is None:
                    errors[name] = ["Give the household's id, a whole number"]
            elif not isinstance(value, str) or len(value) > self.MAX_TEXT:
                errors[name] = [f"Give a code or text of at most {self.MAX_TEXT} characters"]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class StepSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(max_length=40)
    occurred_on = serializers.DateField()
    details = StepDetailsField(required=False, default=dict)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    supersedes = serializers.IntegerField(
        required=False, allow_null=True, default=None, source="supersedes_id", min_value=1, max_value=parsing.MAX_ID
    )
    recorded_by = serializers.StringRelatedField(read_only=True, allow_null=True)  # none for imported or seeded entries
    recorded_at = serializers.DateTimeField(read_only=True)


class StepRecordedSerializer(StepSerializer):
    """The entry just recorded, with what is unusual but real in the record's dates now (a match
    before the placement order, a placement with parental consent): said, never refused."""

    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)


class HouseholdSerializer(PolicyFieldsMixin, serializers.ModelSerializer):
    policy_resource = "household"
    restricted_fields = ("applicants",)
    reference = serializers.CharField(read_only=True)
    home_council = CouncilCode()
    applicants = ApplicantSerializer(many=True, required=False)
    capabilities = CapabilitySerializer(many=True, required=False)
    closed_reason = serializers.ChoiceField(  # blank until the household closes (see ChildSerializer)
        choices=Household._meta.get_field("closed_reason").choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Household
        fields = [
            "id",
            "reference",
            "home_council",
            "postcode_district",
            "applicants",
            "enquiry_on",
            "registration_of_interest_on",
            "stage1_started_on",
            "stage1_ended_on",
            "stage2_started_on",
            "stage2_ended_on",
            "panel_on",
            "approved_on",
            "closed_on",
            "closed_reason",
            "fast_track",
            "approved_children",
            "age_min",
            "age_max",
            "sibling_group_open",
            "early_permanence",
            "capabilities",
            "stage",
            "approval_reviewed_on",
            "version",
        ]
        journey_fields = (*HOUSEHOLD_DATES, "closed_reason")
        read_only_fields = ["stage", "version", *journey_fields]


# The areas added later (adoption support, wider permanence, governance) are read-only here.


def _choices(model, name: str) -> list:
    return model._meta.get_field(name).choices


class SupportCategoryField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=list(support_domain.CATEGORIES.items()), **kwargs)


class SupportCategorySchema(OpenApiSerializerFieldExtension):
    """A case asks for categories and a service is of one: one named schema for both, rather than
    the generator's two names for one choice set."""

    target_class = SupportCategoryField

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="SupportCategoryEnum",
            type=ResolvedComponent.SCHEMA,
            object="SupportCategoryEnum",
            schema={"type": "string", "enum": list(support_domain.CATEGORIES)},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class CommissionedServiceSerializer(serializers.ModelSerializer):
    kind = SupportCategoryField(read_only=True)

    class Meta:
        model = CommissionedService
        fields = ["id", "kind", "provider", "starts_on", "ends_on", "cost", "funded_by"]


class SupportCaseSerializer(PolicyFieldsMixin, serializers.ModelSerializer):
    policy_resource = "support"
    restricted_fields = SupportCase.RESTRICTED_FIELDS
    reference = serializers.CharField(read_only=True)
    responsible_council = serializers.SlugRelatedField(slug_field="ons_code", read_only=True)
    categories = serializers.ListField(child=SupportCategoryField(), read_only=True)
    # Blank until the journey records them (see ChildSerializer).
    assessment_outcome = serializers.ChoiceField(
        choices=_choices(SupportCase, "assessment_outcome"), allow_blank=True, read_only=True
    )
    closed_reason = serializers.ChoiceField(
        choices=_choices(SupportCase, "closed_reason"), allow_blank=True, read_only=True
    )
    services = CommissionedServiceSerializer(many=True, read_only=True)

    class Meta:
        model = SupportCase
        fields = [
            "id",
            "reference",
            "responsible_council",
            "requester",
            "requester_name",
            *SupportCase.CONTACT_FIELDS,
            "categories",
            "stage",
            "received_on",
            "assessment_started_on",
            "assessment_completed_on",
            "assessment_outcome",
            "plan_agreed_on",
            "commissioned_on",
            "last_review_on",
            "closed_on",
            "closed_reason",
            "services",
        ]
        read_only_fields = fields


class CarerSerializer(PolicyFieldsMixin, serializers.ModelSerializer):
    policy_resource = "permanence"
    restricted_fields = Carer.RESTRICTED_FIELDS
    reference = serializers.CharField(read_only=True)
    home_council = serializers.SlugRelatedField(slug_field="ons_code", read_only=True)
    capabilities = serializers.DictField(child=serializers.ChoiceField(choices=LEVEL_CHOICES), read_only=True)
    ethnicities = serializers.ListField(child=serializers.CharField(), read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    religion = serializers.ChoiceField(choices=_choices(Carer, "religion"), allow_blank=True, read_only=True)

    class Meta:
        model = Carer
        fields = [
            "id",
            "reference",
            "kind",
            "home_council",
            "postcode_district",
            "names",
            *Carer.CONTACT_FIELDS,
            "approved_children",
            "age_min",
            "age_max",
            "sibling_group_open",
            "capabilities",
            "ethnicities",
            "religion",
            "languages",
            "stage",
            "approved_on",
            "closed_on",
        ]
        read_only_fields = fields


class PermanencePlanSerializer(serializers.ModelSerializer):
    """The child is named by reference only: a plan is read by more roles than the child's identity."""

    reference = serializers.CharField(read_only=True)
    responsible_council = serializers.SlugRelatedField(slug_field="ons_code", read_only=True)
    child = serializers.CharField(source="child.reference", read_only=True)
    carer = serializers.CharField(source="carer.reference", read_only=True, allow_null=True, default=None)

    class Meta:
        model = PermanencePlan
        fields = ["id", "reference", "responsible_council", "child", "kind", "carer", "stage", "closed_on"]
        read_only_fields = fields


class AgreementExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementExtension
        fields = ["id", "new_expiry", "reason", "decided_on"]


AGREEMENT_STATUS_CHOICES = [(status.value, status.label) for status in AgreementStatus]


class AgreementSerializer(serializers.ModelSerializer):
    original_expiry = serializers.DateField(read_only=True)
    expires_on = serializers.DateField(read_only=True, help_text="The expiry after the latest extension")
    status = serializers.SerializerMethodField()
    extensions = AgreementExtensionSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "kind",
            "starts_on",
            "term_years",
            "original_expiry",
            "expires_on",
            "status",
            "reminder_days",
            "ended_on",
            "extensions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=AGREEMENT_STATUS_CHOICES))
    def get_status(self, agreement) -> str:
        return agreement.status(timezone.localdate()).value


class DocumentSerializer(serializers.ModelSerializer):
    review_status = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "title",
            "owner",
            "version",
            "approved_on",
            "review_due_on",
            "reminder_days",
            "review_status",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=[(s.value, s.label) for s in ReviewStatus]))
    def get_review_status(self, document) -> str:
        return document.status(timezone.localdate()).value
