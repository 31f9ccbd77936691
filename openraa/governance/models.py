"""The agency's governance records: partnership agreements and their extensions, the schedule of
documents, boards with their members, meetings, decisions and actions, workstreams; complaints with
their stages, and inter-country adoption cases. Every one keeps its history; nothing is deleted:
an extension or an escalation is a new dated entry, the one before it stays. The dates are worked
out in schedule.py."""

import itertools
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary
from openraa.governance import risks, schedule
from openraa.partnership.models import Agency, Council

LEAD_DAYS_HELP = "How many days before the date the reminder starts, like 90"


def lead_days_field(default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        "Reminder lead time (days)", default=default, validators=[MaxValueValidator(730)], help_text=LEAD_DAYS_HELP
    )


class Agreement(models.Model):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", "Partnership agreement"
        SECTION_75 = "section_75", "Section 75 agreement"
        HOSTING = "hosting", "Hosting agreement"

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="agreements")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField("Start date")
    term_years = models.PositiveSmallIntegerField(
        "Term (years)", validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    reminder_days = lead_days_field(180)
    ended_on = models.DateField(
        "Ended on",
        null=True,
        blank=True,
        help_text="Only when it was replaced or terminated: an ended agreement is not reminded",
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ended_on and self.starts_on and self.ended_on < self.starts_on:
            raise ValidationError({"ended_on": "The end date must be on or after the start date"})

    @property
    def original_expiry(self) -> date:
        return schedule.original_expiry(self.starts_on, self.term_years)

    @property
    def expires_on(self) -> date:
        extensions = [schedule.Extension(e.decided_on, e.new_expiry) for e in self.extensions.all()]
        return schedule.current_expiry(self.starts_on, self.term_years, extensions)

    def status(self, today: date) -> schedule.AgreementStatus:
        return schedule.agreement_status(self.expires_on, today, self.reminder_days, self.ended_on)


class AgreementExtension(models.Model):
    policy_agency_field = "agreement__agency"

    agreement = models.ForeignKey(Agreement, models.PROTECT, related_name="extensions")
    new_expiry = models.DateField("New expiry date")
    reason = models.TextField()
    decided_on = models.DateField("Decided on")
    # The expiry it extends, set when it is recorded (services.save_extension), never typed: the
    # extension runs from the day after it.
    extends_expiry = models.DateField("Extends the expiry of", null=True, blank=True, editable=False)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["decided_on", "id"]  # the order schedule.current_expiry reads them in

    def __str__(self) -> str:
        return f"{self.agreement} extended to {self.new_expiry:%d/%m/%Y}"

    def clean(self) -> None:
        if not (self.agreement_id and self.new_expiry and self.decided_on):
            return
        agreement = self.agreement
        earlier = [schedule.Extension(e.decided_on, e.new_expiry) for e in agreement.extensions.exclude(pk=self.pk)]
        problems = schedule.extension_problems(
            agreement.starts_on,
            agreement.term_years,
            agreement.ended_on,
            earlier,
            schedule.Extension(self.decided_on, self.new_expiry),
        )
        if problems:
            raise ValidationError(problems)

    @property
    def runs_from(self) -> date | None:
        return self.extends_expiry + timedelta(days=1) if self.extends_expiry else None

    @property
    def decided_after_lapse(self) -> bool:
        """Decided after the agreement had expired: between the two it had lapsed."""
        return self.extends_expiry is not None and self.decided_on > self.extends_expiry


class Document(models.Model):
    class Kind(models.TextChoices):
        SECONDMENT = "secondment", "Secondment agreement"
        SERVICE_SPECIFICATION = "service_specification", "Service specification"
        INFORMATION_SHARING = "information_sharing", "Information-sharing agreement"
        RISK_SHARING = "risk_sharing", "Risk-sharing agreement"
        ROLE_OF_HOST = "role_of_host", "Role of the host"
        TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
        COMPLAINTS_PROCEDURE = "complaints_procedure", "Complaints procedure"

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="governance_documents")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=120, help_text="Who keeps it up to date, like Head of Service")
    version = models.CharField(max_length=20, help_text="Like 2.1")
    approved_on = models.DateField("Approved on")
    review_due_on = models.DateField("Review due")
    reminder_days = lead_days_field(60)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["review_due_on", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.approved_on and self.review_due_on and self.review_due_on <= self.approved_on:
            raise ValidationError({"review_due_on": "The review must be due after the date it was approved"})

    def status(self, today: date) -> schedule.ReviewStatus:
        return schedule.review_status(self.review_due_on, today, self.reminder_days)


class Board(models.Model):
    class Kind(models.TextChoices):
        MANAGEMENT = "management", "Management Board"
        OPERATIONAL = "operational", "Operational Group"
        EXECUTIVE = "executive", "Executive Board"
        OTHER = "other", "Another group"

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="boards")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    frequency = models.CharField(
        "How often it meets", max_length=20, choices=[(f.value, f.label) for f in schedule.Frequency]
    )
    established_on = models.DateField("Set up on")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def frequency_label(self) -> str:
        return schedule.Frequency(self.frequency).label

    @property
    def next_meeting_due(self) -> date:
        last = max((meeting.held_on for meeting in self.meetings.all()), default=None)
        return schedule.next_meeting_due(schedule.Frequency(self.frequency), self.established_on, last)


class BoardMember(models.Model):
    policy_agency_field = "board__agency"

    board = models.ForeignKey(Board, models.PROTECT, related_name="members")
    name = models.CharField(max_length=120)
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    role_on_board = models.CharField(
        "Role on the board", max_length=120, help_text="Like Chair or Director of Children's Services"
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    policy_agency_field = "board__agency"

    board = models.ForeignKey(Board, models.PROTECT, related_name="meetings")
    held_on = models.DateField("Held on")
    quorate = models.BooleanField("The meeting was quorate", default=False)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.board} on {self.held_on:%d/%m/%Y}"


class Decision(models.Model):
    policy_agency_field = "meeting__board__agency"

    meeting = models.ForeignKey(Meeting, models.PROTECT, related_name="decisions")
    text = models.TextField("Decision")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class Action(models.Model):
    policy_agency_field = "board__agency"

    board = models.ForeignKey(Board, models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=120)
    due_on = models.DateField("Due")
    done_on = models.DateField("Done on", null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]

    def overdue(self, today: date) -> bool:
        return schedule.action_overdue(self.due_on, self.done_on, today)


class Workstream(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        PAUSED = "paused", "Paused"
        COMPLETE = "complete", "Complete"

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="workstreams")
    name = models.CharField(max_length=120)
    lead_council = models.ForeignKey(Council, models.PROTECT, related_name="+", verbose_name="Lead council")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Complaint(models.Model):
    policy_agency_field = "agency"
    policy_council_field = "council"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="complaints")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    received_on = models.DateField("Received on")
    about = models.TextField("What it is about", help_text="Describe the complaint without naming anyone")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Complaint {self.reference}"

    @property
    def reference(self) -> str:
        return f"CP-{self.pk:05d}"

    @property
    def current_stage(self) -> "ComplaintStageEntry":
        """The latest escalation supersedes the ones before it."""
        return list(self.stages.all())[-1]


class ComplaintStageEntry(models.Model):
    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY_UPHELD = "partly_upheld", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"

    policy_agency_field = "complaint__agency"

    complaint = models.ForeignKey(Complaint, models.PROTECT, related_name="stages")
    stage = models.CharField(max_length=20, choices=[(s.value, s.label) for s in schedule.ComplaintStage])
    started_on = models.DateField("Started on", help_text="The day the complaint or the request to escalate came in")
    extended = models.BooleanField("The timescale was extended", default=False)
    responded_on = models.DateField("Responded on", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.complaint}: {self.stage_label}"

    @property
    def stage_label(self) -> str:
        return schedule.ComplaintStage(self.stage).label

    @property
    def due_on(self) -> date | None:
        return schedule.stage_due_on(schedule.ComplaintStage(self.stage), self.started_on, self.extended)

    def overdue(self, today: date) -> bool:
        return schedule.stage_overdue(
            schedule.ComplaintStage(self.stage), self.started_on, self.extended, self.responded_on, today
        )

    @property
    def answered_late(self) -> bool:
        return schedule.answered_late(
            schedule.ComplaintStage(self.stage), self.started_on, self.extended, self.responded_on
        )


class InterCountryCase(models.Model):
    class Status(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry"
        ASSESSMENT = "assessment", "Assessment"
        APPROVED = "approved", "Approved"
        DOSSIER_SENT = "dossier_sent", "Dossier sent to the country"
        MATCHED = "matched", "Matched"
        PLACED = "placed", "Placed"
        CLOSED = "closed", "Closed"

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="inter_country_cases")
    household_reference = models.CharField(max_length=40, help_text="The household's reference, like H-000123")
    country = models.CharField(max_length=80)
    provider = models.CharField("Commissioned specialist service", max_length=120)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ENQUIRY)
    enquiry_on = models.DateField("Enquiry received on")
    approved_on = models.DateField("Approved on", null=True, blank=True)
    matched_on = models.DateField("Matched on", null=True, blank=True)
    placed_on = models.DateField("Placed on", null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-enquiry_on", "-id"]

    def __str__(self) -> str:
        return f"{self.household_reference} ({self.country})"

    def clean(self) -> None:
        dates = [
            ("enquiry_on", self.enquiry_on),
            ("approved_on", self.approved_on),
            ("matched_on", self.matched_on),
            ("placed_on", self.placed_on),
        ]
        known = [(name, day) for name, day in dates if day is not None]
        for (_, before), (name, after) in itertools.pairwise(known):
            if after < before:
                raise ValidationError({name: "The dates must follow one another: enquiry, approval, match, placement"})


class Risk(models.Model):
    """A risk on the partnership's register. Its rating is its latest review's (RiskReview): the
    reviews are the rating's history, each a new dated entry, none changed; the risk's own fields
    (owner, controls) keep theirs in its history."""

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="risks")
    title = models.CharField(max_length=200, help_text="The risk in a line, like Set-up costs exceed the budgets")
    description = models.TextField("Cause and effect", help_text="What could happen, why, and what it would do")
    owner = models.CharField(max_length=120, help_text="Who manages it, like Head of Service or Finance lead")
    controls = models.TextField("Controls and actions", blank=True, help_text="What is done to reduce it")
    source = models.CharField(
        "Where it was raised", max_length=200, blank=True, help_text="For example a council paper and its paragraph"
    )
    raised_on = models.DateField("Raised on")
    closed_on = models.DateField("Closed on", null=True, blank=True, help_text="Only when it no longer applies")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["raised_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"R-{self.pk:03d}"

    def clean(self) -> None:
        if self.closed_on and self.raised_on and self.closed_on < self.raised_on:
            raise ValidationError({"closed_on": "The risk must be closed on or after the day it was raised"})
        last = self.reviews.order_by("-reviewed_on").first() if self.pk else None
        if self.closed_on and last and self.closed_on < last.reviewed_on:
            raise ValidationError(
                {"closed_on": f"It was last reviewed on {last.reviewed_on:%d/%m/%Y}: close it that day or later"}
            )

    def reviews_in_order(self) -> list["RiskReview"]:
        return sorted(self.reviews.all(), key=lambda review: (review.reviewed_on, review.pk))

    @property
    def latest_review(self) -> "RiskReview | None":
        ordered = self.reviews_in_order()
        return ordered[-1] if ordered else None

    @property
    def rating(self) -> risks.Rating | None:
        latest = self.latest_review
        return latest.rating if latest else None

    @property
    def trend(self) -> risks.Trend | None:
        ordered = self.reviews_in_order()
        if not ordered:
            return None
        return risks.trend(ordered[-2].rating if len(ordered) > 1 else None, ordered[-1].rating)

    @property
    def review_due_on(self) -> date | None:
        latest = self.latest_review
        return risks.review_due(latest.reviewed_on, latest.rating) if latest else None

    def review_overdue(self, today: date) -> bool:
        latest = self.latest_review
        return latest is not None and risks.review_overdue(
            latest.reviewed_on, latest.rating, today, closed=self.closed_on is not None and self.closed_on <= today
        )


class RiskReview(models.Model):
    """A dated rating of a risk: the first is given when it is raised, each later one by its owner's
    review. Written only by services.raise_risk and services.review_risk."""

    policy_agency_field = "risk__agency"

    risk = models.ForeignKey(Risk, models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField("Reviewed on")
    likelihood = models.PositiveSmallIntegerField(
        choices=risks.LIKELIHOOD_CHOICES, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        choices=risks.IMPACT_CHOICES, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField("What changed", blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["reviewed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_rating_from_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.risk} reviewed on {self.reviewed_on:%d/%m/%Y}"

    def clean(self) -> None:
        if not (self.risk_id and self.reviewed_on) or self.pk:
            return
        last = self.risk.reviews.order_by("-reviewed_on").first()
        problems = risks.review_problems(
            self.risk.raised_on, last.reviewed_on if last else None, self.risk.closed_on, self.reviewed_on
        )
        if problems:
            raise ValidationError(problems)

    @property
    def rating(self) -> risks.Rating:
        return risks.Rating(self.likelihood, self.impact)
