from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary
from openraa.partnership.models import Agency, Council


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


class SignInProvider(models.Model):
    """A member council's own OpenID Connect provider (most councils use Microsoft Entra ID): its
    staff sign in with their council account. The client secret is never stored here: the record
    names the environment variable that holds it (OPENRAA_OIDC_SECRET_<name>). Written only by
    security/services.py."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="sign_in_providers")
    council = models.ForeignKey(Council, models.PROTECT, related_name="sign_in_providers")
    issuer = models.CharField(
        max_length=300, help_text="For Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0"
    )
    client_id = models.CharField(
        "Client ID", max_length=200, help_text="The application (client) ID of OpenRAA's registration"
    )
    client_secret_variable = models.CharField(
        "Environment variable holding the client secret",
        max_length=80,
        help_text="Named OPENRAA_OIDC_SECRET_ and a name, like OPENRAA_OIDC_SECRET_KNOWSLEY; the server's "
        "operator sets it. The secret itself is never entered here.",
    )
    email_domains = models.JSONField(default=list)
    trusts_mfa = models.BooleanField(
        "The provider always asks for a second factor",
        default=False,
        help_text="For example a Conditional Access policy on the app: OpenRAA then does not ask for its own code",
    )
    offered = models.BooleanField("Offer it on the sign-in page", default=True)
    also_allowed = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sign_in_providers_allowed"
    )
    history = HistoricalRecords(bases=[ChangeSummary], m2m_fields=[also_allowed])

    policy_agency_field = "agency"

    class Meta:
        ordering = ["council__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "council"], name="one_sign_in_provider_per_council")]

    def __str__(self):
        return f"{self.council}'s sign-in provider"


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
