"""Partnership administration pages: each form's change is written by its service with history under
the administrator, and refused input is shown on the form with nothing saved."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from openraa.partnership.models import Base, CouncilRole, Membership, Team
from openraa.people.models import HeadOfService, Secondment, head_of_service_on
from openraa.people.roles import Role
from tests import builders

WIRRAL, SEFTON = "E08000015", "E08000014"


def when(name: str, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def errors(response) -> str:
    assert response.status_code == 200
    return " ".join(str(e) for errs in response.context["form"].errors.values() for e in errs)


@pytest.fixture
def admin(aim):
    return builders.user(Role.ADMINISTRATOR, aim)


@pytest.mark.django_db
def test_a_council_joins_and_one_in_another_agency_that_day_is_refused(aim, admin, client_for):
    client = client_for(admin)
    done = client.post("/partnership/councils/", {"ons_code": WIRRAL, **when("joined_on", date(2020, 4, 1))})
    assert done.status_code == 302
    joined = Membership.objects.get(agency=aim, council__ons_code=WIRRAL)
    assert joined.joined_on == date(2020, 4, 1) and joined.history.get().history_user == admin

    builders.agency("bkm", councils=("Sefton",), host=None)
    refused = client.post("/partnership/councils/", {"ons_code": SEFTON, **when("joined_on", date(2021, 1, 1))})
    assert "Sefton is a member of Agency bkm" in errors(refused)
    unknown = client.post("/partnership/councils/", {"ons_code": "E99", **when("joined_on", date(2021, 1, 1))})
    assert "is not the ONS code" in errors(unknown)
    assert not Membership.objects.filter(agency=aim, council__ons_code=SEFTON).exists()


@pytest.mark.django_db
def test_a_council_leaves_but_not_the_host_nor_the_last_member(aim, admin, client_for):
    client = client_for(admin)
    liverpool = Membership.objects.get(agency=aim, council__name="Liverpool")
    knowsley = Membership.objects.get(agency=aim, council__name="Knowsley")
    refused = client.post(
        "/partnership/councils/leave/", {"membership": knowsley.pk, **when("left_on", date(2024, 4, 1))}
    )
    assert "is the host council on 01/04/2024" in errors(refused)
    done = client.post(
        "/partnership/councils/leave/", {"membership": liverpool.pk, **when("left_on", date(2024, 4, 1))}
    )
    assert done.status_code == 302
    liverpool.refresh_from_db()
    assert liverpool.left_on == date(2024, 4, 1)
    assert [c.name for c in aim.member_councils(date(2024, 3, 31))] == ["Knowsley", "Liverpool"]
    assert [c.name for c in aim.member_councils(date(2024, 4, 1))] == ["Knowsley"]

    CouncilRole.objects.filter(agency=aim).update(ends_on=date(2024, 12, 31))
    last = client.post("/partnership/councils/leave/", {"membership": knowsley.pk, **when("left_on", date(2025, 4, 1))})
    assert "last member council" in errors(last)


@pytest.mark.django_db
def test_the_host_changes_from_a_day_and_past_days_still_show_the_old_host(aim, admin, client_for):
    client = client_for(admin)
    change = {"kind": "host", "council": builders.council("Liverpool").pk, "note": "Review of the host"}
    done = client.post("/partnership/host/", {**change, **when("starts_on", date(2022, 4, 1))})
    assert done.status_code == 302
    assert aim.host_on(date(2022, 3, 31)).name == "Knowsley"
    assert aim.host_on(date(2022, 4, 1)).name == "Liverpool"
    assert aim.host_council.name == "Liverpool"
    old = CouncilRole.objects.get(agency=aim, council__name="Knowsley")
    assert old.ends_on == date(2022, 3, 31) and old.history.latest().history_user == admin

    page = client.get("/partnership/", {**when("on", date(2019, 6, 30))})
    assert page.context["host"].name == "Knowsley" and "Host council on 30 June 2019" in page.content.decode()
    assert client.get("/partnership/").context["host"].name == "Liverpool"
    bad_day = client.get("/partnership/", {"on_0": "31", "on_1": "2", "on_2": "2022"})
    assert bad_day.status_code == 200 and bad_day.context["day"] == timezone.localdate()

    earlier = client.post("/partnership/host/", {**change, **when("starts_on", date(2020, 1, 1))})
    assert "changes are recorded in date order" in errors(earlier)
    stranger = builders.agency("bkm", councils=("Sefton",), host=None)
    not_member = client.post(
        "/partnership/host/",
        {**change, "council": builders.council("Sefton").pk, **when("starts_on", date(2023, 1, 1))},
    )
    assert "Select a valid choice" in errors(not_member)
    assert stranger.host_council is None and CouncilRole.objects.filter(agency=aim).count() == 2


@pytest.mark.django_db
def test_a_base_and_a_team(aim, admin, client_for):
    client = client_for(admin)
    knowsley = builders.council("Knowsley")
    hot = {"name": "Centre", "kind": "hot_desks", "council": knowsley.pk, "desks": "30", "address": "Halewood"}
    assert client.post("/partnership/bases/", hot).status_code == 302
    base = Base.objects.get(agency=aim)
    assert (base.desks, base.history.get().history_user) == (30, admin)
    office = client.post("/partnership/bases/", {**hot, "name": "Office", "kind": "office"})
    assert "only for a base of hot desks" in errors(office)
    again = client.post("/partnership/bases/", hot)
    assert "already exists" in errors(again)

    team = {"name": "Family finding", "kind": "family_finding", "base": base.pk}
    assert client.post("/partnership/teams/", team).status_code == 302
    assert Team.objects.get(agency=aim).base == base
    assert "Select a valid choice" in errors(client.post("/partnership/teams/", {**team, "kind": "cooking"}))
    assert (
        client_for(builders.user(Role.TEAM_MANAGER, aim, username="tm")).get("/partnership/teams/").status_code == 403
    )


@pytest.mark.django_db
def test_the_head_of_service_changes_from_a_day(aim, admin, client_for):
    client = client_for(admin)
    first = builders.user(Role.TEAM_MANAGER, aim, username="first")
    second = builders.user(Role.TEAM_MANAGER, aim, username="second")
    assert (
        client.post(
            "/partnership/head-of-service/", {"user": first.pk, **when("starts_on", date(2018, 4, 1))}
        ).status_code
        == 302
    )
    assert (
        client.post(
            "/partnership/head-of-service/", {"user": second.pk, **when("starts_on", date(2021, 9, 1))}
        ).status_code
        == 302
    )
    assert head_of_service_on(aim, date(2021, 8, 31)) == first and head_of_service_on(aim) == second
    same = client.post("/partnership/head-of-service/", {"user": second.pk, **when("starts_on", date(2022, 1, 1))})
    assert "already the Head of Service" in errors(same)
    assert HeadOfService.objects.filter(agency=aim).count() == 2


@pytest.mark.django_db
def test_a_secondment_makes_staff_seconded_only_within_its_dates(aim, admin, client_for):
    client = client_for(admin)
    finder = builders.user(Role.FAMILY_FINDER, aim, employer="Liverpool")
    assert not finder.is_seconded  # employed by Liverpool, not the host: not seconded without a secondment
    today = timezone.localdate()
    data = {
        "user": finder.pk,
        "from_council": builders.council("Liverpool").pk,
        **when("starts_on", today - timedelta(days=30)),
        "terms": "Liverpool's terms and conditions",
    }
    assert client.post("/partnership/secondments/", data).status_code == 302
    secondment = Secondment.objects.get(user=finder)
    assert finder.is_seconded and not finder.is_seconded_on(today - timedelta(days=31))
    assert secondment.history.get().history_user == admin
    assert "Seconded" in client.get("/partnership/").content.decode()

    overlapping = client.post("/partnership/secondments/", data)
    assert "already seconded" in errors(overlapping)
    wrong_council = client.post("/partnership/secondments/", {**data, "from_council": builders.council("Knowsley").pk})
    assert "is employed by Liverpool" in errors(wrong_council)

    early = client.post(
        "/partnership/secondments/end/", {"secondment": secondment.pk, **when("ends_on", today - timedelta(days=60))}
    )
    assert "give a later day" in errors(early)
    ended = client.post(
        "/partnership/secondments/end/", {"secondment": secondment.pk, **when("ends_on", today - timedelta(days=1))}
    )
    assert ended.status_code == 302
    assert not finder.is_seconded and finder.is_seconded_on(today - timedelta(days=1))


@pytest.mark.django_db
def test_only_administrators_reach_the_administration_pages(aim, client_for):
    board = client_for(builders.user(Role.BOARD_MEMBER, aim))
    for path in (
        "councils/",
        "councils/leave/",
        "host/",
        "bases/",
        "teams/",
        "head-of-service/",
        "secondments/",
        "secondments/end/",
    ):
        assert board.get(f"/partnership/{path}").status_code == 403
