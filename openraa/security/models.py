from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A machine client's API token, kept only as the SHA-256 digest of the token (256 random bits,
    so a digest without a salt cannot be reversed): a copy of the database does not give API access.
    `password_fingerprint` ties the token to the password its holder had when it was issued: a
    changed password ends it, as it ends the holder's sessions."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_token")
    digest = models.CharField(max_length=64, unique=True)
    password_fingerprint = models.CharField(max_length=64)
    created = models.DateTimeField()

    class Meta:
        verbose_name = "API token"

    def __str__(self):
        return f"API token of {self.user}, issued {self.created:%d/%m/%Y}"


class BackupRun(models.Model):
    """A backup `openraa backup` finished. Kept in the database rather than as a stamp file: the
    backup service, the health check (`openraa check_health`) and the administrators' page run in
    different containers, and the database is the one thing they all reach. Not itself backed up:
    it is about this server, and a restored server has taken no backup yet."""

    finished_at = models.DateTimeField(db_index=True)
    name = models.CharField(max_length=255)  # the file written (a name chosen by the operator, no personal data)
    size = models.PositiveBigIntegerField()
    files = models.PositiveIntegerField()  # stored files in it
    encrypted = models.BooleanField()

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self):
        return f"Backup {self.name} at {self.finished_at:%d/%m/%Y %H:%M}"
