"""`openraa demo_region`: synthetic agencies that pass every rule of the record."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from openraa.children import domain as child_domain
from openraa.children.domain import ChildStage
from openraa.children.models import Child, ChildNeed, SiblingGroup
from openraa.children.selectors import with_disability_or_complex_needs
from openraa.common.ages import age_in_years
from openraa.households import domain as household_domain
from openraa.households.checks import CLOSED_REASON_LABELS
from openraa.households.domain import HouseholdStage
from openraa.households.models import Applicant, Capability, Household, panel_checks_refusal
from openraa.partnership.models import Agency
from openraa.people.models import Secondment, User, head_of_service_on
from openraa.people.roles import Role

SMALL = ("--scale", "0.1")


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo_region", *args, stdout=out)
    return out.getvalue()


def check_records(agency: Agency) -> None:
    """Every record passes its model's validation, and every stage of both journeys is present."""
    children = list(Child.objects.filter(agency=agency).select_related("agency", "sibling_group", "household"))
    households = list(Household.objects.filter(agency=agency))
    for child in children:
        child.full_clean()
        assert child.stage == child_domain.derive_stage(child.milestones)
        if child.household_id:
            assert child.household.agency_id == agency.pk and child.household.approved_on
            assert child.household.approved_on <= (child.early_permanence_on or child.linked_on)
    for household in households:
        household.full_clean()
        assert household.stage == household_domain.derive_stage(household.milestones, household.placement_stage())
        assert 1 <= household.applicants.count() <= 2
        if household.approved_on:
            assert 1 <= household.approved_children <= 4 and 0 <= household.age_min <= household.age_max <= 17
    assert {c.stage for c in children} == set(ChildStage)
    assert {c.plan_ended_reason for c in children if c.plan_ended_on} == set(child_domain.PLAN_ENDED_REASONS)
    assert {h.stage for h in households} == set(HouseholdStage)
    # A Stage 1 check barring approval closes a household only when one is recorded (households/checks.py):
    # the demo's checks are all clear, every other reason is in it.
    barred = set(CLOSED_REASON_LABELS)
    assert {h.closed_reason for h in households if h.closed_on} == set(household_domain.CLOSED_REASONS) - barred
    for household in households:
        if household.stage2_started_on:  # past Stage 1: every applicant's checks complete and clear
            assert panel_checks_refusal(household) is None


@pytest.mark.django_db
def test_loads_adoption_in_merseyside_at_default_scale():
    output = demo()

    aim = Agency.objects.get(code="aim")
    assert aim.governance_model == Agency.Governance.HOSTED
    assert aim.host_council.ons_code == "E08000011" and aim.commissioning_council.ons_code == "E08000014"
    assert sorted(c.ons_code for c in aim.member_councils()) == ["E08000011", "E08000012", "E08000014", "E08000015"]
    assert {c.region for c in aim.member_councils()} == {"North West"}

    children = Child.objects.filter(agency=aim)
    households = Household.objects.filter(agency=aim)
    total = children.count()
    assert 200 <= total <= 300 and 150 <= households.count() <= 250
    check_records(aim)

    # About a third in sibling groups of 2-4; siblings share their council and birth family area.
    in_groups = children.filter(sibling_group__isnull=False).count()
    assert 0.25 <= in_groups / total <= 0.42
    for group in SiblingGroup.objects.filter(agency=aim).prefetch_related("children"):
        members = list(group.children.all())
        assert 2 <= len(members) <= 4
        assert len({(c.responsible_council_id, c.birth_family_council_id) for c in members}) == 1
    assert (
        SiblingGroup.objects.filter(agency=aim, place_together=True).count()
        > SiblingGroup.objects.filter(agency=aim, place_together=False).count()
    )

    # About a quarter with a disability or complex needs; ages skewed young; mostly White British.
    complex_needs = children.annotate(x=with_disability_or_complex_needs()).filter(x=True).count()
    assert 0.15 <= complex_needs / total <= 0.40
    under_five = sum(age_in_years(c.date_of_birth, c.entered_care_on) < 5 for c in children)
    assert under_five / total >= 0.6
    assert children.filter(ethnicity="WBRI").count() / total > 0.5
    assert children.exclude(ethnicity="WBRI").values("ethnicity").distinct().count() >= 4

    # Households: some fast track (no Stage 1), some early permanence, graded capabilities.
    fast = households.filter(fast_track=True)
    assert fast.exists() and not fast.filter(stage1_started_on__isnull=False).exists()
    assert 0.05 <= households.filter(early_permanence=True).count() / households.count() <= 0.3
    assert Capability.objects.filter(household__agency=aim).values("level").distinct().count() == 4
    assert Applicant.objects.filter(household__agency=aim).count() > households.count()

    # Every record has its "created" history row, with the readable change summary the audit shows.
    assert Child.history.filter(agency=aim, history_type="+").count() == total
    assert Household.history.filter(agency=aim, history_type="+").count() == households.count()
    created = Child.history.filter(agency=aim).first()
    assert created.changes["stage"] == [None, created.stage]
    assert ChildNeed.history.filter(child__agency=aim).count() == ChildNeed.objects.filter(child__agency=aim).count()

    # Postcode districts only, plausible for the council.
    for household in households.select_related("home_council")[:50]:
        assert len(household.postcode_district) <= 4 and " " not in household.postcode_district

    # Staff: a sign-in per role, a social worker per council, and a seconded family finder.
    staff = {u.username: u for u in User.objects.filter(agency=aim)}
    for role in Role:
        assert (
            staff[f"aim.{role.value}"].roles == [role]
            and staff[f"aim.{role.value}"].employing_council == aim.host_council
        )
    for slug in ("knowsley", "liverpool", "sefton", "wirral"):
        assert staff[f"aim.social_worker.{slug}"].roles == [Role.SOCIAL_WORKER]
    assert staff["aim.social_worker.liverpool"].employing_council.name == "Liverpool"
    assert staff["aim.family_finder.liverpool"].is_seconded
    assert [u for u in staff.values() if u.is_seconded] == [staff["aim.family_finder.liverpool"]]
    assert aim.host_on(date(2017, 3, 1)) == aim.host_council and aim.host_on(date(2017, 2, 28)) is None
    (centre,) = aim.bases.all()
    assert (centre.kind, centre.desks, centre.council.name) == ("hot_desks", 30, "Knowsley")
    assert set(aim.teams.values_list("kind", flat=True)) == {
        "recruitment_assessment",
        "family_finding",
        "adoption_support",
        "panel",
    }
    assert all(team.base == centre for team in aim.teams.all())
    assert children.filter(allocated_workers__in=User.objects.holding(Role.FAMILY_FINDER)).exists()
    # Allocated social workers belong to the child's responsible council.
    for child in children.filter(allocated_workers__in=User.objects.holding(Role.SOCIAL_WORKER)).prefetch_related(
        "allocated_workers"
    )[:50]:
        for worker in child.allocated_workers.all():
            if worker.has_role(Role.SOCIAL_WORKER):
                assert worker.employing_council_id == child.responsible_council_id

    assert "aim.team_manager" in output and "demo-password-2016" in output
    summary = next(line.split() for line in output.splitlines() if line.startswith("aim "))
    assert summary[:3] == ["aim", "4", str(total)]


@pytest.mark.django_db
def test_demo_sign_ins_work(client):
    demo(*SMALL, "--password", "another-demo-password")
    assert client.login(username="aim.team_manager", password="another-demo-password")
    assert not client.login(username="aim.team_manager", password="demo-password-2016")


@pytest.mark.django_db
def test_running_twice_creates_no_duplicates():
    demo(*SMALL)
    counts = (Agency.objects.count(), Child.objects.count(), Household.objects.count(), User.objects.count())
    output = demo(*SMALL)
    assert "already loaded" in output
    assert (Agency.objects.count(), Child.objects.count(), Household.objects.count(), User.objects.count()) == counts


class _Rollback(Exception):
    pass


def _names_for(seed: int) -> list[tuple]:
    """Load AIM with the seed, read its people back, and roll the load away again."""
    try:
        with transaction.atomic():
            demo(*SMALL, "--seed", str(seed), "--as-of", "2025-01-31")
            names = list(Child.objects.order_by("id").values_list("first_name", "last_name", "date_of_birth", "stage"))
            names += list(Applicant.objects.order_by("id").values_list("first_name", "last_name", "date_of_birth"))
            raise _Rollback
    except _Rollback:
        return names


@pytest.mark.django_db
def test_same_seed_gives_the_same_records():
    first, again, other = _names_for(7), _names_for(7), _names_for(8)
    assert first and first == again
    assert first != other


@pytest.mark.django_db
def test_all_loads_four_agencies():
    demo("--all", "--scale", "0.2")
    agencies = {a.code: a for a in Agency.objects.all()}
    assert set(agencies) == {"aim", "bkm", "nmapp", "d2n2"}
    assert agencies["bkm"].governance_model == Agency.Governance.PARTNERSHIP
    bkm = agencies["bkm"]
    assert bkm.host_council is None and bkm.commissioning_council is None
    assert not Secondment.objects.filter(user__agency=bkm).exists()
    assert not any(user.is_seconded for user in bkm.staff.all())
    assert {(b.council.name, b.kind) for b in bkm.bases.all()} == {
        ("Bexley", "office"),
        ("Kent", "office"),
        ("Medway", "office"),
    }
    assert head_of_service_on(bkm).employing_council.name == "Kent"
    assert agencies["nmapp"].governance_model == Agency.Governance.HUB_AND_SPOKE
    assert {c.name: c.region for c in agencies["bkm"].member_councils()} == {
        "Bexley": "London",
        "Kent": "South East",
        "Medway": "South East",
    }
    assert {c.region for c in agencies["nmapp"].member_councils()} == {"West Midlands"}
    assert {c.ons_code for c in agencies["d2n2"].member_councils()} == {
        "E06000015",
        "E10000007",
        "E06000018",
        "E10000024",
    }
    for agency in agencies.values():
        check_records(agency)
        assert User.objects.holding(Role.TEAM_MANAGER).filter(agency=agency).exists()
    # Records stay within their agency.
    assert not Child.objects.filter(household__isnull=False).exclude(household__agency=F("agency")).exists()


@pytest.mark.django_db
def test_journey_history_replays_to_the_record():
    """Each milestone has its journey entry, and replaying the entries gives back the record."""
    pytest.importorskip("openraa.journeys.services")
    from django.utils import timezone

    from openraa.common.machine import replay
    from openraa.journeys import definitions

    demo(*SMALL)
    today = timezone.localdate()
    for child in Child.objects.prefetch_related("steps"):
        projection = replay(
            definitions.child_journey(child.date_of_birth), [s.as_entry() for s in child.steps.all()], today
        )
        household_of = getattr(definitions, "child_household", lambda p: p["household"])
        assert household_of(projection) == child.household_id
        assert {f: projection[f] for f in child_domain.MILESTONE_FIELDS} == {
            f: getattr(child, f) for f in child_domain.MILESTONE_FIELDS
        }
    for household in Household.objects.prefetch_related("steps"):
        journey = definitions.household_journey(
            household.fast_track,
            (household.approved_children, household.age_min, household.age_max),
            household.placement_stage(),
        )
        projection = replay(journey, [s.as_entry() for s in household.steps.all()], today)
        assert all(projection[f] == getattr(household, f) for f in definitions.HOUSEHOLD_DATES)
