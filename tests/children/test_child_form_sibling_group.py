"""The child's sibling group is typed as its reference (G-00042) and checked on the server: an agency
has thousands of groups, too many for a select box (issue 7, bench load)."""

import pytest

from openraa.people.roles import Role
from tests import builders
from tests.project.test_concurrency import form_data


@pytest.fixture
def editing(aim, client_for):
    child = builders.child(aim)
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    url = f"/children/{child.pk}/edit/"
    return child, client, url


@pytest.mark.django_db
def test_the_edit_page_asks_for_the_reference_instead_of_listing_every_group(aim, editing):
    child, client, url = editing
    for _ in range(3):
        builders.sibling_group(aim)
    group = builders.sibling_group(aim)
    child.sibling_group = group
    child.save()
    page = client.get(url).content.decode()
    assert f'name="sibling_group" value="{group.reference}"' in page
    assert 'type="text"' in page.split('name="sibling_group"')[0].rsplit("<input", 1)[1]
    assert "<option" not in page.split('id="id_sibling_group"', 1)[1].split("</div>", 1)[0]
    assert "for example G-00042" in page


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["{ref}", "{ref_lower}", " {digits} ", "G{digits}"])
def test_a_typed_reference_of_the_agencys_group_is_saved(aim, editing, typed):
    child, client, url = editing
    group = builders.sibling_group(aim)
    data = form_data(client.get(url).context["form"])
    data["sibling_group"] = typed.format(ref=group.reference, ref_lower=group.reference.lower(), digits=group.pk)
    assert client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.sibling_group == group


@pytest.mark.django_db
def test_a_blank_reference_takes_the_child_out_of_its_group(aim, editing):
    child, client, url = editing
    child.sibling_group = builders.sibling_group(aim)
    child.save()
    data = form_data(client.get(url).context["form"])
    data["sibling_group"] = ""
    assert client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.sibling_group is None


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["stranger", "G-99999", "nonsense", "G-1234567890123456789012", "-5"])
def test_a_reference_that_is_not_the_agencys_group_is_refused_and_nothing_changes(aim, editing, typed):
    child, client, url = editing
    other = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    stranger = builders.sibling_group(other)
    version = child.version
    data = form_data(client.get(url).context["form"])
    data["sibling_group"] = stranger.reference if typed == "stranger" else typed
    data["birth_mother_name"] = "Changed Name"
    refused = client.post(url, data)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter the reference of one of your agency&#x27;s sibling groups" in page
    assert f'value="{data["sibling_group"]}"' in page  # what was typed is shown back to correct
    child.refresh_from_db()
    assert child.sibling_group is None and child.version == version and child.birth_mother_name != "Changed Name"
