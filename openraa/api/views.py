"""JSON API: thin viewsets over the same selectors, services and policy as the pages.
No endpoint deletes a record."""

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from openraa.api import serializers as s
from openraa.api.permissions import action_for
from openraa.audit import reads
from openraa.audit.models import RecordView
from openraa.children.models import Child
from openraa.children.services import save_child
from openraa.governance import selectors as governance_selectors
from openraa.households.models import Household
from openraa.households.services import save_household
from openraa.journeys import definitions
from openraa.journeys.services import child_warnings, record_child_step, record_household_step
from openraa.partnership.models import Agency, Council
from openraa.people import policy
from openraa.permanence import selectors as permanence_selectors
from openraa.permanence.models import Carer, PermanencePlan
from openraa.support import selectors as support_selectors
from openraa.support.models import SupportCase

API_VERSION_REQUIRED = (
    'Send the version you read (the record\'s "version"): a change without it could overwrite '
    "someone else's. Nothing was saved."
)


def _as_api_error(error: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class AuditedReadsMixin:
    """Every person's record an API read returns is audited (channel "api"): the record a detail
    or a journey's steps are read from (get_object), every record of a list page; written in one
    statement when the read succeeds (openraa.audit.reads). A write's answer is not a read."""

    def get_object(self):
        record = super().get_object()
        reads.shown(self.request, record, RecordView.Channel.API)
        return record

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is None:  # a list must be paged, or it would leave its records unaudited
            raise ImproperlyConfigured(f"{type(self).__name__} lists without pagination")
        reads.shown(self.request, page, RecordView.Channel.API)
        return page

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in SAFE_METHODS and 200 <= response.status_code < 300:
            reads.flush(request)
        return response


class RecordViewSet(
    AuditedReadsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    model = None
    policy_resource = ""

    policy_actions = {"steps": {"POST": "change"}}
    step_model = None
    step_details: tuple[str, ...] = ()  # the detail names the record's journey knows

    def get_queryset(self):
        action = action_for(self.request.method, self) or "view"
        return policy.restrict(self.model.objects.all(), self.request.user, self.policy_resource, action)

    # GET answers the whole history as a plain list (not paginated); POST answers the one entry made.
    @extend_schema(methods=["GET"], responses=s.StepSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.StepSerializer, responses={201: s.StepRecordedSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def steps(self, request, pk=None):
        """The journey's dated history (GET), or record a step, a correction or a withdrawal (POST).
        A step the journey forbids is refused with the reason, and nothing changes."""
        record = self.get_object()
        if request.method == "POST":
            incoming = s.StepSerializer(data=request.data, context={"detail_names": self.step_details})
            incoming.is_valid(raise_exception=True)
            try:
                step = self.record_step(
                    record, incoming.validated_data | {"supersedes": incoming.validated_data.get("supersedes_id")}
                )
            except DjangoValidationError as error:
                raise _as_api_error(error) from error
            step.warnings = self.step_warnings(record)
            return Response(s.StepRecordedSerializer(step).data, status=201)
        return Response(s.StepSerializer(record.steps.select_related("recorded_by"), many=True).data)

    def step_warnings(self, record) -> list[str]:
        return []

    def _superseded(self, record, data):
        if data.get("supersedes") is None:
            return None
        found = record.steps.filter(pk=data["supersedes"]).first()
        if found is None:
            raise serializers.ValidationError({"supersedes": ["No such entry in this journey"]})
        return found

    def expected_version(self, record) -> int | None:
        """The version the client read: a change to an existing record must send it, so a client
        that read an older version gets a refusal rather than overwriting a newer save."""
        if not record.pk:
            return None
        version = self.request.data.get("version")
        if version is None or version == "":
            raise serializers.ValidationError({"version": [API_VERSION_REQUIRED]})
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise serializers.ValidationError({"version": ["Send the version you read as a whole number"]})
        return version

    def check_council(self, council, council_field: str) -> None:
        action = "add" if self.request.method == "POST" else "change"
        if not policy.councils_for(self.request.user, self.policy_resource, action).filter(pk=council.pk).exists():
            raise serializers.ValidationError({council_field: ["You may not record this for that council"]})


class ChildViewSet(RecordViewSet):
    """Children of the agency that the signed-in user may see. Every record returned is audited."""

    model = Child
    policy_resource = "child"
    serializer_class = s.ChildSerializer
    filterset_fields = ["stage", "responsible_council"]
    step_details = definitions.CHILD_DETAILS

    def get_queryset(self):
        children = policy.children_in_full(super().get_queryset(), self.request.user)
        return (
            children.select_related("responsible_council", "birth_family_council")
            .prefetch_related("needs")
            .order_by("-id")
        )

    def perform_create(self, serializer):
        self._save(serializer, Child(agency=self.request.user.agency))

    def record_step(self, child, data):
        return record_child_step(
            child,
            data["kind"],
            data["occurred_on"],
            by=self.request.user,
            details=data["details"],
            note=data["note"],
            supersedes=self._superseded(child, data),
        )

    def step_warnings(self, child) -> list[str]:
        return child_warnings(Child.objects.get(pk=child.pk))

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def _save(self, serializer, child):
        data = dict(serializer.validated_data)
        self.check_council(
            data.get("responsible_council", child.responsible_council if child.pk else None), "responsible_council"
        )
        needs = data.pop("needs", None)
        for name, value in data.items():
            setattr(child, name, value)
        try:
            serializer.instance = save_child(
                child,
                None if needs is None else {n["need"]: n["severity"] for n in needs},
                expected_version=self.expected_version(child),
                by=self.request.user,
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error


class HouseholdViewSet(RecordViewSet):
    """Households of the agency that the signed-in user may see. Every record returned is audited."""

    model = Household
    policy_resource = "household"
    serializer_class = s.HouseholdSerializer
    filterset_fields = ["stage", "home_council"]
    step_details = definitions.HOUSEHOLD_DETAILS

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("home_council")
            .prefetch_related("applicants", "capabilities")
            .order_by("-id")
        )

    def perform_create(self, serializer):
        self._save(serializer, Household(agency=self.request.user.agency))

    def record_step(self, household, data):
        return record_household_step(
            household,
            data["kind"],
            data["occurred_on"],
            by=self.request.user,
            details=data["details"],
            note=data["note"],
            supersedes=self._superseded(household, data),
        )

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def _save(self, serializer, household):
        data = dict(serializer.validated_data)
        self.check_council(data.get("home_council", household.home_council if household.pk else None), "home_council")
        if household.pk and "enquiry_on" in data and data["enquiry_on"] != household.enquiry_on:
            raise serializers.ValidationError({"enquiry_on": ["Correct the enquiry step of the journey instead"]})
        capabilities = data.pop("capabilities", None)
        applicants = data.pop("applicants", None)
        for name, value in data.items():
            setattr(household, name, value)
        try:
            serializer.instance = save_household(
                household,
                None if capabilities is None else {c["need"]: c["level"] for c in capabilities},
                applicants,
                by=self.request.user,
                expected_version=self.expected_version(household),
            )
        except DjangoValidationError as error:
            raise _as_api_error(error) from error


class CouncilViewSet(viewsets.ReadOnlyModelViewSet):
    """The member councils of the user's agency."""

    policy_resource = "aggregates"
    serializer_class = s.CouncilSerializer

    def get_queryset(self):
        if not policy.can(self.request.user, "aggregates", "view"):  # the schema generator asks as nobody
            return Council.objects.none()
        return self.request.user.agency.member_councils().order_by("name")


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    policy_resource = "aggregates"
    serializer_class = s.AgencySerializer

    def get_queryset(self):
        return Agency.objects.filter(pk=getattr(self.request.user, "agency_id", None))


# Read-only for now: the adoption support, wider permanence and governance records are written
# through their pages, which run the journeys and checks; these endpoints list and retrieve only.


class SupportCaseViewSet(AuditedReadsMixin, viewsets.ReadOnlyModelViewSet):
    """Adoption support cases the signed-in user may see, with their commissioned services.
    Read-only (no writes). The requester's name only with the support view_restricted grant.
    Every case returned is audited."""

    model = SupportCase
    policy_resource = "support"
    serializer_class = s.SupportCaseSerializer
    filterset_fields = ["stage", "responsible_council", "requester"]

    def get_queryset(self):
        return support_selectors.cases_for(self.request.user).prefetch_related("services")


class CarerViewSet(AuditedReadsMixin, viewsets.ReadOnlyModelViewSet):
    """Carers for long-term fostering, connected persons and special guardians. Read-only (no
    writes). Their names only with the permanence view_restricted grant. Every carer returned is audited."""

    model = Carer
    policy_resource = "permanence"
    serializer_class = s.CarerSerializer
    filterset_fields = ["kind", "stage", "home_council"]

    def get_queryset(self):
        return permanence_selectors.carers_for(self.request.user).select_related("home_council")


class PermanencePlanViewSet(AuditedReadsMixin, viewsets.ReadOnlyModelViewSet):
    """Children's permanence plans other than adoption, naming the child by reference only.
    Read-only (no writes). Every plan returned is audited."""

    model = PermanencePlan
    policy_resource = "permanence"
    serializer_class = s.PermanencePlanSerializer
    filterset_fields = ["kind", "stage", "responsible_council"]

    def get_queryset(self):
        return permanence_selectors.plans_for(self.request.user).select_related("responsible_council", "child", "carer")


class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    """The agency's agreements with their extensions, current expiry and status today.
    Read-only (no writes). No personal data, so not audited."""

    policy_resource = "governance"
    serializer_class = s.AgreementSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return governance_selectors.agreements(self.request.user)


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The agency's schedule of governance documents with their review status today.
    Read-only (no writes). No personal data, so not audited."""

    policy_resource = "governance"
    serializer_class = s.DocumentSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return governance_selectors.documents(self.request.user)
