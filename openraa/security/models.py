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
