"""The families' side of the demo region: records that pass every rule, and the well-known adopter."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command

from openraa.demo.families import DEMO_ADOPTER_EMAIL, DEMO_ADOPTER_PASSWORD, recruits_in
from openraa.families import accounts, front_door
from openraa.families.models import (
    AdopterAccount,
    DocumentRequest,
    Enquiry,
    FrontDoorSettings,
    Message,
    PreparationGroup,
    PublishedProfile,
)
from openraa.households.domain import HouseholdStage
from openraa.matching import adapters
from openraa.matching.selectors import household_candidates
from openraa.partnership.models import Agency
from openraa.people.models import User
from openraa.people.roles import Role

AS_OF = date(2026, 6, 1)


@pytest.fixture
def region(db, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("demo_region", "--scale", "0.2", "--as-of", AS_OF.isoformat(), stdout=StringIO())
    return Agency.objects.get(code="aim")


def test_the_demo_adopter_signs_in_with_the_documented_password_and_has_published_candidates(region, mailoutbox):
    account = AdopterAccount.objects.get(email=DEMO_ADOPTER_EMAIL)
    assert account.household.agency == region and account.household.stage == HouseholdStage.APPROVED_WAITING
    assert accounts.check_first_factor(DEMO_ADOPTER_EMAIL, DEMO_ADOPTER_PASSWORD).account == account
    assert not account.totp_confirmed  # the second factor is the e-mailed code
    manager = User.objects.holding(Role.TEAM_MANAGER).get(agency=region)
    candidates = {
        adapters.child_unit_id(members[0]) for _, _, members in household_candidates(account.household, manager, AS_OF)
    }
    published = set(PublishedProfile.objects.filter(child__agency=region).values_list("unit_reference", flat=True))
    assert candidates and candidates <= published
    assert Message.objects.filter(household=account.household, from_family=account).exists()
    assert mailoutbox == []  # the demo e-mails nobody


def test_every_published_profile_is_agreed_by_the_childs_responsible_council_once_per_unit(region):
    profiles = list(PublishedProfile.objects.select_related("child", "agreed_by").filter(child__agency=region))
    assert profiles
    for profile in profiles:
        profile.full_clean()
        assert profile.agreed_by.employing_council_id == profile.child.responsible_council_id == profile.agreed_for_id
        assert profile.unit_reference == adapters.child_unit_id(profile.child)
        assert profile.child.first_name not in profile.summary and profile.published_on <= AS_OF
    units = [p.unit_reference for p in profiles]
    assert len(units) == len(set(units))


def test_enquiries_have_valid_sources_and_monitoring_with_some_declined_and_some_skipped(region):
    enquiries = list(Enquiry.objects.filter(household__agency=region).select_related("household"))
    assert len(enquiries) > 10
    answered = {}
    for enquiry in enquiries:
        enquiry.full_clean()
        assert enquiry.received_at.date() == enquiry.household.enquiry_on
        assert enquiry.source in dict(front_door.SOURCE_CHOICES)
        for key, value in enquiry.monitoring.items():
            assert value in front_door.MONITORING_LABELS[key]
            answered.setdefault(key, set()).add(value)
    assert any(front_door.PREFER_NOT in values for values in answered.values())
    assert any(len(e.monitoring) < len(front_door.MONITORING) for e in enquiries)
    # The funnel's shape: far more enquiries than approvals.
    approved = sum(1 for e in enquiries if e.household.approved_on)
    assert len(enquiries) > 2 * approved and any(
        not e.household.approved_on and e.household.closed_on for e in enquiries
    )


def test_front_door_groups_and_requests_of_the_agency(region):
    settings = FrontDoorSettings.objects.get(agency=region)
    assert settings.prefixes() == front_door.parse_prefixes(recruits_in(region))
    assert {"L", "CH"} <= set(settings.prefixes()) and "PR" not in settings.prefixes()
    groups = list(PreparationGroup.objects.filter(agency=region))
    for group in groups:
        group.full_clean()
    past = [g for g in groups if g.starts_on <= AS_OF]
    future = [g for g in groups if g.starts_on > AS_OF]
    assert any(p.attended for g in past for p in g.places.all())
    assert future and all(g.places.count() < g.capacity for g in future)
    for request in DocumentRequest.objects.filter(household__agency=region):
        assert request.requested_by.agency_id == region.pk
    for account in AdopterAccount.objects.filter(household__agency=region):
        assert account.household.stage != HouseholdStage.CLOSED
        assert not account.password or check_password(DEMO_ADOPTER_PASSWORD, account.password)
