"""The families' side: the public front door's enquiries, adopters' own accounts (separate from staff:
no row here is a user, and no session of an adopter is a staff sign-in), their registration of
interest, preparation groups, documents asked of them, messages with their worker, the profiles the
agency publishes to approved adopters, and an append-only log of everything an adopter does."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.audit.models import AppendOnlyError, AuditEntry
from openraa.common.history import ChangeSummary
from openraa.common.models import email_field, phone_field, postcode_field
from openraa.families import front_door
from openraa.partnership.models import Agency


class FrontDoorSettings(models.Model):
    """What an agency says to the public, and where it recruits (postcode areas or districts)."""

    policy_agency_field = "agency"

    agency = models.OneToOneField(Agency, models.PROTECT, related_name="front_door")
    recruits_in = models.CharField(
        "Where it recruits",
        max_length=400,
        blank=True,
        help_text="Postcode areas or districts, separated by commas, like L, CH41, WA",
    )
    about = models.TextField("About adopting with us", blank=True)
    information_sessions = models.TextField("Information sessions", blank=True)
    contact_email = email_field()
    contact_phone = phone_field()
    history = HistoricalRecords(bases=[ChangeSummary])

    def prefixes(self) -> list[str]:
        return front_door.parse_prefixes(self.recruits_in)


class Enquiry(models.Model):
    """What a family told the front door. Their names and contact details are part of the household's
    restricted applicants; equality monitoring is kept only for counts (never shown one family at a time)."""

    policy_owner, policy_owner_field = "household", "applicants"

    household = models.OneToOneField("households.Household", models.PROTECT, related_name="front_door_enquiry")
    received_at = models.DateTimeField(auto_now_add=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    partner_first_name = models.CharField(max_length=80, blank=True)
    partner_last_name = models.CharField(max_length=80, blank=True)
    email = models.CharField("E-mail address", max_length=254)
    phone = phone_field()
    postcode = postcode_field()
    household_makeup = models.CharField(max_length=20, choices=front_door.MAKEUP_CHOICES)
    children_at_home = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=20, choices=front_door.SOURCE_CHOICES)
    monitoring = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"Enquiry for {self.household.reference}"


class AdopterAccount(models.Model):
    """An adopter's own sign-in, for one household. Not a staff user: nothing that serves staff
    (pages, API, exports) knows it, and its session key is not Django's user session key."""

    household = models.ForeignKey("households.Household", models.PROTECT, related_name="adopter_accounts")
    email = models.CharField("E-mail address", max_length=254, unique=True)
    password = models.CharField(max_length=128, blank=True)
    # An authenticator app's secret (hex), once confirmed; without it codes go by e-mail.
    totp_key = models.CharField(max_length=80, blank=True)
    totp_confirmed = models.BooleanField(default=False)
    totp_last_step = models.BigIntegerField(default=0)  # no code is accepted twice
    created_at = models.DateTimeField(auto_now_add=True)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords(bases=[ChangeSummary], excluded_fields=["password", "totp_key", "totp_last_step"])

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def has_password(self) -> bool:
        return bool(self.password)


class SignInCode(models.Model):
    """A one-time code e-mailed as the second factor; kept as a digest, for ten minutes, five tries."""

    account = models.ForeignKey(AdopterAccount, models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)


class AdopterEvent(AuditEntry):
    """Every action of an adopter (and of the front door), append-only like the staff audit."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    account = models.ForeignKey(AdopterAccount, models.PROTECT, null=True, related_name="events")
    household = models.ForeignKey("households.Household", models.PROTECT, null=True, related_name="+")
    # A child whose anonymised profile the family read: the child's own audit shows it.
    child = models.ForeignKey("children.Child", models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=60)
    path = models.CharField(max_length=300)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class RegistrationOfInterest(models.Model):
    """The family's formal registration of interest, sent from their account after an information
    session; the agency decides whether to accept it within five working days."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Not accepted"

    household = models.ForeignKey("households.Household", models.PROTECT, related_name="registrations")
    submitted_on = models.DateField()
    submitted_by = models.ForeignKey(AdopterAccount, models.PROTECT, related_name="+")
    information_session_on = models.DateField("Information session attended on")
    why_adopt = models.TextField("Why you want to adopt")
    decided_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-submitted_on", "-id"]


class PreparationGroup(models.Model):
    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="preparation_groups")
    title = models.CharField(max_length=120, default="Preparation group")
    starts_on = models.DateField("First day")
    ends_on = models.DateField("Last day")
    place = models.CharField(max_length=200)
    capacity = models.PositiveSmallIntegerField("Households it takes")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.title}, {self.starts_on:%-d %B %Y}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day must be the same as or after the first day"})
        if self.capacity == 0:
            raise ValidationError({"capacity": "A group takes at least one household"})


class PreparationPlace(models.Model):
    """A household's place on a preparation group, booked by the family or by staff; attendance by staff."""

    group = models.ForeignKey(PreparationGroup, models.PROTECT, related_name="places")
    household = models.ForeignKey("households.Household", models.PROTECT, related_name="preparation_places")
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["group__starts_on", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "household"], name="one_place_per_household_group")]


class DocumentRequest(models.Model):
    """A document the agency asks the family to upload (a pay slip, a medical form)."""

    household = models.ForeignKey("households.Household", models.PROTECT, related_name="document_requests")
    title = models.CharField(max_length=200)
    explanation = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.title


class FamilyUpload(models.Model):
    """A file the family uploaded for a request, checked as staff uploads are (type by its bytes,
    size, virus scan); stored by the same storage as case documents."""

    request = models.ForeignKey(DocumentRequest, models.PROTECT, related_name="uploads")
    file = models.FileField(upload_to="family-uploads/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256 digest", max_length=64)
    uploaded_by = models.ForeignKey(AdopterAccount, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]


class Message(models.Model):
    """A message between the family and their worker, kept on the household's record (append-only)."""

    household = models.ForeignKey("households.Household", models.PROTECT, related_name="family_messages")
    from_family = models.ForeignKey(AdopterAccount, models.PROTECT, null=True, blank=True, related_name="+")
    from_staff = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_family__isnull=True) ^ models.Q(from_staff__isnull=True),
                name="message_from_one_side",
            )
        ]

    def save(self, *args, **kwargs):
        if self.pk:
            raise AppendOnlyError("A message cannot be changed")
        super().save(*args, **kwargs)


class PublishedProfile(models.Model):
    """A child's (or a sibling group's) anonymised profile, published to the agency's approved
    adopters with the responsible council's agreement; withdrawn when it should no longer show."""

    policy_agency_field = "child__agency"
    policy_council_field = "child__responsible_council"

    child = models.ForeignKey("children.Child", models.PROTECT, related_name="published_profiles")
    unit_reference = models.CharField(max_length=20, db_index=True)
    code = models.CharField(max_length=20, unique=True)
    summary = models.TextField("What the family should know", help_text="No name, place or birth family detail")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    agreed_for = models.ForeignKey("partnership.Council", models.PROTECT, related_name="+")
    published_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-published_on", "-id"]
