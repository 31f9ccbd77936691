"""Staff administration: invite, the one-time link, roles, leavers, lost authenticators, a staff list
in CSV, and the access explanation, through the pages as an administrator uses them."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from openraa.audit.models import RecordView
from openraa.partnership.models import Base, Team
from openraa.people.models import User
from openraa.people.roles import Role
from openraa.security import tokens
from openraa.security.models import ApiToken
from openraa.staff import invitations
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(aim):
    return builders.user(Role.ADMINISTRATOR, aim)


def _invite(client, **overrides):
    data = {
        "first_name": "Sam",
        "last_name": "Finder",
        "email": "Sam.Finder@knowsley.example",
        "roles": [Role.FAMILY_FINDER],
        "employing_council": builders.council("Knowsley").pk,
    } | overrides
    return client.post("/staff/invite/", data)


def _date(name: str, day: int, month: int, year: int) -> dict[str, int]:
    """A date as the GOV.UK date input posts it: day, month and year boxes."""
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def _link(message) -> str:
    return re.search(r"/staff/welcome/[^\s]+/", message.body)[0]


def test_an_invited_member_of_staff_sets_a_password_once_and_signs_in(admin, client_for):
    response = _invite(client_for(admin))
    person = User.objects.get(email="sam.finder@knowsley.example")
    assert response.status_code == 302
    assert person.status == "Invited" and not person.has_usable_password()
    assert person.history.first().history_user == admin
    (message,) = mail.outbox
    assert message.to == ["sam.finder@knowsley.example"]
    link = _link(message)

    newcomer = Client()
    assert newcomer.post("/sign-in/", {"username": person.username, "password": ""}).status_code == 200
    assert newcomer.get(link).status_code == 200
    set_it = newcomer.post(
        link, {"new_password1": "a long new passphrase 26", "new_password2": "a long new passphrase 26"}
    )
    assert set_it.status_code == 302
    person.refresh_from_db()
    assert person.status == "Active" and person.check_password("a long new passphrase 26")
    assert newcomer.get(link).status_code == 404  # used once: refused
    signed_in = newcomer.post("/sign-in/", {"username": person.username, "password": "a long new passphrase 26"})
    assert signed_in.status_code == 302


def test_an_expired_invitation_is_refused(admin, client_for, settings):
    _invite(client_for(admin))
    person = User.objects.get(email="sam.finder@knowsley.example")
    made_long_ago = invitations.InvitationTokens()
    made_long_ago._now = lambda: (
        timezone.now().replace(tzinfo=None) - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    )
    token = made_long_ago.make_token(person)
    link = invitations.link_path(person).rsplit("/", 2)[0] + f"/{token}/"
    assert Client().get(link).status_code == 404
    assert Client().get(invitations.link_path(person)).status_code == 200


def test_a_password_reset_token_is_not_an_invitation(admin, client_for):
    from django.contrib.auth.tokens import default_token_generator

    _invite(client_for(admin))
    person = User.objects.get(email="sam.finder@knowsley.example")
    link = invitations.link_path(person).rsplit("/", 2)[0] + f"/{default_token_generator.make_token(person)}/"
    assert Client().get(link).status_code == 404


def test_an_invitation_is_refused_for_an_address_in_use_or_a_council_outside_the_agency(admin, client_for, aim):
    client = client_for(admin)
    _invite(client)
    again = _invite(client, email="SAM.FINDER@knowsley.example")
    assert again.status_code == 200 and "already has an account" in again.content.decode()
    builders.agency("other", councils=("Sefton",))
    outside = _invite(client, email="x@sefton.example", employing_council=builders.council("Sefton").pk)
    assert outside.status_code == 200
    assert User.objects.filter(email="x@sefton.example").count() == 0


def test_only_administrators_reach_staff_administration(aim, client_for):
    for role in Role:
        if role == Role.ADMINISTRATOR:
            continue
        client = client_for(builders.user(role, aim, username=f"u-{role}"))
        assert client.get("/staff/").status_code == 403
        assert _invite(client, email=f"{role}@x.example").status_code == 403
    assert not User.objects.filter(email__endswith="@x.example").exists()


def test_a_leaver_is_deactivated_and_their_session_and_token_end_at_once(admin, client_for, aim, settings):
    settings.OPENRAA_REQUIRE_2FA = False
    leaver = builders.user(Role.FAMILY_FINDER, aim)
    their_browser = Client()
    their_browser.force_login(leaver)
    assert their_browser.get("/").status_code == 200
    tokens.issue(leaver)
    response = client_for(admin).post(f"/staff/{leaver.pk}/deactivate/")
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active and leaver.ends_on == timezone.localdate()
    assert their_browser.get("/").status_code == 302  # signed out: back to the sign-in page
    assert not ApiToken.objects.filter(user=leaver).exists()
    assert leaver.history.first().history_change_reason == "Deactivated"


def test_an_administrator_cannot_deactivate_or_demote_themselves(admin, client_for):
    client = client_for(admin)
    client.post(f"/staff/{admin.pk}/deactivate/")
    admin.refresh_from_db()
    assert admin.is_active
    page = client.post(
        f"/staff/{admin.pk}/", {"roles": [Role.FAMILY_FINDER], "employing_council": admin.employing_council_id}
    )
    assert page.status_code == 200 and "your own administrator role" in page.content.decode()
    admin.refresh_from_db()
    assert admin.roles == [Role.ADMINISTRATOR]


def test_a_role_change_is_kept_in_the_history_under_the_administrator(admin, client_for, aim):
    person = builders.user(Role.FAMILY_FINDER, aim)
    team = Team.objects.create(agency=aim, name="Family finding", kind=Team.Kind.FAMILY_FINDING)
    base = Base.objects.create(agency=aim, name="The centre", kind=Base.Kind.HOT_DESKS)
    response = client_for(admin).post(
        f"/staff/{person.pk}/",
        {
            "roles": [Role.TEAM_MANAGER, Role.FAMILY_FINDER],
            "employing_council": builders.council("Liverpool").pk,
            "team": team.pk,
            "base": base.pk,
            **_date("starts_on", 1, 4, 2026),
            **_date("ends_on", 31, 3, 2026),
        },
    )
    assert "The leaving date must be after the starting date" in response.content.decode()
    response = client_for(admin).post(
        f"/staff/{person.pk}/",
        {
            "roles": [Role.TEAM_MANAGER, Role.FAMILY_FINDER],
            "employing_council": builders.council("Liverpool").pk,
            "team": team.pk,
            "base": base.pk,
            **_date("starts_on", 1, 4, 2026),
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.roles == sorted([Role.FAMILY_FINDER, Role.TEAM_MANAGER])
    assert (person.employing_council.name, person.team, person.base) == ("Liverpool", team, base)
    assert person.starts_on.isoformat() == "2026-04-01"
    latest = person.history.first()
    assert latest.history_user == admin
    assert latest.changes["roles"] == [str(["family_finder"]), str(["family_finder", "team_manager"])]


def test_roles_one_person_may_not_hold_together_and_another_agencys_team_are_refused(admin, client_for, aim):
    person = builders.user(Role.ADM, aim)
    elsewhere = builders.agency("bkm", councils=("Wirral",), host=None)
    their_team = Team.objects.create(agency=elsewhere, name="Theirs", kind=Team.Kind.PANEL)
    page = client_for(admin).post(
        f"/staff/{person.pk}/",
        {
            "roles": [Role.ADM, Role.PANEL_ADVISER],
            "employing_council": person.employing_council_id,
            "team": their_team.pk,
        },
    )
    body = page.content.decode()
    assert page.status_code == 200 and "cannot also be a panel adviser" in body
    assert "Select a valid choice" in body  # the team is not offered, so not accepted
    person.refresh_from_db()
    assert person.roles == [Role.ADM] and person.team is None


def test_a_person_with_two_roles_may_do_what_either_allows(client_for, aim):
    both = builders.user(Role.SOCIAL_WORKER, aim, employer="Liverpool")
    child = builders.child(aim, council_name="Knowsley")
    assert client_for(both).get(f"/children/{child.pk}/").status_code == 404  # another council's child
    both.roles = [Role.SOCIAL_WORKER, Role.FAMILY_FINDER]
    both.save()
    assert client_for(both).get(f"/children/{child.pk}/").status_code == 200
    assert client_for(both).get("/matching/").status_code == 200


def test_reading_a_staff_account_is_audited(admin, client_for, aim):
    person = builders.user(Role.FAMILY_FINDER, aim)
    client_for(admin).get(f"/staff/{person.pk}/")
    assert RecordView.objects.filter(user=admin, record_type="people.user", record_id=person.pk).exists()


def test_a_lost_authenticator_is_reset_and_its_holder_told(admin, client_for, aim):
    person = builders.user(Role.FAMILY_FINDER, aim)
    person.email = "finder@knowsley.example"
    person.save()
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    response = client_for(admin).post(f"/staff/{person.pk}/two-factor/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    (message,) = mail.outbox
    assert message.to == [person.email] and "reset your two-factor" in message.body
    assert person.history.first().history_user == admin


def test_the_person_page_explains_access_from_the_policy(admin, client_for, aim):
    person = builders.user(Role.FINANCE_OFFICER, aim)
    page = client_for(admin).get(f"/staff/{person.pk}/").content.decode()
    assert "Finance" in page and "No children&#x27;s records" in page


ROSTER = (
    "first_name,last_name,email,roles,employing_council,starts_on\n"
    "Ana,One,ana@knowsley.example,Family finder,E08000011,01/04/2026\n"
    "Ben,Two,ben@liverpool.example,support_worker,Liverpool,2026-04-01\n"
)


def _upload(client, text, confirm=False):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile("staff.csv", text.encode(), content_type="text/csv")}
    return client.post("/staff/import/", data | ({"confirm": "1"} if confirm else {}))


def test_a_staff_list_is_checked_whole_then_imported(admin, client_for):
    client = client_for(admin)
    preview = _upload(client, ROSTER)
    assert preview.status_code == 200 and "2 to invite" in preview.content.decode()
    assert not User.objects.holding(Role.SUPPORT_WORKER).filter(email__endswith=".example").exists()
    done = _upload(client, ROSTER, confirm=True)
    assert done.status_code == 302
    imported = User.objects.filter(email__in=["ana@knowsley.example", "ben@liverpool.example"])
    assert sorted(imported.values_list("roles", flat=True)) == [[Role.FAMILY_FINDER], [Role.SUPPORT_WORKER]]
    assert len(mail.outbox) == 2


def test_a_staff_list_with_a_bad_row_imports_nothing_and_says_why(admin, client_for):
    bad = ROSTER + "Cy,Three,not-an-address,Wizard,Sefton,31/02/2026\n"
    page = _upload(client_for(admin), bad, confirm=True)
    body = page.content.decode()
    assert page.status_code == 200
    for reason in ("Line 4", "not an e-mail address", "Unknown role", "not a member council", "not a date"):
        assert reason in body
    assert not User.objects.filter(email="ana@knowsley.example").exists()


def test_the_commands_invite_the_first_administrator_and_import_a_list(aim, tmp_path, capsys):
    call_command(
        "invite_staff",
        "--agency=aim",
        "--email=head@knowsley.example",
        "--first-name=Pat",
        "--last-name=Head",
        "--role=administrator",
        "--council=E08000011",
        "--print-link",
    )
    head = User.objects.get(email="head@knowsley.example")
    assert head.roles == [Role.ADMINISTRATOR] and "/staff/welcome/" in capsys.readouterr().out
    roster = tmp_path / "staff.csv"
    roster.write_text(ROSTER)
    call_command("import_staff", str(roster), "--agency=aim", "--dry-run")
    assert not User.objects.filter(email="ana@knowsley.example").exists()
    call_command("import_staff", str(roster), "--agency=aim")
    assert User.objects.filter(email="ana@knowsley.example").exists()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_staff", str(roster), "--agency=aim")  # now every address is in use
