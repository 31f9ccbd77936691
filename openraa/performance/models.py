"""The agency's scorecard thresholds, and the audit of every file the performance pages hand out."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.audit.models import AuditEntry
from openraa.common.history import ChangeSummary
from openraa.partnership.models import Agency
from openraa.performance.scorecard import Thresholds

_DEFAULTS = Thresholds()


class ScorecardThresholds(models.Model):
    """A1 and A10 thresholds of one agency. The A2 threshold and the waiting limits are the agency's
    timescale targets (journeys.models.AgencyTargets: order_to_match_days, waiting_days,
    long_wait_months, approved_waiting_months), so that the drift pages and the scorecard agree."""

    agency = models.OneToOneField(Agency, models.PROTECT, related_name="scorecard_thresholds")
    a1_days = models.PositiveSmallIntegerField(
        "A1 threshold in days",
        default=_DEFAULTS.a1_days,
        validators=[MinValueValidator(1), MaxValueValidator(3000)],
        help_text=f"Entering care to moving in (DfE threshold 2013-16: {_DEFAULTS.a1_days} days, 14 months)",
    )
    a10_days = models.PositiveSmallIntegerField(
        "A10 threshold in days",
        default=_DEFAULTS.a10_days,
        validators=[MinValueValidator(1), MaxValueValidator(3000)],
        help_text="As A1, adjusted for foster carer adoptions",
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        verbose_name_plural = "scorecard thresholds"

    def __str__(self) -> str:
        return f"Scorecard thresholds of {self.agency}"


class ExtractDownload(AuditEntry):
    """One file handed out: who, when, what. Append-only, like the record views of the audit."""

    class Extract(models.TextChoices):
        CHILDREN = "children", "National quarterly return: children (child-level)"
        ADOPTERS = "adopters", "National quarterly return: adopters (adopter-level)"
        SUPPORT = "support", "National quarterly return: adoption support (counts per council)"
        COUNTS = "counts", "National quarterly return: counts for the quarter (aggregates)"
        ANNEX_A = "annex_a", "Ofsted Annex A adoption lists (child-level and adopter-level)"
        BOARD_PACK = "board_pack", "Board pack (aggregates)"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="extract_downloads")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="extract_downloads")
    extract = models.CharField(max_length=20, choices=Extract.choices)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    period = models.CharField(max_length=40, help_text="The quarter or year the file covers")
    rows = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0, help_text="Data-quality warnings listed before the download")
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_extract_display()} ({self.period}, {self.file_format}) by {self.user} at {self.at:%Y-%m-%d %H:%M}"
