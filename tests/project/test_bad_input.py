"""Bad input is refused with a clear message and nothing half-written:
- SSDA903 uploads of a picture, an over-sized file, a damaged zip, malformed CSV and malformed XML;
- recharge CSVs that are not text, too large, or have bad rows (each bad row refused with its reason);
- script typed into free-text fields is shown escaped on every page, never run;
- out-of-range dates (year 0999, 31 February, day 40) are refused on the forms.
"""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openraa.children.models import Child
from openraa.finance.models import FinancialYear, Recharge
from openraa.households.models import Household
from openraa.interchange import forms as interchange_forms
from openraa.interchange.models import ImportRun
from openraa.people.roles import Role
from tests import builders
from tests.people.test_permission_matrix import NO_RECORD, OWN, PUBLIC, QUERY, RECORD_LOOKUPS, _patterns, _url

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _upload(client, *files, year="2025"):
    return client.post(
        "/interchange/ssda903/",
        {"council": builders.council("Knowsley").pk, "year": year, "files": list(files)},
        follow=True,
    )


def _file(name, content):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def _nothing_written():
    return Child.objects.count() == 0


@pytest.fixture
def admin_client(aim, client_for):
    return client_for(builders.user(Role.ADMINISTRATOR, aim))


# --------------------------------------------------------------------------------------------
# SSDA903 uploads
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content, message",
    [
        ("return.png", PNG, "Nothing was imported"),
        ("header.csv", PNG, "Nothing was imported"),  # a picture named as a CSV
        ("header.csv", b'CHILD,SEX,DOB\n1001,1\n"unterminated,\x00,2\n', "Nothing was imported"),
        ("return.xml", b"<Message><Header><CHILD>1001</CHILD>", "Nothing was imported"),
        (
            "return.xml",
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><Message>&a;</Message>",
            "Nothing was imported",
        ),
    ],
)
def test_an_upload_that_is_not_a_readable_return_is_refused_and_writes_nothing(admin_client, name, content, message):
    response = _upload(admin_client, _file(name, content))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page or "There is a problem" in page
    assert _nothing_written()
    assert not ImportRun.objects.exclude(outcome=ImportRun.Outcome.REFUSED).exists()


@pytest.mark.django_db
def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(admin_client, monkeypatch):
    monkeypatch.setattr(interchange_forms, "MAX_UPLOAD", 1000)
    response = _upload(admin_client, _file("header.csv", b"CHILD,SEX,DOB\n" + b"1001,1,01/01/2020\n" * 200))
    assert response.status_code == 200
    assert "The files are too large" in response.content.decode()
    assert _nothing_written() and not ImportRun.objects.exists()


@pytest.mark.django_db
def test_a_zip_that_unpacks_over_the_limit_is_refused(admin_client, monkeypatch):
    monkeypatch.setattr(interchange_forms, "MAX_UPLOAD", 1000)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("header.csv", b"0" * 100_000)  # compresses to a few hundred bytes
    response = _upload(admin_client, _file("return.zip", packed.getvalue()))
    assert "The files are too large" in response.content.decode()
    assert _nothing_written() and not ImportRun.objects.exists()


@pytest.mark.django_db
def test_a_damaged_zip_is_refused_with_a_message(admin_client):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("header.csv", b"CHILD,SEX,DOB\n" + b"1001,1,01/01/2020\n" * 50)
    data = bytearray(packed.getvalue())
    data[60:80] = b"\xff" * 20  # the compressed bytes of the only member
    response = _upload(admin_client, _file("return.zip", bytes(data)))
    assert response.status_code == 200
    assert "is not a zip file" in response.content.decode() or "damaged" in response.content.decode()
    assert _nothing_written()


@pytest.mark.django_db
def test_a_year_that_is_not_a_collection_year_is_refused(admin_client):
    response = _upload(admin_client, _file("header.csv", b"CHILD,SEX,DOB\n"), year="0999")
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert _nothing_written() and not ImportRun.objects.exists()


# --------------------------------------------------------------------------------------------
# Recharge CSV
# --------------------------------------------------------------------------------------------


@pytest.fixture
def finance_client(aim, client_for):
    from openraa.finance.models import BudgetLine

    year = FinancialYear.objects.create(agency=aim, start_year=2025)
    BudgetLine.objects.create(year=year, name="Pooled", part="pooled")
    return client_for(builders.user(Role.FINANCE_OFFICER, aim))


def _recharge(client, content: bytes, name="q1.csv"):
    return client.post(
        "/finance/2025-26/recharges/", {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    )


@pytest.mark.django_db
def test_a_recharge_file_that_is_not_text_or_too_large_is_refused(finance_client, monkeypatch):
    page = _recharge(finance_client, PNG, "q1.png").content.decode()
    assert "The file must be a CSV saved as UTF-8 text" in page
    from openraa.finance import forms as finance_forms

    monkeypatch.setattr(finance_forms, "MAX_UPLOAD_BYTES", 100)
    page = _recharge(finance_client, b"council,quarter,amount\n" + b"E08000011,1,10.00\n" * 20).content.decode()
    assert "The file must be smaller than" in page
    assert not Recharge.objects.exists()


@pytest.mark.django_db
def test_bad_recharge_rows_are_each_refused_with_a_reason_and_only_good_rows_recorded(finance_client):
    content = (
        "council,quarter,amount\n"
        "E08000011,1,1000.00\n"  # good
        "E08000011,7,10.00\n"  # no quarter 7
        "E08000012,2,lots\n"  # not an amount
        "E09999999,3,10.00\n"  # not a member council
        "E08000012\n"  # too few columns
        f"{SCRIPT},1,1.00\n"
    )
    response = _recharge(finance_client, content.encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "rows refused" in page and "1 row recorded" in page
    assert SCRIPT not in page
    assert list(Recharge.objects.values_list("council__ons_code", "quarter")) == [("E08000011", 1)]


@pytest.mark.django_db
def test_a_recharge_file_without_its_header_row_records_nothing(finance_client):
    response = _recharge(finance_client, b'\x00\x01,"\n,,,\n')
    assert response.status_code == 200
    assert not Recharge.objects.exists()
    page = response.content.decode()
    assert "There is a problem" in page or "refused" in page


# --------------------------------------------------------------------------------------------
# Script in free text: escaped on every page
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.TEAM_MANAGER])
def test_script_typed_into_free_text_is_shown_escaped_on_every_page(aim, client_for, role):
    from openraa.journeys.models import AgendaItem, PanelMeeting
    from openraa.journeys.services import record_child_step, record_household_step

    user = builders.user(role, aim)
    child = builders.child(aim, "Knowsley", first_name=SCRIPT, birth_mother_name=SCRIPT, birth_father_name=SCRIPT)
    household = builders.household(aim, "Knowsley")
    household.applicants.update(first_name=SCRIPT)
    first = household.steps.order_by("occurred_on", "pk").first()
    record_household_step(household, first.kind, first.occurred_on, by=user, note=SCRIPT, supersedes=first)
    first = child.steps.order_by("occurred_on", "pk").first()
    record_child_step(child, first.kind, first.occurred_on, by=user, note=SCRIPT, supersedes=first)
    meeting = PanelMeeting.objects.create(agency=aim, held_on=date(2025, 3, 3))
    item = AgendaItem.objects.create(
        meeting=meeting, kind="review", household=household, reasons=SCRIPT, recommendation="approve"
    )
    FinancialYear.objects.create(agency=aim, start_year=2025, note=SCRIPT)
    region = {
        "child": {OWN: child},
        "household": {OWN: household},
        "meeting": {OWN: meeting},
        "item": {OWN: item},
        "council": {OWN: builders.council("Knowsley")},
    }
    _script_in_the_other_areas(region, aim)
    client = client_for(user)
    raw, escaped_somewhere, checked = [], set(), 0
    for name, route, entry in _patterns():
        if name in PUBLIC or (name.startswith(("interchange:", "finance:", "api-")) and "<" in route):
            continue
        if name in RECORD_LOOKUPS:
            try:
                kwargs = RECORD_LOOKUPS[name][0](region, OWN)
            except KeyError:
                continue  # a record kind this test does not fill
        else:
            kwargs = NO_RECORD.get(name, {})
        url = _url(name, route, entry, kwargs) + QUERY.get(name, "")
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            ("text/html", "application/json")
        ):
            continue
        checked += 1
        body = response.content.decode()
        # JSON is data, not markup (served as application/json with nosniff): only HTML must escape.
        if SCRIPT in body and response["Content-Type"].startswith("text/html"):
            raw.append(url)
        if (
            ESCAPED in body
            or "\\u003Cscript\\u003E" in body
            or "<script>alert(1)</script>" in body.replace("\\u003C", "<")
        ):
            escaped_somewhere.add(name)
    assert raw == [], f"script shown raw on {raw}"
    assert checked > 20
    # The text is shown (escaped), so the check looked at real output rather than empty pages.
    assert {
        "children:detail",
        "households:detail",
        "panels:detail",
        "support:detail",
        "permanence:carer",
        "governance:agreement",
        "governance:complaint",
    } <= escaped_somewhere
    assert Child.objects.get(pk=child.pk).birth_mother_name == SCRIPT  # kept as typed, escaped only when shown


def _script_in_the_other_areas(region, agency):
    """Adoption support, permanence and governance records (the permission matrix's own builders),
    with script typed into their free text."""
    from openraa.governance.models import (
        Action,
        Agreement,
        Board,
        BoardMember,
        Complaint,
        Document,
        InterCountryCase,
        Workstream,
    )
    from openraa.permanence.models import Carer
    from openraa.support.models import SupportCase
    from tests.people.test_permission_matrix import AREA_MODULES

    for module in AREA_MODULES:
        module.build(region, {OWN: agency}, {OWN: "Knowsley"})
    SupportCase.objects.update(request=SCRIPT, requester_name=SCRIPT)
    Carer.objects.update(names=SCRIPT)
    for model, field in (
        (Agreement, "title"),
        (Document, "title"),
        (Board, "name"),
        (BoardMember, "name"),
        (Action, "description"),
        (Workstream, "name"),
        (Complaint, "about"),
        (InterCountryCase, "country"),
    ):
        model.objects.update(**{field: SCRIPT})


# --------------------------------------------------------------------------------------------
# Out-of-range dates
# --------------------------------------------------------------------------------------------


def _child_form(day, month, year):
    return {
        "responsible_council": str(builders.council("Knowsley").pk),
        "first_name": "Kit",
        "last_name": "Sample",
        "sex": "1",
        "ethnicity": "WBRI",
        "date_of_birth_0": day,
        "date_of_birth_1": month,
        "date_of_birth_2": year,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day, month, year",
    [
        ("1", "2", "0999"),  # a year long before anyone living
        ("31", "2", "2023"),  # 31 February
        ("40", "1", "2023"),  # day 40
        ("1", "13", "2023"),  # month 13
        ("1", "1", "23"),  # a two-digit year
        ("1", "1", "99999"),  # a five-digit year
        ("x", "1", "2023"),  # not a number
        ("1", "1", "2999"),  # in the future
    ],
)
def test_out_of_range_dates_are_refused_with_a_clear_message(aim, client_for, day, month, year):
    client = client_for(builders.user(Role.SOCIAL_WORKER, aim))
    response = client.post("/children/new/", _child_form(day, month, year))
    assert response.status_code == 200, "the form is shown again, not saved"
    errors = response.context["form"].errors
    assert "date_of_birth" in errors, errors
    message = " ".join(errors["date_of_birth"])
    assert any(words in message for words in ("real date", "after", "future", "before")), message
    assert "There is a problem" in response.content.decode()
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_an_out_of_range_date_on_a_household_is_refused(aim, client_for):
    client = client_for(builders.user(Role.RECRUITMENT_ASSESSMENT, aim))
    form = client.get("/households/new/").context["form"]
    data = dict.fromkeys(form.fields, "")
    data.update(
        {
            "home_council": str(builders.council("Knowsley").pk),
            "postcode_district": "L36",
            "enquiry_on_0": "31",
            "enquiry_on_1": "2",
            "enquiry_on_2": "2024",
        }
    )
    response = client.post("/households/new/", data)
    assert response.status_code == 200
    assert "enquiry_on" in response.context["form"].errors
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_a_nul_character_in_a_query_or_form_is_refused_everywhere(aim, client_for):
    """PostgreSQL cannot store or compare text holding NUL: every page refuses it with a 400 before
    any view reads it (found by probing each page's filters on PostgreSQL)."""
    from django.urls import reverse

    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    refused = []
    for name, route, _entry in _patterns():
        if name in PUBLIC or "<" in route:
            continue
        response = client.get(reverse(name) + "?q=a%00b")
        refused.append(response.status_code == 400 and b"NUL" in response.content)
    assert len(refused) > 30 and all(refused)
    form = client.post("/children/new/", {**_child_form("1", "2", "2020"), "first_name": "Kit\x00"})
    assert form.status_code == 400 and not Child.objects.exists()


# --------------------------------------------------------------------------------------------
# Digits of other scripts, out-of-range years, typed API details, request limits (issue 14):
# each was a server error. The crawl in tests/project/test_fuzz_pages.py covers every page and form.
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.PANEL_ADVISER, Role.SOCIAL_WORKER])
@pytest.mark.parametrize(
    "url",
    [
        "/children/?q=²",
        "/children/?q=C-²",
        "/households/?q=H-²",
        "/households/?q=²",
        "/children/?q=C-٣",
        "/households/?q=H-" + "9" * 30,
    ],
)
def test_a_search_for_a_reference_with_other_digits_finds_nothing_instead_of_failing(aim, client_for, role, url):
    builders.child(aim)
    builders.household(aim)
    response = client_for(builders.user(role, aim)).get(url)
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_a_sibling_group_reference_with_other_digits_is_refused_on_the_form(aim, client_for):
    from tests.project.test_concurrency import form_data

    child = builders.child(aim)
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    url = f"/children/{child.pk}/edit/"
    data = {**form_data(client.get(url).context["form"]), "sibling_group": "G-²"}
    response = client.post(url, data)
    assert response.status_code == 200 and "sibling_group" in response.context["form"].errors


@pytest.mark.django_db
def test_a_household_reference_with_other_digits_is_refused_on_a_support_request(aim, client_for):
    from openraa.support.models import SupportCase
    from tests.support.test_support_pages import _request

    client = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    for field, typed in (("household_reference", "H-²"), ("child_reference", "C-²")):
        response = client.post("/support/new/", _request(builders.council("Knowsley"), **{field: typed}))
        assert response.status_code == 200 and field in response.context["form"].errors
    assert not SupportCase.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("boxes", [("²", "1", "2020"), ("1", "²", "2020"), ("1", "1", "²⁰²⁰"), ("٣", "1", "2020")])
def test_a_date_typed_with_other_digits_is_refused_with_a_clear_message(aim, client_for, boxes):
    client = client_for(builders.user(Role.SOCIAL_WORKER, aim))
    response = client.post("/children/new/", _child_form(*boxes))
    assert response.status_code == 200
    assert "Enter a real date" in " ".join(response.context["form"].errors["date_of_birth"])
    assert 'value="' + boxes[0] + '"' in response.content.decode()  # shown again as typed
    assert not Child.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, role",
    [
        ("/finance/fees/?year=9999-00", Role.FINANCE_OFFICER),
        ("/finance/fees/?year=²", Role.FINANCE_OFFICER),
        ("/finance/monitoring/?month=²", Role.FINANCE_OFFICER),
        ("/support/budget/?year=9999-00", Role.SUPPORT_WORKER),
        ("/support/counts/?year=9999", Role.SUPPORT_WORKER),
        ("/performance/?year=²", Role.TEAM_MANAGER),
        ("/performance/returns/?quarter=2025-²-01", Role.TEAM_MANAGER),
        ("/permanence/plans/?child=C-²", Role.SOCIAL_WORKER),
    ],
)
def test_a_year_month_or_quarter_out_of_range_or_in_other_digits_is_not_a_server_error(aim, client_for, url, role):
    response = client_for(builders.user(role, aim)).get(url)
    assert response.status_code in (200, 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "details",
    [
        {"household": {"id": 1}},
        {"household": [1]},
        {"household": "²"},
        {"household": True},
        {"household": 10**30},
        {"plan_ended_reason": {"a": "b"}},
        {"source": "import"},
    ],
)
def test_an_api_step_whose_details_are_not_of_their_type_is_refused_and_changes_nothing(aim, client_for, details):
    child = builders.child(aim, placement_order_on=None)
    steps = child.steps.count()
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    response = client.post(
        f"/api/children/{child.pk}/steps/",
        {"kind": "linked", "occurred_on": "2024-01-10", "details": details},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert set(details) <= set(response.json()["details"])
    assert child.steps.count() == steps


@pytest.mark.django_db
def test_json_nested_too_deeply_is_refused_with_a_400(aim, client_for):
    child = builders.child(aim)
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    for depth in (25, 100_000):  # 100,000 levels made Python's parser recurse until it failed
        body = '{"version": 0, "needs": ' + "[" * depth + "]" * depth + "}"
        response = client.patch(f"/api/children/{child.pk}/", body, content_type="application/json")
        assert response.status_code == 400 and "nests deeper than 20" in response.json()["detail"]
    shallow = client.patch(
        f"/api/children/{child.pk}/",
        {"version": 0, "needs": [{"need": "autism", "severity": "low"}]},
        content_type="application/json",
    )
    assert shallow.status_code == 200


@pytest.mark.django_db
def test_a_request_body_over_the_limit_or_with_too_many_fields_is_refused(aim, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    child = builders.child(aim)
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    big = client.patch(
        f"/api/children/{child.pk}/", {"version": 0, "first_name": "x" * 20_000}, content_type="application/json"
    )
    assert big.status_code == 400 and "larger than 10000 bytes" in big.json()["detail"]
    assert client.post("/children/new/", {"first_name": "x" * 20_000}).status_code == 400
    many = client.post("/children/new/", {f"field{i}": "1" for i in range(1500)})
    assert many.status_code == 400
    child.refresh_from_db()
    assert child.first_name == "Alex" and Child.objects.count() == 1


@pytest.mark.django_db
def test_a_number_or_amount_typed_in_other_digits_is_refused_not_read(aim, client_for):
    """Django reads '٣' as 3 in a number box; only ASCII digits are numbers (common/parsing.py)."""
    from openraa.support.models import SupportBudget

    client = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    knowsley = builders.council("Knowsley")
    for amount in ("١٠٠٠", "1٠00", "²"):
        response = client.post("/support/budget/set/", {"council": knowsley.pk, "year": "2025-26", "amount": amount})
        assert response.status_code == 200 and "amount" in response.context["form"].errors
    response = client.post("/support/budget/set/", {"council": knowsley.pk, "year": "٢٠٢٥", "amount": "10"})
    assert response.status_code == 200 and "year" in response.context["form"].errors
    assert not SupportBudget.objects.exists()
    assert (
        client.post(
            "/support/budget/set/", {"council": knowsley.pk, "year": "2025-26", "amount": "1000.00"}
        ).status_code
        == 302
    )
