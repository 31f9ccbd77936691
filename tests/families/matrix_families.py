"""The families' side for the permission matrix (tests/people/test_permission_matrix.py): the public
front door and the adopters' pages answer every member of staff as a visitor (no adopter is signed
in: the account pages send them to the adopters' sign-in), and the staff pages under /families/ are
looked up through the household and child grants like the records they belong to."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile

from openraa.common.models import today
from openraa.families import services
from openraa.families.models import AdopterAccount, PreparationGroup
from tests import builders
from tests.families.builders import enquiring_household

# What a signed-in member of staff gets from each public or adopter page.
PUBLIC = {
    "adopt:index": 200,
    "adopt:privacy": 200,
    "adopt:agency": 200,
    "adopt:start": 302,
    "adopt:question": 302,  # a later question with no answers yet goes back to the start
    "adopt:check": 302,
    "adopt:done": 200,
    "adopt:skip-monitoring": 302,
    "adopt:sign-in": 200,
    "adopt:code": 302,  # no password given yet
    "adopt:sign-out": 405,
    "adopt:set-password": 404,  # a token the site did not sign
    **{
        f"adopt:{name}": 302  # a staff session is not an adopter's: to the adopters' sign-in
        for name in (
            "home",
            "authenticator",
            "registration",
            "preparation-groups",
            "documents",
            "upload",
            "messages",
            "profiles",
            "profile",
            "interests",
            "withdraw-interest",
        )
    },
}
NO_RECORD = {
    # POST only: a GET is refused (405) before any record is looked up (tests/families/test_staff_pages.py
    # posts to them with every kind of record).
    "families-staff:group-book": {"pk": 1},
    "families-staff:group-attendance": {"pk": 1, "place": 1},
    "families-staff:withdraw-profile": {"pk": 1, "profile": 1},
    "adopt:agency": {"code": "aim"},
    "adopt:question": {"step": "contact"},
    "adopt:set-password": {"token": "not-valid"},
    "adopt:upload": {"pk": 1},
    "adopt:profile": {"code": "none"},
    "adopt:withdraw-interest": {"pk": 1},
}
SUCCESS = {
    "families-staff:group-book": 405,  # POST only
    "families-staff:group-attendance": 405,
    "families-staff:withdraw-profile": 405,
}


def _household(region, side):
    return {"pk": region["household"][side].pk}


def _registration(region, side):
    registration = region["registration"][side]
    return {"pk": registration.household_id, "registration": registration.pk}


def _upload(region, side):
    return {"pk": region["household"][side].pk, "upload": region["upload"][side].pk}


def _group(region, side):
    return {"pk": region["group"][side].pk}


def _child(region, side):
    return {"pk": region["child"][side].pk}


_VIEW, _CHANGE = [("household", "view")], [("household", "change")]
RECORD_LOOKUPS = {
    "families-staff:decide-registration": (_registration, _CHANGE),
    "families-staff:ask-document": (_household, _CHANGE),
    "families-staff:send-message": (_household, _CHANGE),
    # The family's own file: only to those who see the household's applicants.
    "families-staff:upload": (_upload, [("household", "view"), ("household", "view_restricted")]),
    "families-staff:group": (_group, []),
    "families-staff:group-edit": (_group, []),
    "families-staff:publish-profile": (_child, [("child", "change")]),
}


def build(region, agencies, councils) -> None:
    region["registration"], region["upload"], region["group"], region["place"], region["profile"] = {}, {}, {}, {}, {}
    for side, agency in agencies.items():
        household = region["household"][side]
        account = AdopterAccount.objects.create(
            household=household, email=f"family.{side}@example.org", password=make_password("not used here")
        )
        enquiring = enquiring_household(agency, councils[side])
        enquiring_account = AdopterAccount.objects.create(household=enquiring, email=f"enquiring.{side}@example.org")
        region["registration"][side] = services.submit_registration(enquiring_account, today(), "We have room to give")
        manager = builders.user("team_manager", agency, employer=councils[side], username=f"families.{side}")
        request = services.request_document(household, "Pay slip", "", None, by=manager)
        pdf = SimpleUploadedFile("slip.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")
        region["upload"][side] = services.upload_for_request(request, pdf, account)
        group = services.save_group(
            PreparationGroup(
                agency=agency, starts_on=today() - timedelta(days=1), ends_on=today(), place="Huyton", capacity=8
            ),
            by=manager,
        )
        region["group"][side] = group
        region["place"][side] = group.places.create(household=household)
        worker = builders.user("social_worker", agency, employer=councils[side], username=f"publisher.{side}")
        region["profile"][side] = services.publish_profile(region["child"][side], "Loves the park", by=worker)
