"""Writes of the families' side, one transaction each: the front door's enquiry, accounts, the
registration of interest and the agency's decision on it, preparation groups and places, documents
asked and uploaded, messages, and published profiles. Adopters' actions are audited by the caller
(accounts.record) with the request they came in."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from openraa.casework import notify
from openraa.casework.services import check_upload, safe_name
from openraa.children.models import Child
from openraa.common import mail
from openraa.common.history import save_by
from openraa.common.models import today
from openraa.families import front_door
from openraa.families.accounts import set_password_token
from openraa.families.models import (
    AdopterAccount,
    DocumentRequest,
    Enquiry,
    FamilyUpload,
    FrontDoorSettings,
    Message,
    PreparationGroup,
    PreparationPlace,
    PublishedProfile,
    RegistrationOfInterest,
)
from openraa.households.models import Household
from openraa.households.services import save_household
from openraa.journeys.services import record_household_step
from openraa.matching import escalation
from openraa.matching.adapters import child_unit_id
from openraa.matching.engine.postcodes import district_of
from openraa.matching.models import Interest
from openraa.matching.services import close_interest, record_interest
from openraa.partnership.models import Agency, Council


@dataclass(frozen=True)
class EnquiryAnswers:
    """What the front door's question pages collected."""

    first_name: str
    last_name: str
    partner_first_name: str
    partner_last_name: str
    email: str
    phone: str
    postcode: str
    household_makeup: str
    children_at_home: int
    source: str
    monitoring: dict


@transaction.atomic
def receive_enquiry(agency: Agency, home_council: Council, answers: EnquiryAnswers, set_password_url) -> Enquiry:
    """The front door's enquiry: a household at its enquiry stage in the chosen agency, for a worker
    to pick up, the family's own account (a link to choose a password) and the confirmation e-mail.
    An address that already has an account gets the e-mail without a second account or household
    being made, and the page says the same either way (nobody learns who has enquired)."""
    email = answers.email.strip().lower()
    existing = AdopterAccount.objects.filter(email__iexact=email).first()
    if existing is not None:
        mail.send(
            [
                mail.Mail(
                    "Your enquiry about adopting",
                    "Thank you for your enquiry. You already have an account with us: sign in to it to follow "
                    "your journey, or ask your worker if you need help.",
                    [email],
                )
            ]
        )
        return existing.household.front_door_enquiry if hasattr(existing.household, "front_door_enquiry") else None  # type: ignore[return-value]
    household = Household(
        agency=agency,
        home_council=home_council,
        postcode_district=district_of(answers.postcode),
        enquiry_on=today(),
    )
    save_household(household, enquiry_details={"source": "front door"})
    enquiry = Enquiry(
        household=household,
        first_name=answers.first_name,
        last_name=answers.last_name,
        partner_first_name=answers.partner_first_name,
        partner_last_name=answers.partner_last_name,
        email=email,
        phone=answers.phone,
        postcode=answers.postcode.upper(),
        household_makeup=answers.household_makeup,
        children_at_home=answers.children_at_home,
        source=answers.source,
        monitoring=_clean_monitoring(answers.monitoring),
    )
    enquiry.full_clean()
    enquiry.save()
    account = AdopterAccount.objects.create(household=household, email=email)
    link = set_password_url(set_password_token(account))
    mail.send(
        [
            mail.Mail(
                f"Your enquiry about adopting with {agency.name}",
                f"Thank you for your enquiry (reference {household.reference}). Someone from {agency.name} will "
                "contact you within a few days about an information session.\n\n"
                f"Choose a password for your own account, where you can follow every step: {link}\n"
                "The link works for 7 days.",
                [email],
            )
        ]
    )
    return enquiry


def _clean_monitoring(answers: dict) -> dict:
    """Only known questions and answers; a skipped question is not stored at all."""
    kept = {}
    for key, value in answers.items():
        if key in front_door.MONITORING_LABELS and value in front_door.MONITORING_LABELS[key]:
            kept[key] = value
    return kept


@transaction.atomic
def submit_registration(
    account: AdopterAccount, information_session_on: date, why_adopt: str
) -> RegistrationOfInterest:
    household = Household.objects.select_for_update().get(pk=account.household_id)
    if household.stage != "enquiry":
        raise ValidationError("Your registration of interest has already been received")
    if household.registrations.filter(decision="").exists():
        raise ValidationError("Your registration of interest is waiting for the agency's decision")
    if information_session_on > today():
        raise ValidationError({"information_session_on": "The information session must be today or in the past"})
    if len(why_adopt.strip()) < 10:
        raise ValidationError({"why_adopt": "Tell us in a sentence or two why you want to adopt"})
    registration = RegistrationOfInterest(
        household=household,
        submitted_on=today(),
        submitted_by=account,
        information_session_on=information_session_on,
        why_adopt=why_adopt.strip(),
    )
    registration.save()
    return registration


@transaction.atomic
def decide_registration(registration: RegistrationOfInterest, accepted: bool, decided_on: date, reason: str, *, by):
    """The agency's decision (due within five working days); accepting records the journey's step."""
    registration = RegistrationOfInterest.objects.select_for_update().get(pk=registration.pk)
    if registration.decision:
        raise ValidationError("This registration of interest has already been decided")
    if decided_on > today() or decided_on < registration.submitted_on:
        raise ValidationError({"decided_on": "The decision date must be between the day it arrived and today"})
    if not accepted and len(reason.strip()) < 10:
        raise ValidationError({"reason": "Say why the registration is not accepted: the family reads it"})
    registration.decision = (
        RegistrationOfInterest.Decision.ACCEPTED if accepted else RegistrationOfInterest.Decision.DECLINED
    )
    registration.decided_on = decided_on
    registration.reason = reason.strip()
    registration.decided_by = by
    save_by(registration, by)
    if accepted:
        record_household_step(registration.household, "registration_of_interest", registration.submitted_on, by=by)
    return registration


def save_front_door(settings: FrontDoorSettings, *, by) -> FrontDoorSettings:
    settings.full_clean()
    return save_by(settings, by)


def save_group(group: PreparationGroup, *, by) -> PreparationGroup:
    group.full_clean()
    return save_by(group, by)


@transaction.atomic
def book_place(group: PreparationGroup, household: Household, *, by=None) -> PreparationPlace:
    """A place, within the group's capacity (the group row is locked while places are counted)."""
    group = PreparationGroup.objects.select_for_update().get(pk=group.pk)
    if group.agency_id != household.agency_id:
        raise ValidationError("This preparation group is another agency's")
    if group.starts_on < today():
        raise ValidationError("This preparation group has already started")
    place = group.places.filter(household=household).first()
    if place is not None and place.cancelled_at is None:
        raise ValidationError("You already have a place on this group")
    if group.places.filter(cancelled_at__isnull=True).count() >= group.capacity:
        raise ValidationError("This group is full: choose another date")
    if place is None:
        place = PreparationPlace(group=group, household=household)
    place.cancelled_at = None
    return save_by(place, by)


def cancel_place(place: PreparationPlace, *, by=None) -> PreparationPlace:
    if place.group.starts_on < today():
        raise ValidationError("The group has started: ask your worker")
    place.cancelled_at = timezone.now()
    return save_by(place, by)


def record_attendance(place: PreparationPlace, attended: bool, *, by) -> PreparationPlace:
    if place.group.starts_on > today():
        raise ValidationError("Attendance is recorded once the group has started")
    place.attended = attended
    return save_by(place, by)


def request_document(household: Household, title: str, explanation: str, due_on: date | None, *, by) -> DocumentRequest:
    request = DocumentRequest(household=household, title=title, explanation=explanation, due_on=due_on, requested_by=by)
    request.full_clean()
    return save_by(request, by)


def upload_for_request(request: DocumentRequest, upload, account: AdopterAccount) -> FamilyUpload:
    """Checked exactly as a member of staff's upload is (casework.services.check_upload)."""
    if request.household_id != account.household_id:
        raise ValidationError("This request is not for your household")
    checked = check_upload(upload)
    stored = FamilyUpload(
        request=request,
        original_name=safe_name(getattr(upload, "name", "") or request.title, checked.file_type),
        content_type=checked.file_type.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=account,
    )
    upload.seek(0)
    stored.file.save("upload", File(upload), save=False)
    try:
        with transaction.atomic():
            stored.save()
    except Exception:
        if stored.file.name:
            stored.file.storage.delete(stored.file.name)
        raise
    return stored


def send_message(household: Household, text: str, *, account: AdopterAccount | None = None, by=None) -> Message:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter a message"})
    if len(text) > 5000:
        raise ValidationError({"text": "A message must be 5,000 characters or fewer"})
    message = Message(household=household, text=text, from_family=account, from_staff=by if account is None else None)
    message.full_clean()
    message.save()
    if account is not None:
        notify.notify_from_family(household, "Message sent")
    else:
        emails = list(household.adopter_accounts.filter(is_active=True).values_list("email", flat=True))
        mail.send([mail.Mail("A new message from your worker", "Sign in to your adoption account to read it.", emails)])
    return message


@transaction.atomic
def publish_profile(child: Child, summary: str, *, by) -> PublishedProfile:
    """Only a member of staff of the child's responsible council can agree to publish: it is that
    council's decision."""
    if by.employing_council_id != child.responsible_council_id:
        raise ValidationError("Only the child's responsible council can agree to publish the profile")
    unit = child_unit_id(child)
    if PublishedProfile.objects.filter(unit_reference=unit, withdrawn_on__isnull=True).exists():
        raise ValidationError("This child's profile is already published")
    profile = PublishedProfile(
        child=child,
        unit_reference=unit,
        code=escalation.profile_code(unit),
        summary=summary.strip(),
        agreed_by=by,
        agreed_for_id=child.responsible_council_id,
        published_on=today(),
    )
    profile.full_clean()
    return save_by(profile, by)


def withdraw_profile(profile: PublishedProfile, *, by) -> PublishedProfile:
    profile.withdrawn_on = today()
    return save_by(profile, by)


def express_interest(account: AdopterAccount, members: list[Child], note: str) -> Interest:
    """The family's own interest, within the agency's cap (matching.services.record_interest), with
    no member of staff recorded: it came from the family."""
    return record_interest(members, account.household, Interest.Direction.FROM_HOUSEHOLD, today(), by=None, note=note)


def withdraw_interest(interest: Interest, reason: str) -> Interest:
    """The family's own withdrawal: the same closure as a worker's, recorded with no member of staff."""
    return close_interest(interest, Interest.Status.WITHDRAWN, today(), reason, by=None, by_family=True)
