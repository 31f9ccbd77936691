"""Writes to an adopter household's record, one transaction each (history kept by simple-history)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from openraa.audit.versions import check_version
from openraa.common.history import save_by
from openraa.common.models import sync_grades
from openraa.households.models import Applicant, Capability, Household, OtherAdult, StageOneCheck


@transaction.atomic
def save_household(
    household: Household,
    capabilities: dict[str, str] | None = None,
    applicants: list[dict] | None = None,
    by=None,
    expected_version: int | None = None,
    enquiry_details: dict | None = None,
) -> Household:
    """Validate and save the household; when given, replace its capabilities ({need: level}) and
    its applicants (one or two, each a dict of Applicant fields, matched in order). A new household
    starts its journey with the enquiry (its step's details `enquiry_details`: an import marks its
    source there); later dates come from recorded steps."""
    creating = household.pk is None
    check_version(household, expected_version, by)
    household.full_clean()
    household.save()
    if creating:
        # The journey's first step, through the relation the journeys app declares on households (it
        # sits above them), so that households need not import journeys.
        household.steps.create(
            kind="enquiry", occurred_on=household.enquiry_on, details=enquiry_details or {}, recorded_by=by
        )
    if capabilities is not None:
        set_capabilities(household, capabilities)
    if applicants is not None:
        set_applicants(household, applicants)
    return household


def set_capabilities(household: Household, capabilities: dict[str, str]) -> None:
    sync_grades(
        household.capabilities.all(),
        capabilities,
        "level",
        lambda need, level: Capability(household=household, need=need, level=level),
    )


def set_applicants(household: Household, applicants: list[dict]) -> None:
    if not 1 <= len(applicants) <= 2:
        raise ValidationError({"applicants": "A household has one or two applicants"})
    existing = list(household.applicants.all())
    for index, values in enumerate(applicants):
        applicant = existing[index] if index < len(existing) else Applicant(household=household)
        changed = [name for name, value in values.items() if getattr(applicant, name, None) != value]
        for name in changed:
            setattr(applicant, name, values[name])
        if changed or applicant.pk is None:
            applicant.full_clean()
            applicant.save()
    for applicant in existing[len(applicants) :]:
        applicant.delete()


@transaction.atomic
def save_other_adult(adult: OtherAdult, *, by=None) -> OtherAdult:
    """Another adult living in the household (they need their own checks)."""
    adult.full_clean()
    return save_by(adult, by)


def save_check(check: StageOneCheck, *, by=None) -> StageOneCheck:
    """A Stage 1 check, requested or completed. What its outcome means for the journey (a check
    that bars approval closes it) is journeys.check_services.record_check's, the one caller."""
    check.full_clean()
    return save_by(check, by)
