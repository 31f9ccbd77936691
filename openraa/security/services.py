"""Writes of the security app's records that an administrator makes: a member council's single
sign-on provider. One transaction, with the history row under the administrator (`by`); a refusal
is a ValidationError whose messages say what to do."""

from django.core.exceptions import ValidationError
from django.db import transaction

from openraa.security import sign_in_rules
from openraa.security.models import SignInProvider


@transaction.atomic
def save_provider(provider: SignInProvider, also_allowed, *, by) -> SignInProvider:
    """Adds or changes a provider. `also_allowed`: the agency's staff who may sign in through it
    though OpenRAA records another council as their employer."""
    provider.issuer = (provider.issuer or "").strip().rstrip("/")
    provider.client_secret_variable = (provider.client_secret_variable or "").strip()
    provider.email_domains = list(provider.email_domains or [])
    problems: dict[str, str] = {}
    if provider.council_id and not provider.agency.memberships.filter(council_id=provider.council_id).exists():
        problems["council"] = "Choose one of the agency's member councils"
    elif (
        SignInProvider.objects.filter(agency_id=provider.agency_id, council_id=provider.council_id)
        .exclude(pk=provider.pk)
        .exists()
    ):
        problems["council"] = "This council already has a sign-in provider: change that one"
    issuer_problem = sign_in_rules.issuer_problem(provider.issuer)
    if issuer_problem:
        problems["issuer"] = issuer_problem
    if not sign_in_rules.SECRET_VARIABLE.fullmatch(provider.client_secret_variable):
        problems["client_secret_variable"] = (
            "Enter the name of an environment variable that starts OPENRAA_OIDC_SECRET_ and goes on in capital "
            "letters, digits or underscores, like OPENRAA_OIDC_SECRET_KNOWSLEY"
        )
    domains, bad = sign_in_rules.parse_domains(" ".join(str(d) for d in provider.email_domains))
    if bad or not domains:
        problems["email_domains"] = "Enter the council's e-mail domains, like knowsley.gov.uk, one a line"
    allowed = list(also_allowed)
    if any(person.agency_id != provider.agency_id for person in allowed):
        problems["also_allowed"] = "Choose members of the agency's staff"
    if problems:
        raise ValidationError(problems)
    provider.email_domains = list(domains)
    _saved(provider, by)
    provider.also_allowed.set(allowed)  # its history row (simple-history's m2m) is under `by` too
    return provider


def _saved(record, by):
    record.full_clean()
    record._history_user = by
    record.save()
