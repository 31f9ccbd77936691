"""Drift and caseloads: overdue and due-soon timescales per worker and across the agency, the
`openraa drift` command and the daily e-mail digest. Expected figures are computed from the dates
each test sets, with the statutory default targets."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openraa.drift.selectors import drift_items
from openraa.journeys.timescales import Targets
from openraa.people.roles import Role
from tests import builders

T = Targets()


@pytest.fixture
def today():
    return timezone.localdate()


def waiting_child(agency, council="Knowsley", *, order_days_ago: int, **overrides):
    """A child whose placement order was made `order_days_ago` days ago, referred for family
    finding soon after the decision (so only the waiting timescales run), not yet matched."""
    today = timezone.localdate()
    order = today - timedelta(days=order_days_ago)
    values = {
        "first_name": "Zebedee",
        "last_name": "Quintrell",
        "birth_mother_name": "Marigold Quintrell",
        "date_of_birth": order - timedelta(days=400),
        "entered_care_on": order - timedelta(days=200),
        "should_be_placed_on": order - timedelta(days=100),
        "family_finding_referral_on": order - timedelta(days=90),
        "placement_order_on": order,
        **overrides,
    }
    return builders.child(agency, council, **values)


def item(items, child, code):
    return next(i for i in items if i.pk == child.pk and i.record_type == "child" and i.timescale == code)


@pytest.mark.django_db
def test_an_overdue_child_appears_on_its_workers_page_with_the_days_overdue(aim, client_for, today):
    worker = builders.user(Role.FAMILY_FINDER, aim)
    child = waiting_child(aim, order_days_ago=200)
    child.allocated_workers.add(worker)

    response = client_for(worker).get("/drift/")
    assert response.status_code == 200
    items = list(response.context["page"])
    order_to_match = item(items, child, "order_to_match")
    due = child.placement_order_on + timedelta(days=T.order_to_match_days)
    assert order_to_match.due_on == due
    assert order_to_match.days_overdue == (today - due).days > 0
    assert order_to_match.days_waiting == (today - child.placement_order_on).days
    assert order_to_match.stage_label == child.stage_label
    assert order_to_match.workers[0].pk == worker.pk
    page = response.content.decode()
    assert child.reference in page
    assert f"Overdue by {(today - due).days} days" in page
    assert child.first_name not in page and child.last_name not in page  # references only
    # The referral was made in time: a met timescale is not drift.
    assert not any(i.timescale == "family_finding_referral" for i in items)


@pytest.mark.django_db
def test_on_track_items_are_left_out_and_due_soon_ones_follow_the_overdue(aim, today):
    worker = builders.user(Role.FAMILY_FINDER, aim)
    on_track = waiting_child(aim, order_days_ago=30)
    due_soon = waiting_child(aim, order_days_ago=T.waiting_days - 5)  # waiting flag due in 5 days
    slightly_late = waiting_child(aim, order_days_ago=T.order_to_match_days + 3)
    very_late = waiting_child(aim, order_days_ago=T.order_to_match_days + 60)
    for child in (on_track, due_soon, slightly_late, very_late):
        child.allocated_workers.add(worker)

    items = drift_items(worker, today, worker=worker)
    assert on_track.pk not in {i.pk for i in items}
    soon = item(items, due_soon, "waiting")
    waiting_due = due_soon.placement_order_on + timedelta(days=T.waiting_days)
    assert soon.status == "due_soon" and soon.days_left == (waiting_due - today).days == 5
    statuses = [i.status for i in items]
    assert statuses == sorted(statuses, key=lambda s: s != "overdue"), "overdue items come first"
    overdue = [i.days_overdue for i in items if i.overdue]
    assert overdue == sorted(overdue, reverse=True), "most overdue first"
    assert items[0].pk == very_late.pk
    left = [i.days_left for i in items if not i.overdue]
    assert left == sorted(left)


@pytest.mark.django_db
def test_closed_records_and_other_workers_records_are_not_a_workers_drift(aim, today):
    worker = builders.user(Role.FAMILY_FINDER, aim)
    colleague = builders.user(Role.FAMILY_FINDER, aim, username="colleague")
    mine = waiting_child(aim, order_days_ago=200)
    ended = waiting_child(
        aim, order_days_ago=200, plan_ended_on=today - timedelta(days=5), plan_ended_reason="plan_changed"
    )
    theirs = waiting_child(aim, order_days_ago=200)
    mine.allocated_workers.add(worker)
    ended.allocated_workers.add(worker)
    theirs.allocated_workers.add(colleague)

    assert {i.pk for i in drift_items(worker, today, worker=worker)} == {mine.pk}


@pytest.mark.django_db
def test_a_liverpool_social_worker_never_sees_a_knowsley_childs_item(aim, client_for, today):
    worker = builders.user(Role.SOCIAL_WORKER, aim, employer="Liverpool")
    liverpool = waiting_child(aim, "Liverpool", order_days_ago=200)
    knowsley = waiting_child(aim, "Knowsley", order_days_ago=200)
    # Even if allocated to them by mistake, the policy keeps another council's child out.
    liverpool.allocated_workers.add(worker)
    knowsley.allocated_workers.add(worker)

    client = client_for(worker)
    response = client.get("/drift/")
    assert response.status_code == 200
    assert {i.pk for i in response.context["page"]} == {liverpool.pk}
    assert knowsley.reference not in response.content.decode()
    assert {i.council for i in drift_items(worker, today)} == {"Liverpool"}
    # The agency-wide view is for those who see every council's children and households.
    assert client.get("/drift/agency/").status_code == 403


@pytest.mark.django_db
def test_the_agency_view_filters_by_council_and_counts_caseloads(aim, client_for, today):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    finder = builders.user(Role.FAMILY_FINDER, aim, username="finder")
    assessor = builders.user(Role.RECRUITMENT_ASSESSMENT, aim, username="assessor")
    idle = builders.user(Role.FAMILY_FINDER, aim, username="idle")
    knowsley_late = waiting_child(aim, "Knowsley", order_days_ago=200)
    knowsley_fine = waiting_child(aim, "Knowsley", order_days_ago=10)
    liverpool_late = waiting_child(aim, "Liverpool", order_days_ago=150)
    household = builders.household(aim, "Knowsley")  # approved in 2022, never linked, never reviewed
    knowsley_late.allocated_workers.add(finder)
    knowsley_fine.allocated_workers.add(finder)
    liverpool_late.allocated_workers.add(finder)
    household.allocated_workers.add(assessor)
    knowsley, liverpool = builders.council("Knowsley"), builders.council("Liverpool")

    client = client_for(manager)
    response = client.get("/drift/agency/")
    assert response.status_code == 200
    drift = response.context["drift"]
    assert {i.pk for i in drift.items if i.record_type == "child"} == {knowsley_late.pk, liverpool_late.pk}
    household_items = [i for i in drift.items if i.record_type == "household"]
    assert {i.timescale for i in household_items} == {"approved_waiting", "approval_review"}
    assert all(i.days_waiting == (today - household.approved_on).days for i in household_items)
    by_council = {c.name: c for c in drift.councils}
    expected_knowsley = [i for i in drift.items if i.council == "Knowsley"]
    assert by_council["Knowsley"].overdue == sum(i.overdue for i in expected_knowsley) > 0
    assert by_council["Liverpool"].overdue == sum(i.overdue for i in drift.items if i.council == "Liverpool") > 0

    loads = {load.worker.pk: load for load in drift.caseloads}
    assert (loads[finder.pk].children, loads[finder.pk].households) == (3, 0)
    assert loads[finder.pk].overdue == sum(1 for i in drift.items if i.overdue and i.record_type == "child")
    assert (loads[assessor.pk].children, loads[assessor.pk].households) == (0, 1)
    assert loads[assessor.pk].overdue == len(household_items)
    assert (loads[idle.pk].records, loads[idle.pk].overdue) == (0, 0)
    assert manager.pk not in loads  # managers hold no cases here

    filtered = client.get("/drift/agency/", {"council": liverpool.pk})
    items = filtered.context["drift"].items
    assert {i.pk for i in items} == {liverpool_late.pk} and {i.council for i in items} == {"Liverpool"}
    assert [c.name for c in filtered.context["drift"].councils] == ["Liverpool"]
    loads = {load.worker.pk: load for load in filtered.context["drift"].caseloads}
    assert (loads[finder.pk].children, loads[assessor.pk].households if assessor.pk in loads else 0) == (1, 0)
    page = filtered.content.decode()
    assert knowsley_late.reference not in page and household.reference not in page
    assert f'<option value="{knowsley.pk}">Knowsley</option>' in page  # the GOV.UK select to change it

    by_worker = client.get("/drift/agency/", {"worker": assessor.pk}).context["drift"]
    assert {i.reference for i in by_worker.items} == {household.reference}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.FINANCE_OFFICER])
def test_board_members_and_finance_officers_are_refused(aim, client_for, role):
    client = client_for(builders.user(role, aim))
    assert client.get("/drift/").status_code == 403
    assert client.get("/drift/agency/").status_code == 403
    assert "/drift/" not in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, mine, agency",
    [
        (Role.SOCIAL_WORKER, 200, 403),
        (Role.RECRUITMENT_ASSESSMENT, 200, 403),
        (Role.FAMILY_FINDER, 200, 200),
        (Role.TEAM_MANAGER, 200, 200),
        (Role.PANEL_ADVISER, 200, 200),
        (Role.ADM, 200, 200),
        (Role.ADMINISTRATOR, 200, 200),
    ],
)
def test_who_may_open_the_drift_pages(aim, client_for, role, mine, agency):
    client = client_for(builders.user(role, aim))
    assert client.get("/drift/").status_code == mine
    assert client.get("/drift/agency/").status_code == agency
    assert 'href="/drift/"' in client.get("/").content.decode()  # the navigation item


@pytest.mark.django_db
def test_the_drift_command_prints_a_councils_overdue_references(aim, today):
    worker = builders.user(Role.FAMILY_FINDER, aim)
    knowsley = waiting_child(aim, "Knowsley", order_days_ago=200)
    liverpool = waiting_child(aim, "Liverpool", order_days_ago=200)
    on_track = waiting_child(aim, "Knowsley", order_days_ago=10)
    knowsley.allocated_workers.add(worker)

    out = StringIO()
    call_command("drift", "--council", "E08000011", stdout=out)
    text = out.getvalue()
    due = knowsley.placement_order_on + timedelta(days=T.order_to_match_days)
    line = next(row for row in text.splitlines() if row.startswith(knowsley.reference) and "match" in row)
    assert due.isoformat() in line and f" {(today - due).days} " in line and str(worker) in line
    assert liverpool.reference not in text and on_track.reference not in text
    assert knowsley.first_name not in text and knowsley.last_name not in text

    # As of an earlier day, before anything fell due, the list is empty.
    out = StringIO()
    before = knowsley.placement_order_on + timedelta(days=1)
    call_command("drift", "--council", "E08000011", "--agency", "aim", "--date", before.isoformat(), stdout=out)
    assert knowsley.reference not in out.getvalue() and ": 0 items" in out.getvalue()


@pytest.mark.django_db
def test_the_digest_mails_each_worker_with_overdue_items_and_no_names(aim, mailoutbox):
    first = builders.user(Role.FAMILY_FINDER, aim, username="first")
    second = builders.user(Role.SOCIAL_WORKER, aim, employer="Liverpool", username="second")
    no_address = builders.user(Role.FAMILY_FINDER, aim, username="no.address")
    only_due_soon = builders.user(Role.FAMILY_FINDER, aim, username="soon")
    for user, address in (
        (first, "first@example.org"),
        (second, "second@example.org"),
        (only_due_soon, "soon@example.org"),
    ):
        user.email = address
        user.save()
    a = waiting_child(aim, "Knowsley", order_days_ago=200)
    b = waiting_child(aim, "Liverpool", order_days_ago=150, first_name="Philomena", last_name="Strudwick")
    c = waiting_child(aim, "Knowsley", order_days_ago=T.waiting_days - 3)
    a.allocated_workers.add(first, no_address)
    b.allocated_workers.add(first, second)
    c.allocated_workers.add(only_due_soon)

    out = StringIO()
    call_command("drift_digest", "--dry-run", stdout=out)
    assert mailoutbox == [] and "Would send 2 digests" in out.getvalue()

    out = StringIO()
    call_command("drift_digest", stdout=out)
    assert sorted(m.to[0] for m in mailoutbox) == ["first@example.org", "second@example.org"]
    mails = {m.to[0]: m for m in mailoutbox}
    assert a.reference in mails["first@example.org"].body and b.reference in mails["first@example.org"].body
    assert b.reference in mails["second@example.org"].body and a.reference not in mails["second@example.org"].body
    assert f"/children/{a.pk}/" in mails["first@example.org"].body
    for mail in mailoutbox:
        text = mail.subject + mail.body
        for child in (a, b, c):
            assert child.first_name not in text and child.last_name not in text
            assert child.birth_mother_name not in text
    assert "no.address" in out.getvalue()


@pytest.mark.django_db
def test_the_agency_view_makes_the_same_queries_for_5_or_30_children(aim, client_for):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    workers = [builders.user(Role.FAMILY_FINDER, aim, username=f"worker{n}") for n in range(3)]
    client = client_for(manager)

    def add_children(n):
        for i in range(n):
            child = waiting_child(aim, ("Knowsley", "Liverpool")[i % 2], order_days_ago=100 + i * 7)
            child.allocated_workers.add(workers[i % 3], workers[(i + 1) % 3])
        household = builders.household(aim, "Liverpool")
        household.allocated_workers.add(workers[0])

    def queries(path):
        client.get(path)  # warm up: the session and anything cached once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    add_children(5)
    few = queries("/drift/agency/"), queries("/drift/")
    add_children(25)
    many = queries("/drift/agency/"), queries("/drift/")
    assert many == few, (few, many)


@pytest.mark.django_db
def test_bench_drift_runs_and_its_query_count_does_not_grow():
    import json

    out = StringIO()
    # --in-place: the test database is already a throwaway one, rolled back after the test.
    call_command(
        "bench", "drift", "--json", "--children", "200", "--households", "100", "--runs", "1", "--in-place", stdout=out
    )
    result = json.loads(out.getvalue())
    assert set(result["pages"]) == {"agency", "agency_one_council", "mine"}
    assert all(page["queries"] > 0 and page["median_ms"] > 0 for page in result["pages"].values())
    assert result["query_counts"]["equal"] is True, result["query_counts"]


@pytest.mark.django_db
def test_drift_agrees_with_each_records_own_timescales_on_generated_data(today):
    """The drift reads only columns and computes in bulk; every record's page computes one by one
    (journeys.selectors). Both must give the same overdue and due-soon items."""
    from django.db.models import Min

    from openraa.children.models import Child
    from openraa.demo import generator
    from openraa.households.models import Household
    from openraa.journeys.selectors import child_timescales, household_timescales

    loaded = generator.load_agency(
        generator.AGENCIES["aim"],
        children=60,
        households=40,
        rng=generator.agency_rng(7, "aim"),
        password=builders.PASSWORD,
    )
    manager = next(user for user in loaded.staff if user.has_role(Role.TEAM_MANAGER))
    shown = {"overdue", "due_soon"}
    expected = set()
    for child in Child.objects.filter(agency=loaded.agency).exclude(stage__in=["adopted", "plan_ended"]):
        expected |= {
            ("child", child.pk, t.code, t.due_on, s.value) for t, s in child_timescales(child, today) if s in shown
        }
    for household in Household.objects.filter(agency=loaded.agency).exclude(stage="closed"):
        first = Child.objects.filter(household=household).aggregate(first=Min("linked_on"))["first"]
        expected |= {
            ("household", household.pk, t.code, t.due_on, s.value)
            for t, s in household_timescales(household, today, first_linked_on=first)
            if s in shown
        }
    items = drift_items(manager, today)
    assert expected, "the generated agency should have some drift"
    assert {(i.record_type, i.pk, i.timescale, i.due_on, i.status.value) for i in items} == expected
    assert len(items) == len(expected)
