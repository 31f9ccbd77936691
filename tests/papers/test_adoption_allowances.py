"""Adoption allowances stay with each council (AIM), with their policy, families, payments, annual
reviews and the overspend the board sees (issue 19)."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from openraa.audit.models import RecordView
from openraa.common.years import FinancialYear
from openraa.support import allowance_selectors, allowances
from openraa.support.demo import load_allowances
from openraa.support.models import Allowance, AllowanceBudget, AllowancePayment, AllowanceReview
from tests import builders

D = Decimal


def when(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_reviews_fall_due_annually_and_spend_is_set_against_the_councils_budget():
    assert allowances.review_due(date(2024, 5, 1), None, 12) == date(2025, 5, 1)
    assert allowances.review_due(date(2024, 5, 1), date(2025, 4, 20), 12) == date(2026, 4, 20)
    assert allowances.review_overdue(date(2024, 5, 1), None, 12, date(2025, 5, 2))
    assert not allowances.review_overdue(date(2024, 5, 1), None, 12, date(2025, 5, 2), ends_on=date(2025, 1, 1))
    spent = allowances.spend(
        D("100.00"),
        [(date(2024, 4, 1), D("90.00")), (date(2024, 5, 1), D("50.00"))],
        date(2024, 4, 1),
        date(2025, 3, 31),
    )
    assert spent.paid == D("140.00") and spent.overspend == D("40.00")
    assert allowances.Spend(None, D("1")).overspend is None
    problems = allowances.payment_problems(date(2024, 4, 1), None, date(2024, 3, 1), D("0"), date(2025, 1, 1))
    assert set(problems) == {"paid_on", "amount"}


@pytest.fixture
def worker(aim):
    return builders.user("support_worker", aim, "Knowsley")


@pytest.mark.django_db
def test_a_council_allowance_is_recorded_paid_and_reviewed_with_its_history(aim, worker, client_for):
    client = client_for(worker)
    knowsley = builders.council("Knowsley")
    family = builders.household(aim, "Knowsley")
    assert (
        client.post(
            "/support/allowances/policy/",
            {
                "council": knowsley.pk,
                "title": "Knowsley allowance policy",
                "review_every_months": "12",
                "means_tested": "on",
                **when("in_force_from", date(2018, 4, 1)),
            },
        ).status_code
        == 302
    )
    start = timezone.localdate() - timedelta(days=400)
    response = client.post(
        "/support/allowances/new/",
        {
            "household_reference": family.reference,
            "council": knowsley.pk,
            "yearly_amount": "6000",
            **when("starts_on", start),
        },
    )
    allowance = Allowance.objects.get()
    assert response.status_code == 302 and allowance.history.get().history_user == worker
    wrong = client.post(
        "/support/allowances/new/",
        {
            "household_reference": "H-999999",
            "council": knowsley.pk,
            "yearly_amount": "6000",
            **when("starts_on", start),
        },
    )
    assert "No family with the reference H-999999" in wrong.content.decode() and Allowance.objects.count() == 1
    superscript = client.post(
        "/support/allowances/new/",
        {"household_reference": "H-²", "council": knowsley.pk, "yearly_amount": "6000", **when("starts_on", start)},
    )
    assert superscript.status_code == 200 and Allowance.objects.count() == 1  # refused, never a server error

    listing = client.get("/support/allowances/").content.decode()
    assert allowance.reference in listing and "Overdue" in listing  # more than a year without a review

    base = f"/support/allowances/{allowance.pk}/"
    early = client.post(base + "payment/", {"amount": "500", **when("paid_on", start - timedelta(days=1))})
    assert "within the allowance" in early.content.decode() and not AllowancePayment.objects.exists()
    assert client.post(base + "payment/", {"amount": "500", **when("paid_on", start)}).status_code == 302
    assert (
        client.post(
            base + "review/",
            {"yearly_amount": "6600", "note": "Continued, increased", **when("reviewed_on", timezone.localdate())},
        ).status_code
        == 302
    )
    allowance.refresh_from_db()
    assert allowance.yearly_amount == D("6600.00") and allowance.history.count() == 2
    assert AllowanceReview.objects.get().history.get().history_user == worker
    assert "Overdue" not in client.get("/support/allowances/").content.decode()
    assert "Continued, increased" in client.get(base).content.decode()
    too_early = client.post(base + "end/", when("ends_on", start - timedelta(days=1)))
    assert "give a later day" in too_early.content.decode()
    assert client.post(base + "end/", when("ends_on", timezone.localdate())).status_code == 302
    allowance.refresh_from_db()
    assert allowance.ends_on == timezone.localdate() and allowance.history.count() == 3
    assert "already ended" in client.post(base + "end/", when("ends_on", timezone.localdate())).content.decode()
    assert RecordView.objects.filter(user=worker, record_type="households.household", record_id=family.pk).exists()


@pytest.mark.django_db
def test_the_board_sees_each_councils_overspend_and_no_family(aim, client_for):
    """Sefton 2018, 5.3: "The existing adoption allowances are not in scope as part of this
    initiative. However these are currently overspending by approximately £40,000 p.a."; 4.7: the
    councils' "Adoption Allowance Policies ... in the first year this will remain the responsibility
    of each authority separately"."""
    for name in ("Sefton", "Wirral"):
        builders.council(name)
    aim4 = builders.agency("aim4", councils=("Knowsley", "Liverpool", "Sefton", "Wirral"), host="Knowsley")
    for name in ("Knowsley", "Liverpool", "Sefton", "Wirral"):
        for _ in range(8):
            builders.household(aim4, name)
    load_allowances(aim4, random.Random(1))
    last_year = FinancialYear.containing(timezone.localdate()) - 1
    councils = list(aim4.member_councils().order_by("name"))
    rows = {r.council.name: r for r in allowance_selectors.by_council(aim4, councils, last_year, timezone.localdate())}
    assert rows["Sefton"].spend.overspend == D("40000.00")
    assert all(rows[name].spend.overspend < 0 for name in ("Knowsley", "Liverpool", "Wirral"))
    assert all(row.policy is not None and row.receiving == 8 and row.reviews_overdue == 0 for row in rows.values())
    assert AllowanceBudget.objects.filter(agency=aim4).count() == 8

    board_member = builders.user("board_member", aim4, "Knowsley", username="board.aim4")
    client = client_for(board_member)
    page = client.get(f"/support/allowances/board/?year={last_year.label}").content.decode()
    assert "£40,000.00" in page and "Sefton adoption allowance policy" in page
    assert "H-0" not in page  # money totals only, no family
    assert client.get("/support/allowances/").status_code == 403
    assert client.get(f"/support/allowances/{Allowance.objects.first().pk}/").status_code == 403


@pytest.mark.django_db
def test_another_agencys_allowance_answers_404(aim, client_for):
    family = builders.household(aim, "Knowsley")
    allowance = Allowance.objects.create(
        agency=aim,
        council=builders.council("Knowsley"),
        household=family,
        starts_on=date(2024, 4, 1),
        yearly_amount=D("6000"),
    )
    other = builders.agency("other", councils=("Sefton",), host="Sefton")
    client = client_for(builders.user("support_worker", other, "Sefton"))
    for suffix in ("", "review/", "payment/", "end/"):
        assert client.get(f"/support/allowances/{allowance.pk}/{suffix}").status_code == 404, suffix
