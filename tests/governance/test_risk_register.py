"""The partnership's risk register: ratings worked out without a database, risks raised and reviewed
through the pages with their history, board members reading and not writing, other roles refused,
another agency's risk answering 404, and the demo's risks taken from the papers."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from openraa.governance import risks
from openraa.governance.demo import RISKS, load_risks
from openraa.governance.models import Risk, RiskReview
from openraa.governance.risks import Band, Rating, Trend
from tests import builders


def date_fields(name, when):
    return {f"{name}_0": str(when.day), f"{name}_1": str(when.month), f"{name}_2": str(when.year)}


def test_a_rating_is_likelihood_times_impact_in_its_band():
    assert Rating(1, 4).band == Band.LOW and Rating(3, 3).band == Band.MEDIUM
    assert Rating(4, 4).score == 16 and Rating(4, 4).band == Band.HIGH
    assert Rating(4, 5).band == Band.VERY_HIGH
    with pytest.raises(ValueError):
        Rating(0, 3)
    with pytest.raises(ValueError):
        Rating(3, 6)


def test_reviews_fall_due_by_band_and_the_trend_compares_the_last_two():
    assert risks.review_due(date(2024, 1, 31), Rating(4, 4)) == date(2024, 2, 29)
    assert risks.review_due(date(2024, 1, 1), Rating(1, 2)) == date(2024, 7, 1)
    assert risks.review_overdue(date(2024, 1, 1), Rating(3, 3), date(2024, 4, 2))
    assert not risks.review_overdue(date(2024, 1, 1), Rating(3, 3), date(2024, 4, 2), closed=True)
    assert risks.trend(None, Rating(2, 2)) == Trend.NEW
    assert risks.trend(Rating(2, 2), Rating(3, 2)) == Trend.UP
    assert risks.trend(Rating(3, 2), Rating(2, 3)) == Trend.SAME
    assert "raised on" in risks.review_problems(date(2024, 1, 1), None, None, date(2023, 12, 31))["reviewed_on"]
    assert "closed" in risks.review_problems(date(2024, 1, 1), None, date(2024, 2, 1), date(2024, 3, 1))["reviewed_on"]
    grid = risks.grid([Rating(5, 5), Rating(5, 5), Rating(1, 1)])
    assert grid[0][0] == 5 and grid[0][1][4] == (5, 2, Band.VERY_HIGH) and grid[-1][1][0] == (1, 1, Band.LOW)


@pytest.fixture
def admin(aim):
    return builders.user("administrator", aim, "Knowsley")


@pytest.mark.django_db
def test_an_administrator_raises_and_reviews_a_risk_with_its_history(aim, admin, client_for):
    client = client_for(admin)
    raised_on = timezone.localdate() - timedelta(days=60)
    response = client.post(
        reverse("governance:risk-create"),
        {
            "title": "Set-up costs exceed the budgets",
            "description": "The additional costs fall on the councils after two years",
            "owner": "Finance lead",
            "controls": "A service review",
            "source": "Sefton cabinet, 1 February 2018, 5.2",
            "likelihood": "3",
            "impact": "4",
            **date_fields("raised_on", raised_on),
        },
    )
    risk = Risk.objects.get()
    assert response.status_code == 302 and response.url == reverse("governance:risk", kwargs={"pk": risk.pk})
    assert risk.rating == Rating(3, 4) and risk.history.get().history_user == admin
    assert risk.reviews.get().history.get().history_user == admin

    review_url = reverse("governance:risk-review", kwargs={"pk": risk.pk})
    early = client.post(
        review_url,
        {"likelihood": "2", "impact": "2", "note": "x", **date_fields("reviewed_on", raised_on - timedelta(days=1))},
    )
    assert early.status_code == 200 and "give that day or later" in early.content.decode()
    assert risk.reviews.count() == 1
    out_of_range = client.post(
        review_url, {"likelihood": "9", "impact": "2", "note": "x", **date_fields("reviewed_on", timezone.localdate())}
    )
    assert out_of_range.status_code == 200 and risk.reviews.count() == 1
    done = client.post(
        review_url,
        {
            "likelihood": "2",
            "impact": "3",
            "note": "Review under way",
            **date_fields("reviewed_on", timezone.localdate()),
        },
    )
    assert done.status_code == 302
    risk = Risk.objects.get()
    assert risk.rating == Rating(2, 3) and risk.trend == Trend.DOWN
    assert RiskReview.objects.filter(risk=risk).count() == 2  # the first rating stays on the record

    page = client.get(reverse("governance:risk", kwargs={"pk": risk.pk})).content.decode()
    assert "Review under way" in page and "Changes to this record" in page and "12 High" in page
    register = client.get(reverse("governance:risks")).content.decode()
    assert "Set-up costs exceed the budgets" in register and "6 Medium" in register

    change_url = reverse("governance:risk-change", kwargs={"pk": risk.pk})
    closing = {
        "title": risk.title,
        "description": risk.description,
        "owner": "Head of Service",
        "controls": risk.controls,
        "source": risk.source,
    }
    too_early = client.post(change_url, {**closing, **date_fields("closed_on", raised_on)})
    assert too_early.status_code == 200 and "close it that day or later" in too_early.content.decode()
    assert client.post(change_url, {**closing, **date_fields("closed_on", timezone.localdate())}).status_code == 302
    risk.refresh_from_db()
    assert risk.owner == "Head of Service" and risk.history.count() == 2
    row = f"{risk.reference} Set-up costs"  # the register's link, not the message saying it was saved
    assert row not in client.get(reverse("governance:risks")).content.decode()
    assert row in client.get(reverse("governance:risks") + "?closed=1").content.decode()
    closed_review = client.post(
        review_url, {"likelihood": "2", "impact": "2", "note": "x", **date_fields("reviewed_on", timezone.localdate())}
    )
    assert "closed risk is not reviewed" in closed_review.content.decode()


@pytest.mark.django_db
def test_board_members_read_the_register_others_are_refused_and_other_agencies_risks_are_404(aim, client_for):
    load_risks(aim)
    risk = Risk.objects.filter(agency=aim).first()
    board_member = builders.user("board_member", aim, "Knowsley")
    client = client_for(board_member)
    assert client.get(reverse("governance:risks")).status_code == 200
    assert client.get(reverse("governance:risk", kwargs={"pk": risk.pk})).status_code == 200
    assert client.get(reverse("governance:risk-create")).status_code == 403
    assert client.get(reverse("governance:risk-review", kwargs={"pk": risk.pk})).status_code == 403
    assert client.post(reverse("governance:risk-change", kwargs={"pk": risk.pk}), {}).status_code == 403
    finder = builders.user("family_finder", aim, "Knowsley")
    assert client_for(finder).get(reverse("governance:risks")).status_code == 403

    other = builders.agency("other", councils=("Sefton",), host="Sefton")
    other_admin = builders.user("administrator", other, "Sefton")
    client = client_for(other_admin)
    for name in ("risk", "risk-change", "risk-review"):
        assert client.get(reverse(f"governance:{name}", kwargs={"pk": risk.pk})).status_code == 404, name


@pytest.mark.django_db
def test_the_demo_risks_come_from_each_partnerships_own_paper(aim):
    """Each paper lists its risks, e.g. Sefton 2018, 5.3: "The existing adoption allowances are not in
    scope as part of this initiative. However these are currently overspending by approximately
    £40,000 p.a."; Derby 2017: "the risk of Government sanctions in relation to financial claw back of
    the project funding already received by the region"."""
    assert set(RISKS) == {"aim", "bkm", "nmapp", "d2n2"}
    load_risks(aim)
    on_register = Risk.objects.filter(agency=aim)
    assert on_register.count() == len(RISKS["aim"])
    assert all(risk.source and risk.rating for risk in on_register)
    allowances = on_register.get(title="Adoption allowances overspend")
    assert "£40,000" in allowances.description and allowances.source.startswith("Sefton cabinet, 1 February 2018")
    today = timezone.localdate()
    assert not any(risk.review_overdue(today) for risk in on_register)  # the demo register is current
    assert on_register.get(title="The partnership agreement lapsed").closed_on == date(2022, 4, 1)
    assert any("claw back" in risk[1] for risk in RISKS["d2n2"])
