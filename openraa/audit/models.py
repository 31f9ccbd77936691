"""The read side of the audit: every read of a person's record, and every sign-in and sign-out.
Rows are append-only; the app offers no way to change or delete them."""

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    pass


class RecordView(models.Model):
    class Channel(models.TextChoices):
        PAGE = "page", "Page"
        API = "api", "API"
        EXPORT = "export", "Download of a file"
        PROFILE = "profile", "Anonymised profile"
        SEALED = "sealed", "Sealed record, opened with a reason"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="record_views")
    record_type = models.CharField(max_length=40)
    record_id = models.BigIntegerField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    path = models.CharField(max_length=300)
    reason = models.TextField(blank=True, help_text="Why a sealed record was opened, in the reader's words")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def save(self, *args, **kwargs):
        if self.pk:
            raise AppendOnlyError("Audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted")


class SignInEvent(models.Model):
    """A sign-in, a sign-out, or a failed sign-in to a known account (Django's auth signals).
    What was typed for an unknown account is never kept: it may be a password typed in the wrong box."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        FAILED = "failed", "Failed sign-in"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="sign_in_events")
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise AppendOnlyError("Audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted")
