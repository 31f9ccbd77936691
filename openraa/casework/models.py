"""Case notes and documents on the records of the work: children, households, support cases, carers
and permanence plans. A note is never edited: a correction is a new note that supersedes it. A
document keeps every version it was uploaded in; files live in the default storage (the file
system, or an S3 bucket by setting) and are read only through a page that checks who asks."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from openraa.audit.models import AppendOnlyError
from openraa.casework import domain
from openraa.casework.subjects import BY_FIELD, SUBJECTS
from openraa.common import filetypes
from openraa.common.dates import long_date
from openraa.common.history import ChangeSummary
from openraa.partnership.models import Agency
from openraa.people import policy

SUBJECT_FIELDS = tuple(subject.field for subject in SUBJECTS.values())


def _exactly_one_subject(name: str) -> models.CheckConstraint:
    alternatives = Q()
    for field in SUBJECT_FIELDS:
        only = Q(**{f"{field}__isnull": False})
        for other in SUBJECT_FIELDS:
            if other != field:
                only &= Q(**{f"{other}__isnull": True})
        alternatives |= only
    return models.CheckConstraint(condition=alternatives, name=name)


class AboutARecord(models.Model):
    """Belongs to exactly one record, and is seen only as that record's rules allow
    (people/policy.hidden_fields asks `policy_hidden_with`)."""

    policy_owner = "subject"
    policy_owner_fields = SUBJECT_FIELDS  # the foreign keys behind `subject`, to read it in one query
    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", models.PROTECT, null=True, blank=True, related_name="+")
    household = models.ForeignKey("households.Household", models.PROTECT, null=True, blank=True, related_name="+")
    support_case = models.ForeignKey("support.SupportCase", models.PROTECT, null=True, blank=True, related_name="+")
    carer = models.ForeignKey("permanence.Carer", models.PROTECT, null=True, blank=True, related_name="+")
    plan = models.ForeignKey("permanence.PermanencePlan", models.PROTECT, null=True, blank=True, related_name="+")
    restricted = models.BooleanField(
        "Restricted",
        default=False,
        help_text="Only those who may see the record's restricted details (names, birth family) read it",
    )

    class Meta:
        abstract = True

    @property
    def subject_field(self) -> str:
        return next(field for field in SUBJECT_FIELDS if getattr(self, f"{field}_id"))

    @property
    def subject_kind(self):
        return BY_FIELD[self.subject_field]

    @property
    def subject(self):
        return getattr(self, self.subject_field)

    def policy_hidden_with(self, user, owner_hidden: frozenset[str]) -> bool:
        """Hidden whole when the reader does not see the record itself (an anonymised profile, a
        sealed record not opened), or, for a restricted one, any of its restricted details."""
        record = self.subject
        if not policy.can_on(user, record, self.subject_kind.resource, "view"):
            return True  # another agency's record, or one the reader's grants do not reach
        if type(record).__name__ == "Child" and "date_of_birth" in owner_hidden:
            return True  # only the anonymised profile (or a sealed record left closed) is shown
        if not self.restricted:
            return False
        restricted = set(getattr(type(record), "RESTRICTED_FIELDS", ()))
        if restricted:
            return bool(owner_hidden & restricted)
        # A permanence plan names no one itself: it is about its child, whose rules apply.
        child = getattr(record, "child", None)
        return child is None or bool(policy.hidden_fields(user, child) & set(type(child).RESTRICTED_FIELDS))


class CaseNote(AboutARecord):
    kind = models.CharField(max_length=30, choices=list(domain.NOTE_KIND_LABELS.items()))
    occurred_on = models.DateField("Date of the visit, call or meeting")
    text = models.TextField("Note")
    supersedes = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="superseded_by", verbose_name="Corrects"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="case_notes")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [_exactly_one_subject("case_note_about_one_record")]
        indexes = [models.Index(fields=[field, "occurred_on"], name=f"note_{field}_idx") for field in SUBJECT_FIELDS]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {long_date(self.occurred_on)}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise AppendOnlyError("A case note cannot be changed; record a correction")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("A case note cannot be deleted; record a correction")


def _stored_name(instance, filename: str) -> str:
    # Never the uploader's file name: it is kept in original_name and only sent back, quoted.
    return f"documents/{instance.document.agency_id}/{uuid.uuid4().hex}"


class Document(AboutARecord):
    kind = models.CharField(max_length=30, choices=list(domain.DOCUMENT_KIND_LABELS.items()))
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["kind", "title", "id"]
        constraints = [_exactly_one_subject("document_about_one_record")]
        indexes = [models.Index(fields=[field, "kind"], name=f"doc_{field}_idx") for field in SUBJECT_FIELDS]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"D-{self.pk:06d}" if self.pk else "New document"


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=_stored_name, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256 digest", max_length=64)
    note = models.CharField("What changed", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="one_document_version_number")]

    def __str__(self) -> str:
        return f"{self.document} version {self.number}"

    @property
    def type_label(self) -> str:
        return next((kind.label for kind in filetypes.ACCEPTED if kind.content_type == self.content_type), "File")

    def save(self, *args, **kwargs):
        if self.pk:
            raise AppendOnlyError("A document version cannot be changed; upload a new version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("A document version cannot be deleted")


class DocumentDueDays(models.Model):
    """The agency's own timing for a document the statutory guidance expects (domain.DUE_RULES)."""

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="document_due_days")
    kind = models.CharField(max_length=30, choices=[(rule.kind.value, rule.kind.label) for rule in domain.DUE_RULES])
    months = models.PositiveSmallIntegerField(default=0)
    days = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="one_due_rule_per_document_kind")]


class DocumentTracking(models.Model):
    """From when the agency expects the guidance's documents in OpenRAA: milestones before it (records
    that moved in from a council system, whose documents stayed there) owe nothing. No row: not yet."""

    policy_agency_field = "agency"

    agency = models.OneToOneField(Agency, models.PROTECT, related_name="document_tracking")
    tracked_from = models.DateField("Expect documents for milestones from")
    history = HistoricalRecords(bases=[ChangeSummary])


def due_rules_for(agency_id: int) -> domain.DueRules:
    tracking = DocumentTracking.objects.filter(agency_id=agency_id).first()
    if tracking is None:
        return domain.DueRules((), None)
    overrides = {row.kind: (row.months, row.days) for row in DocumentDueDays.objects.filter(agency_id=agency_id)}
    return domain.DueRules(domain.with_agency_days(overrides), tracking.tracked_from)


class Task(models.Model):
    """A piece of work one person sets for another (or themselves), with a due date; seen by its
    owner and whoever set it. A record it is about is shown by reference to those who may see it."""

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+")
    title = models.CharField("What needs doing", max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="tasks", verbose_name="Who")
    due_on = models.DateField("Due")
    child = models.ForeignKey("children.Child", models.PROTECT, null=True, blank=True, related_name="+")
    household = models.ForeignKey("households.Household", models.PROTECT, null=True, blank=True, related_name="+")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="tasks_set")
    set_at = models.DateTimeField(auto_now_add=True)
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def record(self):
        return self.child or self.household


class Notification(models.Model):
    """Something changed on a record the user holds. References only, never names: the record's page
    shows what the reader may see."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    reference = models.CharField(max_length=20)
    message = models.CharField(max_length=200)
    url = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.message}"
