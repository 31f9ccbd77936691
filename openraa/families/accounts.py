"""Adopters' sign-in, kept apart from staff sign-in: an adopter's session holds only this module's
keys, never Django's user key, so `request.user` stays anonymous and no staff page, API call or export
can serve an adopter. Two factors every time: the password, then a code e-mailed to the account's
address or from an authenticator app. Wrong passwords and codes lock the account for a while."""

import binascii
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp.oath import TOTP

from openraa.common import mail
from openraa.families.models import AdopterAccount, AdopterEvent, SignInCode

SESSION_ACCOUNT = "openraa_adopter_account"  # set only after both factors
SESSION_PENDING = "openraa_adopter_pending"  # password given, code not yet
CODE_MINUTES = 10
CODE_TRIES = 5
LOCK_AFTER = 5
LOCK_MINUTES = 30
SET_PASSWORD_SALT = "openraa.families.set-password"
SET_PASSWORD_DAYS = 7


def record(
    request: HttpRequest | None, what: str, *, account=None, household=None, child=None, detail: str = ""
) -> None:
    """The adopters' audit: what was done, by which account, on which household, at which address."""
    AdopterEvent.objects.create(
        account=account,
        household=household if household is not None else getattr(account, "household", None),
        child=child,
        action=what,
        path=(request.path if request is not None else "")[:300],
        detail=detail[:300],
    )


def record_many(request: HttpRequest, account, reads: list[tuple[str, Any]]) -> None:
    """Several reads by one family on one page (a page of profiles), in one statement."""
    AdopterEvent.objects.bulk_create(
        AdopterEvent(
            account=account, household_id=account.household_id, child=child, action=what[:60], path=request.path[:300]
        )
        for what, child in reads
    )


def _locked(account: AdopterAccount) -> bool:
    return account.locked_until is not None and account.locked_until > timezone.now()


def _failed(account: AdopterAccount) -> None:
    account.failed_attempts += 1
    if account.failed_attempts >= LOCK_AFTER:
        account.locked_until = timezone.now() + timedelta(minutes=LOCK_MINUTES)
        account.failed_attempts = 0
    account.save(update_fields=["failed_attempts", "locked_until"])


@dataclass(frozen=True)
class PasswordResult:
    account: AdopterAccount | None
    problem: str = ""


GENERIC_PROBLEM = "Enter the e-mail address and password of your account"
LOCKED_PROBLEM = f"Too many tries: you can try again in {LOCK_MINUTES} minutes"


def check_first_factor(email: str, password: str) -> PasswordResult:
    account = AdopterAccount.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if account is None or not account.has_password:
        make_password(password)  # the same time for an unknown address as for a wrong password
        return PasswordResult(None, GENERIC_PROBLEM)
    if _locked(account):
        return PasswordResult(None, LOCKED_PROBLEM)
    if not check_password(password, account.password):
        _failed(account)
        return PasswordResult(None, GENERIC_PROBLEM)
    return PasswordResult(account)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def send_code(account: AdopterAccount) -> None:
    """A fresh six-digit code by e-mail; any earlier unused code stops working."""
    now = timezone.now()
    account.codes.filter(used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    SignInCode.objects.create(account=account, digest=_digest(code), expires_at=now + timedelta(minutes=CODE_MINUTES))
    mail.send(
        [
            mail.Mail(
                "Your sign-in code",
                f"Your code to sign in to your adoption account is {code}. It works for {CODE_MINUTES} minutes.\n\n"
                "If you did not try to sign in, tell your worker: someone may know your password.",
                [account.email],
            )
        ]
    )


def _totp(account: AdopterAccount) -> TOTP:
    return TOTP(binascii.unhexlify(account.totp_key.encode()), step=30, t0=0, digits=6, drift=0)


def totp_matches(account: AdopterAccount, code: str, key: str | None = None) -> int | None:
    """The time step the code belongs to (this one or either neighbour), or None."""
    if not code.isdigit() or len(code) != 6:
        return None
    probe = AdopterAccount(totp_key=key or account.totp_key)
    totp = _totp(probe)
    for drift in (0, -1, 1):
        totp.drift = drift
        if totp.verify(int(code), tolerance=0):
            return totp.t()
    return None


def check_second_factor(account: AdopterAccount, code: str) -> bool:
    code = code.strip().replace(" ", "")
    if _locked(account):
        return False
    if account.totp_confirmed:
        step = totp_matches(account, code)
        if step is not None and step > account.totp_last_step:
            account.totp_last_step = step
            account.save(update_fields=["totp_last_step"])
            return True
        _failed(account)
        return False
    now = timezone.now()
    current = account.codes.filter(used_at__isnull=True, expires_at__gt=now).order_by("-created_at").first()
    if current is None:
        return False
    if current.attempts >= CODE_TRIES:
        return False
    if constant_time_compare(current.digest, _digest(code)):
        current.used_at = now
        current.save(update_fields=["used_at"])
        return True
    current.attempts += 1
    current.save(update_fields=["attempts"])
    _failed(account)
    return False


def begin(request: HttpRequest, account: AdopterAccount) -> None:
    """Password accepted: a new session that knows only who is part-way through."""
    request.session.cycle_key()
    request.session.pop(SESSION_ACCOUNT, None)
    request.session[SESSION_PENDING] = account.pk


def pending(request: HttpRequest) -> AdopterAccount | None:
    pk = request.session.get(SESSION_PENDING)
    return AdopterAccount.objects.filter(pk=pk, is_active=True).first() if pk else None


def complete(request: HttpRequest, account: AdopterAccount) -> None:
    request.session.cycle_key()
    request.session.pop(SESSION_PENDING, None)
    request.session[SESSION_ACCOUNT] = account.pk
    account.failed_attempts = 0
    account.last_signed_in_at = timezone.now()
    account.save(update_fields=["failed_attempts", "last_signed_in_at"])
    record(request, "signed in", account=account)


def sign_out(request: HttpRequest) -> None:
    account = signed_in(request)
    if account is not None:
        record(request, "signed out", account=account)
    request.session.flush()


def signed_in(request: HttpRequest) -> AdopterAccount | None:
    if hasattr(request, "_adopter_account"):
        return request._adopter_account
    pk = request.session.get(SESSION_ACCOUNT)
    account = (
        AdopterAccount.objects.select_related("household", "household__agency").filter(pk=pk, is_active=True).first()
        if pk
        else None
    )
    request._adopter_account = account  # type: ignore[attr-defined]
    return account


def adopter_required(view):
    """An adopter's page: a signed-in adopter (both factors), else the adopters' sign-in page. Open to
    the staff deny-by-default middleware (it is not a staff page), so this is its whole gate."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        account = signed_in(request)
        if account is None:
            return redirect(f"/adopt/account/sign-in/?next={request.path}")
        request.adopter = account
        return view(request, *args, **kwargs)

    wrapped.openraa_public = True  # type: ignore[attr-defined]
    return wrapped


def set_password_token(account: AdopterAccount) -> str:
    """A link to choose a password, good for a week and only until a password is set."""
    return signing.dumps({"a": account.pk, "p": account.password[-12:]}, salt=SET_PASSWORD_SALT)


def account_for_token(token: str) -> AdopterAccount | None:
    try:
        data = signing.loads(token, salt=SET_PASSWORD_SALT, max_age=timedelta(days=SET_PASSWORD_DAYS))
    except signing.BadSignature:
        return None
    account = AdopterAccount.objects.filter(pk=data.get("a"), is_active=True).first()
    if account is None or account.password[-12:] != data.get("p"):
        return None  # used already: the password it was issued against has changed
    return account


def set_password(account: AdopterAccount, password: str) -> None:
    account.password = make_password(password)
    account.save(update_fields=["password"])


def use_authenticator(account: AdopterAccount, key: str, step: int) -> None:
    """From now on the account's second factor is this authenticator (its first code already used)."""
    account.totp_key, account.totp_confirmed, account.totp_last_step = key, True, step
    account.save(update_fields=["totp_key", "totp_confirmed", "totp_last_step"])


def new_totp_key() -> str:
    return secrets.token_hex(20)
