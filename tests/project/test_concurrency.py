"""Two workers edit the same record at once: the second save is refused with what changed."""

import pytest

from openraa.people.roles import Role
from tests import builders


def form_data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if hasattr(field.widget, "decompress"):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is not None and value is not False:
            data[name] = str(value)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["child", "household"])
def test_the_second_of_two_simultaneous_edits_is_refused_and_nothing_is_overwritten(aim, client, kind):
    from django.test import Client

    record = builders.child(aim) if kind == "child" else builders.household(aim)
    url = f"/{'children' if kind == 'child' else 'households'}/{record.pk}/edit/"
    first, second = Client(), Client()
    first.force_login(builders.user(Role.TEAM_MANAGER, aim, username="first"))
    second.force_login(builders.user(Role.TEAM_MANAGER, aim, username="second"))
    first_form = form_data(first.get(url).context["form"])
    second_form = form_data(second.get(url).context["form"])  # both opened the same version

    first_form["postcode_district" if kind == "household" else "birth_mother_name"] = (
        "L35" if kind == "household" else "Sam Example"
    )
    assert first.post(url, first_form).status_code == 302
    second_form["sibling_group_open" if kind == "household" else "ethnicity"] = "on" if kind == "household" else "WIRI"
    refused = second.post(url, second_form)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert ("L35" if kind == "household" else "Sam Example") in page  # what the first worker changed
    record.refresh_from_db()
    if kind == "household":
        assert record.postcode_district == "L35" and record.sibling_group_open is False
    else:
        assert record.birth_mother_name == "Sam Example" and record.ethnicity == "WBRI"


@pytest.mark.django_db
def test_an_api_client_sending_a_stale_version_is_refused(aim, client_for):
    child = builders.child(aim)
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    read = client.get(f"/api/children/{child.pk}/").json()["version"]
    assert (
        client.patch(
            f"/api/children/{child.pk}/", {"sex": "2", "version": read}, content_type="application/json"
        ).status_code
        == 200
    )
    stale = client.patch(
        f"/api/children/{child.pk}/", {"ethnicity": "WIRI", "version": read}, content_type="application/json"
    )
    assert stale.status_code == 400 and "Someone else saved this record" in str(stale.json())
    child.refresh_from_db()
    assert (child.sex, child.ethnicity) == ("2", "WBRI")


# An edit must say which version it was made to (issue 14): leaving the version out, or sending a
# blank or a non-number, overwrote a newer save. Refused now, and nothing changes.

MISSING = object()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["child", "household"])
@pytest.mark.parametrize("version", [MISSING, "", "abc", "²", "-1", "1.5"])
def test_a_form_without_a_whole_number_version_is_refused_and_nothing_is_overwritten(aim, client_for, kind, version):
    record = builders.child(aim) if kind == "child" else builders.household(aim)
    url = f"/{'children' if kind == 'child' else 'households'}/{record.pk}/edit/"
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    data = form_data(client.get(url).context["form"])
    field, value = ("postcode_district", "L35") if kind == "household" else ("birth_mother_name", "Sam Example")
    data[field] = value
    if version is MISSING:
        del data["version"]
    else:
        data["version"] = version
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "did not say which version of the record" in refused.content.decode()
    after = type(record).objects.get(pk=record.pk)
    assert getattr(after, field) != value and after.version == record.version


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["child", "household"])
@pytest.mark.parametrize("version", [MISSING, None, "", "0", True, 1.0, [0], {"v": 0}, -1])
@pytest.mark.parametrize("method", ["patch", "put"])
def test_an_api_change_without_the_version_read_is_refused_and_nothing_is_overwritten(
    aim, client_for, kind, version, method
):
    record = builders.child(aim) if kind == "child" else builders.household(aim)
    url = f"/api/{'children' if kind == 'child' else 'households'}/{record.pk}/"
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    body = client.get(url).json()
    body = {
        name: value
        for name, value in body.items()
        if name
        in (
            "responsible_council",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "home_council",
            "postcode_district",
            "enquiry_on",
        )
    }
    field, value = ("postcode_district", "L35") if kind == "household" else ("sex", "2")
    body[field] = value
    if version is not MISSING:
        body["version"] = version
    refused = getattr(client, method)(url, body, content_type="application/json")
    assert refused.status_code == 400, refused.content
    assert "version" in refused.json()
    after = type(record).objects.get(pk=record.pk)
    assert getattr(after, field) != value and after.version == record.version
    body["version"] = record.version  # the same change with the version read is saved
    assert getattr(client, method)(url, body, content_type="application/json").status_code == 200


@pytest.mark.django_db
def test_check_version_refuses_a_change_to_a_saved_record_that_names_no_version(aim):
    from django.core.exceptions import ValidationError

    from openraa.audit.versions import check_version
    from openraa.children.models import Child
    from openraa.children.services import save_child

    child = builders.child(aim)
    for expected in (None, "0", True):
        with pytest.raises(ValidationError, match="did not say which version"):
            check_version(child, expected, None)
    check_version(child, child.version, None)
    child.first_name = "Changed"
    with pytest.raises(ValidationError):
        save_child(child)
    assert Child.objects.get(pk=child.pk).first_name == "Alex"
    check_version(Child(agency=aim), None, None)  # a new record has no version yet
