"""Letterbox agreements: the one write path keeps the rules; the pages show the birth relative only
to a role that may see restricted support data; each read of an agreement is audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from openraa.audit.models import RecordView
from openraa.partnership.models import Council
from openraa.support.models import LetterboxAgreement
from tests import builders
from tests.support.matrix_support import agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def knowsley(aim):
    return Council.objects.get(name="Knowsley")


def test_the_service_refuses_an_agreement_that_breaks_a_rule_and_writes_nothing(aim, knowsley):
    child = builders.child(aim)
    with pytest.raises(ValidationError) as refused:
        agreement(aim, knowsley, child=child, exchanges_per_year=2, months=[3])
    assert "months" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        agreement(aim, knowsley)  # neither child nor household
    assert "child" in refused.value.message_dict
    other = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    with pytest.raises(ValidationError) as refused:
        agreement(aim, knowsley, child=builders.child(other, "Sefton"))
    assert refused.value.message_dict["child"] == ["Choose a child of this agency"]
    assert not LetterboxAgreement.objects.exists()


def test_an_agreement_keeps_its_history_and_its_reference_per_council(aim, knowsley):
    child = builders.child(aim)
    kept = agreement(aim, knowsley, child=child, council_reference="KN-LB-1", months=[9, 3])
    assert kept.months == [3, 9] and kept.history.count() == 1 and kept.reference == f"L-{kept.pk:06d}"
    with pytest.raises(ValidationError):
        agreement(aim, knowsley, child=child, council_reference="KN-LB-1")
    liverpool = Council.objects.get(name="Liverpool")
    assert agreement(aim, liverpool, child=child, council_reference="KN-LB-1").pk  # another council's reference


def test_a_support_worker_sees_the_birth_relative_and_the_read_is_audited(aim, knowsley, client_for):
    held = agreement(aim, knowsley, child=builders.child(aim))
    worker = builders.user("support_worker", aim, "Knowsley")
    client = client_for(worker)
    listing = client.get("/support/letterbox/").content.decode()
    assert held.reference in listing and "Birth mother" in listing and "Casey Testbirthmum" not in listing
    assert not RecordView.objects.filter(record_type="support.letterboxagreement").exists()  # a list of references
    page = client.get(f"/support/letterbox/{held.pk}/").content.decode()
    assert "Casey Testbirthmum" in page and "Birth mother" in page and "March, September" in page
    read = RecordView.objects.get(record_type="support.letterboxagreement", record_id=held.pk)
    assert (read.user, read.path) == (worker, f"/support/letterbox/{held.pk}/")
    assert RecordView.objects.filter(record_type="children.child", record_id=held.child_id, user=worker).exists()


def test_a_role_without_restricted_support_data_sees_no_birth_relative(aim, knowsley, client_for):
    held = agreement(aim, knowsley, household=builders.household(aim))
    client = client_for(builders.user("finance_officer", aim, "Knowsley"))  # support: view, not view_restricted
    for url in ("/support/letterbox/", f"/support/letterbox/{held.pk}/"):
        page = client.get(url).content.decode()
        assert held.reference in page and "Restricted" in page
        assert "Casey Testbirthmum" not in page and "Birth mother" not in page
    assert RecordView.objects.filter(record_type="support.letterboxagreement", record_id=held.pk).count() == 1


def test_roles_without_support_and_other_agencies_do_not_reach_an_agreement(aim, knowsley, client_for):
    held = agreement(aim, knowsley, child=builders.child(aim), starts_on=date(2024, 1, 1))
    assert (
        client_for(builders.user("social_worker", aim, "Knowsley")).get(f"/support/letterbox/{held.pk}/").status_code
        == 403
    )
    other = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    stranger = client_for(builders.user("support_worker", other, "Sefton"))
    assert stranger.get(f"/support/letterbox/{held.pk}/").status_code == 404
    assert held.reference not in stranger.get("/support/letterbox/").content.decode()
