"""Who may sign in through which council's OpenID Connect provider: plain facts in, a refusal (or
none) out, no database. openraa/security/oidc.py gathers the facts and acts on the answer.

A provider only says who someone is; OpenRAA says who may come in. Through council X's provider
that is a known, active user of X's agency employed by X, or one an administrator has allowed on
X's provider (staff whose council account is X's though OpenRAA records another employer)."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Why a sign-in was refused (the key of REFUSALS, and what the audit keeps).
UNKNOWN, DEACTIVATED, UNVERIFIED, AMBIGUOUS, FAILED = "unknown", "deactivated", "unverified", "ambiguous", "failed"
OTHER_COUNCIL, OTHER_DOMAIN = "other_council", "other_domain"
REFUSALS = {
    UNKNOWN: "Your council account is not linked to anyone in OpenRAA. Ask your OpenRAA administrator to add "
    "you with the e-mail address your council account uses.",
    DEACTIVATED: "Your OpenRAA account has been closed. Ask your OpenRAA administrator if you still need it.",
    UNVERIFIED: "Your council account did not give a confirmed e-mail address, so OpenRAA cannot tell who you "
    "are. Ask your council's IT service desk.",
    AMBIGUOUS: "More than one OpenRAA account has your e-mail address. Ask your OpenRAA administrator to correct it.",
    FAILED: "Signing in with your council account did not complete. Start again from the sign-in page.",
    OTHER_COUNCIL: "OpenRAA does not record you as working for the council whose account you used. Sign in with "
    "your own council's account, or ask your OpenRAA administrator.",
    OTHER_DOMAIN: "Your council account's e-mail address is not one this council signs in for. Sign in with your "
    "own council's account, or ask your OpenRAA administrator.",
}
# As the audit log says it, after "Refused: ".
REASON_LABELS = {
    UNKNOWN: "no OpenRAA user has this e-mail address",
    DEACTIVATED: "the account is deactivated",
    UNVERIFIED: "no confirmed e-mail address",
    AMBIGUOUS: "several users have this e-mail address",
    FAILED: "the sign-in did not complete",
    OTHER_COUNCIL: "not employed by this provider's council",
    OTHER_DOMAIN: "an e-mail address outside this provider's domains",
}

# The one environment variable fallback (OPENRAA_OIDC_ISSUER), which is no council's in particular.
ENVIRONMENT = "env"
# An administrator names the variable that holds a provider's client secret. Only variables made for
# that are allowed: naming OPENRAA_SECRET_KEY would send the server's own secret to the provider.
SECRET_VARIABLE = re.compile(r"OPENRAA_OIDC_SECRET_[A-Z0-9_]{1,60}", re.ASCII)
_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.ASCII)


@dataclass(frozen=True)
class Provider:
    key: str  # ENVIRONMENT, or the SignInProvider record's id
    name: str  # the council's name, shown as "Sign in with <name> account"
    issuer: str
    client_id: str
    agency_id: int | None = None  # None: the environment's provider, for any active user
    council_id: int | None = None
    email_domains: tuple[str, ...] = ()
    allowed_user_ids: frozenset[int] = field(default_factory=frozenset)
    trusts_mfa: bool = False

    @property
    def audit_label(self) -> str:
        return f"{self.name} ({self.issuer})"


@dataclass(frozen=True)
class Person:
    pk: int
    is_active: bool
    agency_id: int | None
    council_id: int | None


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def email_refusal(provider: Provider, email: object, verified: object) -> str | None:
    """A provider that says "not verified" is refused. Entra ID sends no email_verified: its addresses
    are set by the council's directory, and the domain check confines them to the council's own."""
    if not isinstance(email, str) or "@" not in email or verified is False or verified == "false":
        return UNVERIFIED
    if provider.email_domains and domain_of(email) not in provider.email_domains:
        return OTHER_DOMAIN
    return None


def person_refusal(provider: Provider, matches: list[Person]) -> str | None:
    """`matches`: the users with the e-mail address (of the provider's agency, for a council's provider)."""
    if not matches:
        return UNKNOWN
    if len(matches) > 1:
        return AMBIGUOUS
    person = matches[0]
    if not person.is_active:
        return DEACTIVATED
    if provider.agency_id is None:
        return None
    if person.agency_id != provider.agency_id:
        return UNKNOWN
    if person.council_id != provider.council_id and person.pk not in provider.allowed_user_ids:
        return OTHER_COUNCIL
    return None


def parse_domains(text: str) -> tuple[tuple[str, ...], list[str]]:
    """The e-mail domains typed one a line (or separated by commas or spaces): (domains, the ones that
    are not domains). "@knowsley.gov.uk" is taken as "knowsley.gov.uk"."""
    words = [w.strip().lower().lstrip("@") for w in re.split(r"[\s,;]+", text or "") if w.strip()]
    good = tuple(dict.fromkeys(w for w in words if _DOMAIN.fullmatch(w)))
    return good, [w for w in words if not _DOMAIN.fullmatch(w)]


def issuer_problem(issuer: str) -> str | None:
    """An issuer is an https URL (http only on this machine, for a provider in the test suite), with
    no query or fragment, as OpenID Connect Discovery requires."""
    try:
        parts = urlsplit(issuer)
    except ValueError:
        return "Enter the issuer as a web address, like https://login.microsoftonline.com/<tenant id>/v2.0"
    local = parts.hostname in ("localhost", "127.0.0.1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        return "Enter the issuer as an https web address, like https://login.microsoftonline.com/<tenant id>/v2.0"
    if not parts.hostname or parts.query or parts.fragment:
        return "Enter the issuer exactly as the provider publishes it, with no ? or #"
    return None
