"""Ofsted's Annex A adoption lists: the published headings and order, who is on each list, a row
built from a record, and the page's download (permission, audit, sealed records)."""

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from openraa.audit.models import RecordView
from openraa.people.roles import Role, scope_of
from openraa.performance import annex_a
from openraa.performance.annex_a import AdopterFacts, ApplicantFacts, ChildFacts, Window
from openraa.performance.models import ExtractDownload
from tests import builders

WINDOW = Window(date(2025, 3, 31))


def _child(**overrides) -> ChildFacts:
    values = {
        "child_id": "K123",
        "date_of_birth": date(2021, 5, 1),
        "sex": "2",
        "ethnicity": "MWBA",
        "disabled": True,
        "entered_care_on": date(2022, 1, 3),
        "should_be_placed_on": date(2022, 6, 1),
    }
    return ChildFacts(**{**values, **overrides})


def _adopters(**overrides) -> AdopterFacts:
    values = {
        "family": "H-000007",
        "applicants": (ApplicantFacts("1", "WBRI"), ApplicantFacts("2", "BAFR")),
        "fostering_for_adoption": False,
        "enquiry_on": date(2024, 5, 1),
    }
    return AdopterFacts(**{**values, **overrides})


def test_the_lists_carry_annex_a_headings_in_their_published_order():
    # As the Annex A template and its open-source cleaners (liia-tools) name them.
    assert annex_a.LIST_10_COLUMNS[:7] == (
        "Child Unique ID",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Does the Child have a Disability",
    )
    assert annex_a.LIST_10_COLUMNS[-3:] == (
        "Date of Decision that Child Should No Longer be Placed for Adoption",
        "Reason Why Child No Longer Placed for Adoption",
        "Date the child was placed for fostering in FFA or concurrent planning placement",
    )
    assert len(annex_a.LIST_10_COLUMNS) == 16 and len(annex_a.LIST_11_COLUMNS) == 19
    assert annex_a.LIST_11_COLUMNS.index("Date enquiry received") == 6
    assert annex_a.LIST_11_COLUMNS[-3:] == (
        "Date of Adoption Order",
        "Date of leaving adoption process",
        "Reason for leaving adoption process",
    )
    assert (annex_a.ETHNICITY["WBRI"], annex_a.ETHNICITY["OOTH"], annex_a.ETHNICITY["NOBT"]) == (
        "a) WBRI",
        "r) OOTH",
        "t) NOBT",
    )


def test_a_child_row_is_built_from_the_record_as_it_stood_at_the_end_of_the_12_months():
    row = dict(
        zip(
            annex_a.LIST_10_COLUMNS,
            annex_a.list_10_row(
                _child(
                    family="H-000002",
                    matched_on=date(2024, 11, 4),
                    placed_on=date(2025, 4, 2),  # placed after the window
                    early_permanence_on=date(2024, 10, 1),
                ),
                WINDOW,
            ),
        )
    )
    assert row["Child Unique ID"] == "K123" and row["Family identifier"] == "H-000002"
    assert (row["Gender"], row["Ethnicity"], row["Does the Child have a Disability"]) == (
        "b) Female",
        "g) MWBA",
        "a) Yes",
    )
    assert row["Age of Child (Years)"] == 3
    assert row["Date of Matching Child and Prospective Adopters"] == date(2024, 11, 4)
    assert row["Date Placed for Adoption"] is None
    assert row["Date the child was placed for fostering in FFA or concurrent planning placement"] == date(2024, 10, 1)
    ended = dict(
        zip(
            annex_a.LIST_10_COLUMNS,
            annex_a.list_10_row(_child(plan_ended_on=date(2024, 8, 1), plan_ended_code="RD3"), WINDOW),
        )
    )
    assert ended["Reason Why Child No Longer Placed for Adoption"] == "RD3 - Prospective adopters could not be found"


def test_an_adopter_row_per_applicant_shares_the_family_identifier():
    rows = annex_a.list_11_rows(
        _adopters(
            stage2_started_on=date(2024, 8, 1),
            approved_on=date(2025, 1, 10),
            closed_on=date(2025, 3, 1),
            closed_reason="withdrawn",
        ),
        WINDOW,
    )
    named = [dict(zip(annex_a.LIST_11_COLUMNS, row)) for row in rows]
    assert [r["Individual adopter identifier"] for r in named] == ["H-000007-1", "H-000007-2"]
    assert {r["Family identifier"] for r in named} == {"H-000007"}
    assert [r["Gender"] for r in named] == ["a) Male", "b) Female"]
    assert named[0]["Date application submitted"] == date(2024, 8, 1)
    assert named[0]["Reason for leaving adoption process"] == "1 - Adopter withdrew from process"
    assert named[0]["Disability"] == ""  # not recorded for adopters: left for the agency
    assert len(annex_a.list_11_rows(_adopters(applicants=()), WINDOW)) == 1


days = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31))


@given(end=days, decided=days, order=st.none() | days, ended=st.none() | days)
def test_list_10_holds_the_children_adopted_waiting_or_reversed_in_the_12_months(end, decided, order, ended):
    window = Window(end)
    if order and ended:
        ended = None  # a plan cannot end after the adoption order
    child = _child(should_be_placed_on=decided, adoption_order_on=order, plan_ended_on=ended)
    finished = [d for d in (order, ended) if d and d <= end]
    expected = decided <= end and (not finished or finished[0] in window)
    assert annex_a.on_list_10(child, window) == expected
    assert (window.ends_on - window.starts_on).days in (364, 365)


@given(end=days, enquiry=days, closed=st.none() | days)
def test_list_11_holds_those_in_contact_in_the_12_months(end, enquiry, closed):
    window = Window(end)
    on = annex_a.on_list_11(_adopters(enquiry_on=enquiry, closed_on=closed), window)
    assert on == (enquiry <= end and (closed is None or closed >= window.starts_on))


# ------------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------------

SECRET_ID = "SEAL4242"


@pytest.fixture
def lists_region(aim):
    adopters = builders.household(aim, "Knowsley")
    adopted = builders.child(
        aim,
        "Knowsley",
        council_child_id=SECRET_ID,
        household=adopters,
        linked_on=date(2024, 1, 8),
        matching_panel_on=date(2024, 2, 5),
        matched_on=date(2024, 2, 12),
        placed_on=date(2024, 3, 1),
        adoption_order_on=date(2024, 9, 2),
    )
    waiting = builders.child(aim, "Knowsley", council_child_id="K777", first_name="Canarychild")
    elsewhere = builders.child(aim, "Liverpool", council_child_id="L555")
    long_ago = builders.household(
        aim,
        "Knowsley",
        closed_on=date(2023, 1, 5),
        closed_reason="withdrawn",
        approved=False,
        stage2_started_on=None,
        stage1_ended_on=date(2022, 4, 1),
    )
    return {"adopters": adopters, "adopted": adopted, "waiting": waiting, "elsewhere": elsewhere, "long_ago": long_ago}


def _post(client, **extra):
    return client.post(
        "/performance/returns/annex-a/",
        {"council": "E08000011", "on": "2025-03-31", "understood": "on", "download": "xlsx", **extra},
    )


def _sheets(content):
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_the_returns_grant_opens_the_lists(lists_region, aim, client_for, role):
    client = client_for(builders.user(role, aim))
    expected = 200 if scope_of(role, "returns", "view") else 403
    assert client.get("/performance/returns/annex-a/").status_code == expected
    assert _post(client).status_code == expected
    assert ExtractDownload.objects.filter(extract="annex_a").count() == (1 if expected == 200 else 0)


@pytest.mark.django_db
def test_the_workbook_has_one_sheet_per_list_in_the_published_layout_and_is_audited(lists_region, aim, client_for):
    admin = builders.user(Role.ADMINISTRATOR, aim)  # the returns grant, not a sealed-record role
    client = client_for(admin)
    page = client.get("/performance/returns/annex-a/?council=E08000011&on=2025-03-31")
    assert page.context["lists"].children_total == 2 and page.context["lists"].sealed_left_out == 1
    assert "1 sealed adoption record is counted above and left out of the file" in page.content.decode()
    response = _post(client)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheets = _sheets(response.content)
    assert list(sheets) == ["List 10", "List 11"]
    assert tuple(sheets["List 10"][0]) == annex_a.LIST_10_COLUMNS
    assert tuple(sheets["List 11"][0]) == annex_a.LIST_11_COLUMNS
    children = sheets["List 10"][1:]
    assert [row[0] for row in children] == ["K777"]  # not Liverpool's child, not the sealed one
    assert "Canarychild" not in str(sheets) and SECRET_ID not in str(sheets)
    adopters = sheets["List 11"][1:]
    assert [row[1] for row in adopters] == [lists_region["adopters"].reference]  # not the one closed in 2023
    assert [(row[0], row[2], row[3]) for row in adopters] == [
        (f"{lists_region['adopters'].reference}-1", "b) Female", "a) WBRI")
    ]
    assert "Testadopter" not in str(sheets) and "Sam" not in str(sheets)
    download = ExtractDownload.objects.get(extract="annex_a")
    assert (download.user, download.rows) == (admin, 2)
    views = set(RecordView.objects.filter(user=admin, channel="export").values_list("record_type", "record_id"))
    assert views == {
        ("children.child", lists_region["waiting"].pk),
        ("households.household", lists_region["adopters"].pk),
    }


@pytest.mark.django_db
def test_a_sealed_child_is_on_list_10_only_with_a_stated_purpose_audited_with_it(lists_region, aim, client_for):
    adopted = lists_region["adopted"]
    manager = builders.user(Role.TEAM_MANAGER, aim)  # a sealed-record role by default
    client = client_for(manager)
    assert SECRET_ID not in str(_sheets(_post(client).content))
    refused = _post(client, sealed_purpose="asglb", sealed_reason="aaaaaaaaaa")
    assert refused.status_code == 400 and "There is a problem" in refused.content.decode()
    assert not RecordView.objects.filter(record_type="children.child", record_id=adopted.pk).exists()
    reason = "The inspectors asked for the children adopted this year"
    sheets = _sheets(_post(client, sealed_purpose="other", sealed_reason=reason).content)
    row = next(r for r in sheets["List 10"][1:] if r[0] == SECRET_ID)
    assert row[1] == lists_region["adopters"].reference and row[12].date() == date(2024, 9, 2)
    entry = RecordView.objects.get(record_type="children.child", record_id=adopted.pk)
    assert entry.channel == "export" and reason in entry.reason


@pytest.mark.django_db
def test_bad_input_is_refused_with_a_message_and_writes_nothing(lists_region, aim, client_for):
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    for bad in ({"council": "E99999999"}, {"on": "2999-01-01"}, {"on": "31/02/2025"}, {"understood": ""}):
        response = _post(client, **bad)
        assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert not ExtractDownload.objects.exists() and not RecordView.objects.filter(channel="export").exists()
    # A page asked for a council of another agency, or a day to come, shows the default instead.
    page = client.get("/performance/returns/annex-a/?council=E08000014&on=2999-01-01")
    assert page.status_code == 200 and page.context["council"].ons_code == "E08000011"
