"""The read side of the audit: every read of a person's record, and every sign-in and sign-out.
Rows are append-only; the app offers no way to change or delete them."""

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    pass


class AuditEntry(models.Model):
    """An audit entry: written once, never changed or deleted through the app (a restore loads
    rows raw, past these)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk:
            raise AppendOnlyError("Audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted")


class RecordView(AuditEntry):
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


class SignInEvent(AuditEntry):
    """A sign-in, a sign-out, or a failed or refused sign-in, and how: with a password or through
    which council's single sign-on provider. What was typed for an unknown account is never kept:
    it may be a password typed in the wrong box. A single sign-on refused for an address no one in
    OpenRAA has keeps that address (the provider's, not typed) and the provider's agency instead of a user."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        FAILED = "failed", "Failed sign-in"

    class Method(models.TextChoices):
        PASSWORD = "password", "Password"
        SINGLE_SIGN_ON = "sso", "Single sign-on"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="sign_in_events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Blank on sign-outs and on entries made before the method was kept.
    method = models.CharField(max_length=10, choices=Method.choices, blank=True)
    provider = models.CharField(max_length=400, blank=True, help_text="The council and issuer of a single sign-on")
    reason = models.CharField(max_length=100, blank=True, help_text="Why a single sign-on was refused, as said then")
    email = models.CharField(max_length=254, blank=True, help_text="The provider's address, when no user has it")
    agency = models.ForeignKey(
        "partnership.Agency", models.PROTECT, null=True, blank=True, related_name="+", help_text="When no user"
    )

    class Meta:
        ordering = ["-at", "-id"]
