"""Every change keeps who, when and old -> new; every view of a child's record is logged; the log
cannot be edited or deleted through the app."""

import pytest

from openraa.audit.models import AppendOnlyError, RecordView
from openraa.people.roles import Role
from tests import builders


@pytest.mark.django_db
def test_an_update_through_the_api_records_who_and_the_old_and_new_values(aim, client_for):
    finder = builders.user(Role.FAMILY_FINDER, aim)
    child = builders.child(aim)
    response = client_for(finder).patch(
        f"/api/children/{child.pk}/", {"ethnicity": "WIRI", "version": child.version}, content_type="application/json"
    )
    assert response.status_code == 200
    latest = child.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == finder
    assert latest.history_type == "~"
    assert latest.changes == {"ethnicity": ["WBRI", "WIRI"]}


@pytest.mark.django_db
def test_a_page_edit_records_the_change_and_shows_it_on_the_record(aim, client_for):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    child = builders.child(aim)
    client = client_for(manager)
    form = client.get(f"/children/{child.pk}/edit/").context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if hasattr(field.widget, "decompress"):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is not None and value is not False:  # version 0 is a value
            data[name] = str(value)
    data["sex"] = "2"
    response = client.post(f"/children/{child.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    child.refresh_from_db()
    assert child.sex == "2"
    latest = child.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == manager and latest.changes == {"sex": ["1", "2"]}
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Sex: Male → Female" in page


@pytest.mark.django_db
def test_every_view_of_a_childs_record_is_logged(aim, client_for):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    child = builders.child(aim)
    client = client_for(manager)
    client.get(f"/children/{child.pk}/")
    client.get(f"/api/children/{child.pk}/")
    views = list(RecordView.objects.filter(record_type="children.child", record_id=child.pk).order_by("id"))
    assert [(v.user, v.channel) for v in views] == [(manager, "page"), (manager, "api")]


@pytest.mark.django_db
def test_a_refused_view_is_not_a_view(aim, client_for):
    worker = builders.user(Role.SOCIAL_WORKER, aim, employer="Liverpool")
    child = builders.child(aim, "Knowsley")
    client_for(worker).get(f"/children/{child.pk}/")
    assert not RecordView.objects.filter(record_id=child.pk).exists()


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(aim):
    entry = RecordView.objects.create(
        user=builders.user(Role.ADMINISTRATOR, aim),
        record_type="children.child",
        record_id=1,
        channel="page",
        path="/children/1/",
    )
    entry.path = "/elsewhere/"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.django_db
def test_only_administrators_read_the_audit_log(aim, client_for, django_user_model):
    child = builders.child(aim)
    admin = builders.user(Role.ADMINISTRATOR, aim)
    page = client_for(admin).get("/audit/")
    assert page.status_code == 200
    assert child.reference in page.content.decode()
    for role in (Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.BOARD_MEMBER):
        other = builders.user(role, aim, username=f"{role}-audit")
        assert client_for(other).get("/audit/").status_code == 403


@pytest.mark.django_db
def test_a_childs_record_shows_changes_to_its_needs(aim, client_for):
    manager = builders.user(Role.TEAM_MANAGER, aim)
    child = builders.child(aim, needs={"autism": "low"})
    client = client_for(manager)
    client.patch(
        f"/api/children/{child.pk}/",
        {"needs": [{"need": "autism", "severity": "high"}], "version": child.version},
        content_type="application/json",
    )
    changes = client.get(f"/children/{child.pk}/").context["changes"]
    assert changes[0].record == "Need" and changes[0].by == str(manager)
    assert ("Severity", "Low", "High") in changes[0].fields


@pytest.mark.django_db
def test_applicant_values_are_hidden_when_the_reader_lacks_the_restricted_grant(aim):
    from openraa.audit.selectors import changes_for
    from openraa.households.models import Applicant

    household = builders.household(aim)
    lacking = builders.user(Role.SOCIAL_WORKER, aim)  # no household grant at all
    assessor = builders.user(Role.RECRUITMENT_ASSESSMENT, aim)
    hidden = changes_for(household, lacking, parts=[("Applicant", Applicant, "household")])
    shown = changes_for(household, assessor, parts=[("Applicant", Applicant, "household")])
    applicant_hidden = next(c for c in hidden if c.record == "Applicant")
    applicant_shown = next(c for c in shown if c.record == "Applicant")
    assert ("Last name", None, "Testadopter") in applicant_shown.fields
    assert all(old == new == "(restricted)" for _, old, new in applicant_hidden.fields)


def test_every_tracked_record_is_traced_to_its_agency_through_its_own_keys():
    from openraa.audit.selectors import _agency_path, tracked_models

    paths = {m._meta.label: _agency_path(m) for m in tracked_models()}
    assert paths["children.ChildNeed"] == "child__agency"
    assert paths["matching.Interest"] == "child__agency"
    assert paths["finance.Contribution"] == "line__year__agency"
    assert paths["people.User"] == "agency"
