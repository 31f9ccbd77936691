"""The record of each SSDA903 import: who ran it, when, from which files, and what it did."""

from django.conf import settings
from django.db import models

from openraa.audit.models import AppendOnlyError
from openraa.common import years
from openraa.partnership.models import Agency, Council


class ImportRun(models.Model):
    """One import of a council's SSDA903 return. Written once when the import ends; never changed."""

    policy_agency_field = "agency"
    policy_council_field = "council"

    class Source(models.TextChoices):
        COMMAND = "command", "Command line"
        UPLOAD = "upload", "Upload page"

    class Outcome(models.TextChoices):
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Refused: a file is not an SSDA903 table"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="import_runs")
    council = models.ForeignKey(Council, models.PROTECT, related_name="import_runs")
    year = models.PositiveSmallIntegerField(help_text="The collection year ends on 31 March of this year")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when run from the command line",
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(auto_now_add=True)
    files = models.JSONField(default=list, help_text="Names of the files read")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    rows = models.PositiveIntegerField(default=0)
    children = models.PositiveIntegerField(default=0, help_text="Children in the return")
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0, help_text="Children with no adoption plan in the return")
    rejected = models.PositiveIntegerField(default=0)
    warned = models.PositiveIntegerField(default=0, help_text="Children imported with unusual but real dates")
    # What the return held, for the reconciliation with the record (no file is kept).
    plan_children = models.PositiveIntegerField(default=0, help_text="Children in the return with an adoption plan")
    episodes = models.PositiveIntegerField(default=0, help_text="Episodes of the children with an adoption plan")
    adoptions = models.PositiveIntegerField(default=0, help_text="Children adopted in the year (REC E11/E12)")
    report = models.TextField(blank=True, help_text="The reason report, as CSV")

    class Meta:
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"SSDA903 {self.year_label} import for {self.council} ({self.finished_at:%d/%m/%Y %H:%M})"

    @property
    def year_label(self) -> str:
        return years.FinancialYear.ending_in(self.year).label

    def save(self, *args, **kwargs):
        if self.pk:
            raise AppendOnlyError("An import run cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("An import run cannot be deleted")
