"""The agency's adoption support timescale targets (issue 9): administrators set them at
/support/targets/; each case's due dates and overdue flags, the list's overdue filter and the
counts for the national return follow them; bad input changes nothing; every change is kept."""

from dataclasses import fields
from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from openraa.common.workdays import add_months
from openraa.partnership.models import Council
from openraa.people.roles import Role
from openraa.support import counts, services
from openraa.support.models import AgencySupportTargets, SupportCase, support_targets_for
from openraa.support.selectors import support_return
from openraa.support.timescales import TARGET_LIMITS, SupportTargets, assessment_due_on
from tests import builders
from tests.support.matrix_support import agreed_case


def test_every_target_has_a_limit_and_a_label():
    assert list(TARGET_LIMITS) == [f.name for f in fields(SupportTargets)]
    for name, limit in TARGET_LIMITS.items():
        assert limit.label and 1 <= getattr(SupportTargets(), name) <= limit.maximum
    assert (
        TARGET_LIMITS["review_months"].out_of_range()
        == "Enter the months between reviews as a whole number from 1 to 12"
    )


_DAYS = st.dates(date(2020, 1, 1), date(2030, 12, 31))


@given(_DAYS, st.integers(0, 400), st.integers(1, 11))
def test_a_longer_assessment_target_never_counts_fewer_assessments_in_time(received, took, months):
    case = counts.CaseFacts("Knowsley", received, received + timedelta(days=took))

    def in_time(n):
        return counts.counts(
            [case], date(2020, 1, 1), date(2032, 12, 31), SupportTargets(assessment_complete_months=n)
        ).total.assessments_in_time

    assert in_time(months) <= in_time(months + 1)
    assert in_time(months) == int(
        case.assessment_completed_on <= assessment_due_on(received, SupportTargets(assessment_complete_months=months))
    )


@pytest.fixture
def admin(aim):
    return builders.user(Role.ADMINISTRATOR, aim, username="admin")


@pytest.fixture
def worker(aim):
    return builders.user(Role.SUPPORT_WORKER, aim, username="worker")


@pytest.fixture
def knowsley(aim):
    return Council.objects.get(name="Knowsley")


def _defaults() -> dict:
    return {f.name: getattr(SupportTargets(), f.name) for f in fields(SupportTargets)}


def _assessing_case(aim, knowsley, by, received_on):
    case = services.open_case(
        SupportCase(
            agency=aim,
            responsible_council=knowsley,
            requester="adoptive_family",
            requester_name="Robin Testparent",
            categories=["therapeutic"],
            request="Therapeutic parenting support",
        ),
        received_on,
        by=by,
    )
    services.record_step(case, "assessment_started", received_on + timedelta(days=1), by=by)
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_the_defaults_hold_until_an_administrator_sets_the_agencys_own(aim, admin, client_for):
    assert support_targets_for(aim) == SupportTargets()
    form = client_for(admin).get("/support/targets/").context["form"]
    assert {name: form[name].value() for name in form.fields} == _defaults()
    assert AgencySupportTargets(agency=aim).as_targets() == SupportTargets()


@pytest.mark.django_db
def test_a_changed_target_changes_the_cases_due_date_and_overdue_flag(aim, admin, worker, knowsley, client_for):
    received = timezone.localdate() - timedelta(days=45)
    case = _assessing_case(aim, knowsley, worker, received)
    worker_client = client_for(worker)

    def completion():
        context = worker_client.get(f"/support/{case.pk}/").context
        item = next(i for i in context["timescales"] if i["timescale"].code == "assessment_completed")
        return item["timescale"].due_on, [i["timescale"].code for i in context["overdue"]]

    def listed_overdue():
        return [row["case"] for row in worker_client.get("/support/?overdue=1").context["rows"]]

    assert completion() == (add_months(received, 3), [])
    assert listed_overdue() == []
    response = client_for(admin).post("/support/targets/", {**_defaults(), "assessment_complete_months": 1})
    assert response.status_code == 302 and response.url == "/support/targets/"
    assert support_targets_for(aim).assessment_complete_months == 1
    assert completion() == (add_months(received, 1), ["assessment_completed"])
    assert listed_overdue() == [case]
    page = client_for(worker).get(f"/support/{case.pk}/").content.decode()
    assert "Overdue: assessment of need completed within 1 month of the request" in page


@pytest.mark.django_db
def test_due_soon_follows_the_agencys_window(aim, admin, worker, knowsley, client_for):
    received = timezone.localdate() - timedelta(days=60)  # completion due in about a month
    case = _assessing_case(aim, knowsley, worker, received)

    def status():
        items = client_for(worker).get(f"/support/{case.pk}/").context["timescales"]
        return next(i["status"] for i in items if i["timescale"].code == "assessment_completed")

    assert status() == "on_track"
    client_for(admin).post("/support/targets/", {**_defaults(), "due_soon_days": 60})
    assert status() == "due_soon"


@pytest.mark.django_db
def test_the_counts_in_time_figure_follows_the_target(aim, admin, worker, knowsley, client_for):
    agreed_case(aim, knowsley, by=worker)  # received 1 May 2025, assessed 20 June 2025

    def in_time():
        context = client_for(worker).get("/support/counts/?year=2025-26").context
        return {line["label"]: line["total"] for line in context["lines"]}["Assessments completed in time"]

    assert in_time() == 1
    client_for(admin).post("/support/targets/", {**_defaults(), "assessment_complete_months": 1})
    assert in_time() == 0
    page = client_for(worker).get("/support/counts/?year=2025-26").content.decode()
    assert "within 1 month of the request" in page

    # The national return's extract (performance/returns.py) reads the same selector.
    _, result = support_return(worker, date(2025, 4, 1), date(2026, 3, 31))
    assert result.total.assessments_in_time == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value",
    [
        ("assessment_complete_months", "0"),
        ("assessment_complete_months", "13"),
        ("review_months", "24"),
        ("assessment_start_working_days", "61"),
        ("plan_working_days", "ten"),
        ("due_soon_days", ""),
        ("plan_working_days", "-5"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(aim, admin, client_for, field, value):
    client = client_for(admin)
    client.post("/support/targets/", {**_defaults(), "plan_working_days": 15})
    before = list(AgencySupportTargets.history.values_list("history_id", flat=True))
    response = client.post("/support/targets/", {**_defaults(), "plan_working_days": 15, field: value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Error: " in page
    assert response.context["form"].errors[field] == [TARGET_LIMITS[field].out_of_range()]
    assert support_targets_for(aim) == SupportTargets(plan_working_days=15)
    assert list(AgencySupportTargets.history.values_list("history_id", flat=True)) == before


@pytest.mark.django_db
def test_each_change_is_kept_with_who_made_it(aim, admin, client_for):
    client = client_for(admin)
    client.post("/support/targets/", {**_defaults(), "review_months": 6})
    client.post("/support/targets/", {**_defaults(), "review_months": 9})
    assert AgencySupportTargets.objects.count() == 1
    history = list(AgencySupportTargets.history.order_by("history_date"))
    assert [h.review_months for h in history] == [6, 9]
    assert {h.history_user for h in history} == {admin}
    assert [h.history_type for h in history] == ["+", "~"]


@pytest.mark.django_db
def test_only_administrators_set_targets_and_only_they_see_the_link(aim, admin, worker, client_for):
    assert client_for(worker).get("/support/targets/").status_code == 403
    assert client_for(worker).post("/support/targets/", {**_defaults(), "review_months": 6}).status_code == 403
    assert not AgencySupportTargets.objects.exists()
    assert 'href="/support/targets/"' not in client_for(worker).get("/support/").content.decode()
    for page in ("/support/", "/support/budget/", "/support/counts/"):
        assert 'href="/support/targets/"' in client_for(admin).get(page).content.decode()


@pytest.mark.django_db
def test_another_agencys_targets_do_not_reach_this_one(aim, worker, knowsley, client_for):
    stranger = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    client_for(builders.user(Role.ADMINISTRATOR, stranger, "Sefton", username="bkm-admin")).post(
        "/support/targets/", {**_defaults(), "assessment_complete_months": 1}
    )
    assert support_targets_for(stranger).assessment_complete_months == 1
    assert support_targets_for(aim) == SupportTargets()
    case = _assessing_case(aim, knowsley, worker, timezone.localdate() - timedelta(days=45))
    assert client_for(worker).get(f"/support/{case.pk}/").context["overdue"] == []
