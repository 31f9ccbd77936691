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

    first_form["postcode_district" if kind == "household" else "birth_mother_name"] = "L35" if kind == "household" else "Sam Example"
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
    assert client.patch(f"/api/children/{child.pk}/", {"sex": "2", "version": read},
                        content_type="application/json").status_code == 200
    stale = client.patch(f"/api/children/{child.pk}/", {"ethnicity": "WIRI", "version": read},
                         content_type="application/json")
    assert stale.status_code == 400 and "Someone else saved this record" in str(stale.json())
    child.refresh_from_db()
    assert (child.sex, child.ethnicity) == ("2", "WBRI")
