"""The calendar of panel dates: the page by month, the iCalendar file, and the per-user feed a
calendar app fetches with a signed token. No personal data ever goes into the feed."""

from datetime import date, datetime, timedelta

import pytest
from django.core import signing
from django.utils import timezone

from openraa.journeys import calendar_feed, panels, services
from openraa.journeys.models import AgendaItem
from openraa.people.roles import Role
from tests import builders
from tests.journeys.panel_helpers import awaiting_panel, linked_child, meeting_of, members_of


def test_panel_dates_are_grouped_by_month_in_date_order():
    rows = [
        panels.CalendarRow(date(2026, 3, 2), 1, True, 3),
        panels.CalendarRow(date(2026, 2, 20), 0, None, 2),
        panels.CalendarRow(date(2026, 2, 5), 2, False, 1),
    ]
    months = panels.by_month(rows)
    assert [month for month, _ in months] == [date(2026, 2, 1), date(2026, 3, 1)]
    assert [row.key for row in months[0][1]] == [1, 2]


def test_the_ics_file_follows_rfc_5545():
    text = calendar_feed.ics(
        [calendar_feed.PanelDate(7, date(2026, 1, 14), 1), calendar_feed.PanelDate(8, date(2026, 2, 11), 3)],
        calendar_name="Agency; with, commas and a name long enough to need folding across two content lines",
        uid_domain="aim.openraa",
        now=datetime(2026, 1, 1, 9, 30, tzinfo=timezone.get_current_timezone()),
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "X-WR-CALNAME:Agency\\; with\\, commas" in text
    assert text.count("BEGIN:VEVENT") == 2 and "UID:panel-7@aim.openraa" in text
    assert "DTSTART;VALUE=DATE:20260114\r\nDTEND;VALUE=DATE:20260115" in text
    assert "DESCRIPTION:1 item on the agenda" in text and "DESCRIPTION:3 items on the agenda" in text
    assert "DTSTAMP:20260101T093000Z" in text  # London is on UTC in January


def test_a_token_names_its_user_and_agency_and_refuses_tampering(aim):
    user = builders.user(Role.PANEL_ADVISER, aim)
    token = calendar_feed.make_token(user)
    assert calendar_feed.read_token(token)[:2] == (user.pk, aim.pk)
    assert calendar_feed.read_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB")) is None
    assert calendar_feed.read_token(signing.dumps({"u": user.pk, "a": aim.pk})) is None  # another salt
    assert calendar_feed.read_token("not-a-token") is None


@pytest.fixture
def adviser(aim):
    return builders.user(Role.PANEL_ADVISER, aim)


@pytest.fixture
def panel_dates(aim):
    """A panel ahead with a named household and child on its agenda, one just held, one long ago."""
    today = timezone.localdate()
    household = awaiting_panel(aim)
    household.applicants.update(first_name="Priya", last_name="Uniquesurname")
    child = linked_child(aim, builders.household(aim), first_name="Zebedee", last_name="Rarename")
    ahead = meeting_of(aim, today + timedelta(days=10))
    AgendaItem.objects.create(meeting=ahead, kind="household_approval", household=household)
    match = AgendaItem.objects.create(meeting=ahead, kind="match", household=child.household)
    match.children.set([child])
    held = meeting_of(aim, today - timedelta(days=10), members_of(aim))
    old = meeting_of(aim, today - timedelta(days=400))
    return {"ahead": ahead, "held": held, "old": old, "household": household, "child": child}


PERSONAL = ("Priya", "Uniquesurname", "Zebedee", "Rarename", "Testadopter", "H-0", "C-0", "Knowsley")


@pytest.mark.django_db
def test_the_calendar_page_lists_recent_and_upcoming_panels_by_month(panel_dates, adviser, client_for):
    page = client_for(adviser).get("/panels/calendar/")
    assert page.status_code == 200
    rows = {row.key: row for _, rows in page.context["months"] for row in rows}
    assert set(rows) == {panel_dates["ahead"].pk, panel_dates["held"].pk}  # not the one 400 days ago
    assert rows[panel_dates["ahead"].pk].items == 2 and rows[panel_dates["ahead"].pk].quorate is None
    assert rows[panel_dates["held"].pk].quorate is True
    html = page.content.decode()
    assert f"/panels/{panel_dates['ahead'].pk}/" in html and "No attendance yet" in html and "Quorate" in html
    assert page.context["feed_url"].startswith("http://testserver/panels/calendar/feed/")
    assert "/panels/calendar/" in client_for(adviser).get("/panels/").content.decode()  # linked from the list


@pytest.mark.django_db
def test_the_signed_in_download_is_the_agency_panel_dates_without_personal_data(panel_dates, adviser, client_for):
    response = client_for(adviser).get("/panels/calendar/panels.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="aim_panels.ics"'
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 2  # the last year: not the panel of 400 days ago
    assert text.count("SUMMARY:Adoption panel") == 2
    assert f"DTSTART;VALUE=DATE:{panel_dates['ahead'].held_on:%Y%m%d}" in text
    assert "DESCRIPTION:2 items on the agenda" in text and "DESCRIPTION:0 items on the agenda" in text
    for word in PERSONAL:
        assert word not in text


@pytest.mark.django_db
def test_a_calendar_app_fetches_the_feed_with_the_token_and_no_session(panel_dates, adviser, client_for, client):
    feed_url = client_for(adviser).get("/panels/calendar/").context["feed_url"].removeprefix("http://testserver")
    client.logout()
    response = client.get(feed_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 2
    for word in PERSONAL:
        assert word not in text
    tampered = feed_url.replace("/panels.ics", "x/panels.ics")
    assert client.get(tampered).status_code == 404
    assert client.get("/panels/calendar/feed/not-valid/panels.ics").status_code == 404


@pytest.mark.django_db
def test_a_token_of_an_inactive_user_or_another_agency_is_not_found(panel_dates, adviser, client):
    stranger_agency = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    forged = signing.dumps({"u": adviser.pk, "a": stranger_agency.pk}, salt=calendar_feed.SALT)
    assert client.get(f"/panels/calendar/feed/{forged}/panels.ics").status_code == 404
    token = calendar_feed.make_token(adviser)
    adviser.agency = stranger_agency  # moved agency: the old token no longer opens either
    adviser.save()
    assert client.get(f"/panels/calendar/feed/{token}/panels.ics").status_code == 404
    adviser.agency, adviser.is_active = panel_dates["ahead"].agency, False
    adviser.save()
    assert client.get(f"/panels/calendar/feed/{token}/panels.ics").status_code == 404


@pytest.mark.django_db
def test_a_new_password_retires_the_feed_addresses_given_before(panel_dates, adviser, client):
    token = calendar_feed.make_token(adviser)
    assert client.get(f"/panels/calendar/feed/{token}/panels.ics").status_code == 200
    adviser.set_password("a-new-long-passphrase-for-the-test")
    adviser.save()
    assert client.get(f"/panels/calendar/feed/{token}/panels.ics").status_code == 404
    fresh = calendar_feed.make_token(adviser)
    assert client.get(f"/panels/calendar/feed/{fresh}/panels.ics").status_code == 200


@pytest.mark.django_db
def test_each_agency_feed_holds_only_its_own_panels(panel_dates, client):
    stranger_agency = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    theirs = meeting_of(stranger_agency, timezone.localdate() + timedelta(days=3))
    stranger = builders.user(Role.PANEL_ADVISER, stranger_agency, employer="Sefton")
    text = client.get(f"/panels/calendar/feed/{calendar_feed.make_token(stranger)}/panels.ics").content.decode()
    assert text.count("BEGIN:VEVENT") == 1 and f"UID:panel-{theirs.pk}@bkm.openraa" in text


@pytest.mark.django_db
def test_a_user_without_the_panel_grant_is_refused_the_feed_and_the_calendar(panel_dates, aim, client_for, client):
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    assert client.get(f"/panels/calendar/feed/{calendar_feed.make_token(worker)}/panels.ics").status_code == 403
    signed_in = client_for(worker)
    assert signed_in.get("/panels/calendar/").status_code == 403
    assert signed_in.get("/panels/calendar/panels.ics").status_code == 403


@pytest.mark.django_db
def test_the_calendar_counts_items_added_through_the_service(aim, adviser):
    meeting = meeting_of(aim, timezone.localdate() + timedelta(days=1))
    services.add_agenda_item(meeting, "household_approval", awaiting_panel(aim), [], by=adviser)
    assert meeting.items.count() == 1
