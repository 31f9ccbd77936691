"""Small builders for test records (the GOV.UK Notify pattern): each makes one valid record with
sensible defaults and takes keyword overrides. Synthetic values only."""

import re
from datetime import date

from openraa.children.models import Child, SiblingGroup
from openraa.children.services import save_child
from openraa.households import checks
from openraa.households.models import Household, StageOneCheck
from openraa.households.services import save_household
from openraa.journeys.models import ChildStep, HouseholdStep
from openraa.journeys.services import seed_child_history, seed_household_history
from openraa.partnership.models import Agency, Council, CouncilRole, Membership
from openraa.people.models import User

PASSWORD = "correct-horse-battery-staple"

COUNCILS = {
    "Knowsley": "E08000011",
    "Liverpool": "E08000012",
    "Sefton": "E08000014",
    "Wirral": "E08000015",
}


def council(name: str = "Knowsley", ons_code: str | None = None, region: str = "North West") -> Council:
    existing = Council.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return Council.objects.create(name=name, ons_code=ons_code or COUNCILS[name], region=region)


def agency(code: str = "aim", councils=("Knowsley", "Liverpool"), host: str | None = "Knowsley", **overrides) -> Agency:
    members = [council(name) for name in councils]
    values = {"name": f"Agency {code}", "governance_model": Agency.Governance.HOSTED, **overrides}
    result = Agency.objects.create(code=code, **values)
    for member in members:
        Membership.objects.create(agency=result, council=member, joined_on=date(2017, 4, 1))
    if host:
        CouncilRole.objects.create(agency=result, council=council(host), kind="host", starts_on=date(2017, 4, 1))
    return result


def user(role: str, agency: Agency, employer: str = "Knowsley", username: str | None = None) -> User:
    return User.objects.create_user(
        username=username or f"{role}.{employer}.{agency.code}".lower(),
        password=PASSWORD,
        first_name=role.replace("_", " ").title(),
        last_name=employer,
        agency=agency,
        employing_council=council(employer),
        roles=[role],
    )


def child(agency: Agency, council_name: str = "Knowsley", needs: dict[str, str] | None = None, **overrides) -> Child:
    values = {
        "responsible_council": council(council_name),
        "first_name": "Alex",
        "last_name": "Testchild",
        "date_of_birth": date(2022, 5, 1),
        "sex": "1",
        "ethnicity": "WBRI",
        "entered_care_on": date(2023, 1, 10),
        "should_be_placed_on": date(2023, 6, 1),
        "placement_order_on": date(2023, 9, 1),
        **overrides,
    }
    record = save_child(Child(agency=agency, **values), needs or {})
    ChildStep.objects.bulk_create(seed_child_history(record))
    return record


def household(
    agency: Agency,
    council_name: str = "Knowsley",
    approved: bool = True,
    capabilities: dict[str, str] | None = None,
    stage_one_checks: bool = True,
    **overrides,
) -> Household:
    values = {
        "home_council": council(council_name),
        "postcode_district": "L36",
        "enquiry_on": date(2022, 1, 5),
        "registration_of_interest_on": date(2022, 2, 1),
        "stage1_started_on": date(2022, 2, 1),
        "stage1_ended_on": date(2022, 4, 1),
        "stage2_started_on": date(2022, 4, 15),
        "stage2_ended_on": date(2022, 8, 15) if approved else None,
        "panel_on": date(2022, 9, 10) if approved else None,
        "approved_on": date(2022, 9, 15) if approved else None,
        "approved_children": 2 if approved else None,
        "age_min": 0 if approved else None,
        "age_max": 6 if approved else None,
        **overrides,
    }
    applicants = [
        {
            "first_name": "Sam",
            "last_name": "Testadopter",
            "date_of_birth": date(1985, 3, 3),
            "sex": "2",
            "ethnicity": "WBRI",
        }
    ]
    record = save_household(Household(agency=agency, **values), capabilities or {}, applicants)
    HouseholdStep.objects.bulk_create([s for s in seed_household_history(record) if s.kind != "enquiry"])
    if stage_one_checks:  # every check an applicant needs, completed and clear (households/checks.py)
        StageOneCheck.objects.bulk_create(
            StageOneCheck(
                household=record,
                applicant=applicant,
                kind=kind,
                requested_on=date(2022, 2, 10),
                completed_on=date(2022, 3, 20),
                outcome="clear",
            )
            for applicant in record.applicants.all()
            for kind in checks.REQUIRED[checks.AdultKind.APPLICANT]
        )
    return record


def sibling_group(agency: Agency, place_together: bool = True) -> SiblingGroup:
    return SiblingGroup.objects.create(agency=agency, place_together=place_together)


_CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken"\s+value=")[^"]*(")')


def page_html(response) -> str:
    """The page's HTML with its random CSRF tokens blanked: a short secret (a postcode district such
    as "L8") must not be found by chance inside a token on every page's sign-out form."""
    return _CSRF_TOKEN.sub(r"\1\2", response.content.decode())
