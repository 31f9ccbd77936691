"""The performance pages, files, API and console command: who may open what, that board pages and
files never carry a child's reference or name, that the return's downloads are audited, and that
the figures on them are the scorecard's, worked out here from the records' dates."""

import io
import json
import re
import zipfile
import zlib
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from openraa.audit.models import RecordView
from openraa.people.roles import Role, Scope, scope_of
from openraa.performance.models import ExtractDownload
from tests import builders

FIRST_NAME, LAST_NAME, COUNCIL_ID = "Zephyrine", "Quillfeather", "ZQ4242"


@pytest.fixture
def region(aim):
    """An adopted child in Knowsley (2024-25), one adopted by their early permanence carers, and a
    child waiting in Liverpool whose ethnicity is not known and who has no council child ID."""
    household = builders.household(aim, "Knowsley")
    carers = builders.household(aim, "Knowsley", early_permanence=True)
    adopted = builders.child(
        aim,
        "Knowsley",
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        council_child_id=COUNCIL_ID,
        linked_on=date(2023, 10, 1),
        matching_panel_on=date(2023, 11, 1),
        matched_on=date(2023, 11, 10),
        placed_on=date(2023, 12, 1),
        adoption_order_on=date(2024, 6, 3),
        household=household,
    )
    fostered = builders.child(
        aim,
        "Knowsley",
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        council_child_id="ZQ4243",
        early_permanence_on=date(2023, 2, 1),
        early_permanence_kind="foster_to_adopt",
        early_permanence_household=carers,
        household=carers,
        linked_on=date(2023, 9, 15),
        matching_panel_on=date(2023, 10, 1),
        matched_on=date(2023, 10, 10),
        placed_on=date(2023, 11, 1),
        adoption_order_on=date(2024, 7, 1),
    )
    waiting = builders.child(aim, "Liverpool", first_name=FIRST_NAME, last_name=LAST_NAME, ethnicity="NOBT")
    return {"agency": aim, "adopted": adopted, "fostered": fostered, "waiting": waiting, "household": household}


def _forbidden_text(region) -> list[str]:
    children = (region["adopted"], region["fostered"], region["waiting"])
    return [
        FIRST_NAME,
        LAST_NAME,
        COUNCIL_ID,
        "ZQ4243",
        *(c.reference for c in children),
        region["household"].reference,
        "Testadopter",
    ]


def _pdf_text(content: bytes) -> str:
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            text.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            text.append(stream.decode("latin-1"))
    return "\n".join(text)


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return "\n".join(z.read(name).decode("utf-8") for name in z.namelist() if name.endswith(".xml"))


@pytest.mark.django_db
def test_a_board_member_opens_the_scorecard_and_board_pack_but_never_the_return(region, client_for):
    client = client_for(builders.user(Role.BOARD_MEMBER, region["agency"]))
    for url in (
        "/performance/",
        "/performance/?year=2024-25",
        "/performance/board/",
        "/performance/board/?year=2024-25",
        "/performance/board/pack.pdf",
        "/performance/board/pack.xlsx",
        "/performance/api/scorecard/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/performance/returns/").status_code == 403
    response = client.post(
        "/performance/returns/", {"quarter": "2024-04-01", "understood": "on", "download": "children-csv"}
    )
    assert response.status_code == 403
    assert not ExtractDownload.objects.filter(extract="children").exists()


@pytest.mark.django_db
def test_no_child_reference_or_name_appears_in_board_pages_or_files(region, client_for):
    forbidden = _forbidden_text(region)
    for role in (Role.BOARD_MEMBER, Role.TEAM_MANAGER):
        client = client_for(builders.user(role, region["agency"], username=f"{role}.check"))
        outputs = {
            "scorecard": client.get("/performance/?year=2024-25").content.decode(),
            "board": client.get("/performance/board/?year=2024-25").content.decode(),
            "api": client.get("/performance/api/scorecard/?year=2024-25").content.decode(),
            "pdf": _pdf_text(client.get("/performance/board/pack.pdf?year=2024-25").content),
            "xlsx": _xlsx_text(client.get("/performance/board/pack.xlsx?year=2024-25").content),
        }
        for name, text in outputs.items():
            for word in forbidden:
                assert word not in text, (role, name, word)
        assert "Board pack" in outputs["pdf"] or "board pack" in outputs["pdf"]


@pytest.mark.django_db
def test_board_members_see_small_numbers_suppressed_and_team_managers_see_them(region, client_for):
    board = (
        client_for(builders.user(Role.BOARD_MEMBER, region["agency"]))
        .get("/performance/api/scorecard/?year=2024-25")
        .json()
    )
    agency = board["groups"][-1]
    assert board["suppressed"] is True
    assert agency["years"][-1]["a1"]["children"] == "<5"
    assert agency["years"][-1]["a1"]["average_days"] is None
    page = client_for(builders.user(Role.BOARD_MEMBER, region["agency"], username="b2")).get("/performance/board/")
    assert "&lt;5" in page.content.decode()
    manager = (
        client_for(builders.user(Role.TEAM_MANAGER, region["agency"]))
        .get("/performance/api/scorecard/?year=2024-25")
        .json()
    )
    assert manager["suppressed"] is False
    assert manager["groups"][-1]["years"][-1]["a1"]["children"] == 2


@pytest.mark.django_db
def test_the_figures_on_the_api_are_worked_out_from_the_records_dates(region, client_for):
    adopted, fostered = region["adopted"], region["fostered"]
    data = (
        client_for(builders.user(Role.TEAM_MANAGER, region["agency"]))
        .get("/performance/api/scorecard/?year=2024-25")
        .json()
    )
    knowsley = next(g for g in data["groups"] if g["council"] == "E08000011")
    year = next(p for p in knowsley["years"] if p["period"] == "2024-25")
    a1 = [(c.placed_on - c.entered_care_on).days for c in (adopted, fostered)]
    a10 = [
        (adopted.placed_on - adopted.entered_care_on).days,
        (fostered.early_permanence_on - fostered.entered_care_on).days,
    ]
    a2 = [(c.matched_on - c.placement_order_on).days for c in (adopted, fostered)]
    assert year["a1"]["average_days"] == round(sum(a1) / 2, 1)
    assert year["a10"]["average_days"] == round(sum(a10) / 2, 1)
    assert year["a2"]["average_days"] == round(sum(a2) / 2, 1)
    assert year["a1"]["within_threshold"] == (round(sum(a1) / 2) <= 426)
    liverpool = next(g for g in data["groups"] if g["council"] == "E08000012")
    assert liverpool["years"][-1]["activity"]["children_waiting"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_roles_holding_the_returns_grant_open_the_return(region, client_for, role):
    client = client_for(builders.user(role, region["agency"]))
    expected = 200 if scope_of(role, "returns", "view") else 403
    assert client.get("/performance/returns/").status_code == expected
    assert client.get("/performance/").status_code == 200  # every role holds aggregates


def test_the_returns_grant_is_team_managers_and_administrators_only():
    holders = {role for role in Role if scope_of(role, "returns", "view")}
    assert holders == {Role.TEAM_MANAGER, Role.ADMINISTRATOR}
    assert scope_of(Role.TEAM_MANAGER, "returns", "view") == Scope.AGENCY
    for role in (Role.BOARD_MEMBER, Role.FINANCE_OFFICER):
        assert scope_of(role, "child", "view") is None and scope_of(role, "returns", "view") is None


@pytest.mark.django_db
def test_the_return_lists_warnings_before_download_and_every_download_is_audited(region, client_for):
    manager = builders.user(Role.TEAM_MANAGER, region["agency"])
    client = client_for(manager)
    quarter = "2024-04-01"  # 2024-25 Q1: every child of the region is in it
    page = client.get(f"/performance/returns/?quarter={quarter}").content.decode()
    assert "Ethnicity not known" in page and region["waiting"].reference in page
    assert "No council child ID" in page
    assert page.index("Data-quality warnings") < page.index('value="children-xlsx"')

    refused = client.post("/performance/returns/", {"quarter": quarter, "download": "children-csv"})
    assert refused.status_code == 400
    assert not ExtractDownload.objects.exists()

    # The adopted children's records are sealed: in the file only for a stated purpose (see test_sealed_records).
    response = client.post(
        "/performance/returns/",
        {
            "quarter": quarter,
            "understood": "on",
            "download": "children-csv",
            "sealed_purpose": "asglb",
            "sealed_reason": "Quarterly upload to the Coram-i adoption data collection",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert len(lines) == 1 + 3
    assert COUNCIL_ID in body and region["waiting"].reference in body
    assert FIRST_NAME not in body and LAST_NAME not in body  # references and IDs only, never names

    entry = ExtractDownload.objects.get()
    assert (entry.user, entry.extract, entry.file_format, entry.period, entry.rows) == (
        manager,
        "children",
        "csv",
        "2024-25 Q1",
        3,
    )
    assert entry.warnings >= 2
    viewed = set(
        RecordView.objects.filter(user=manager, record_type="children.child").values_list("record_id", flat=True)
    )
    assert viewed == {region["adopted"].pk, region["fostered"].pk, region["waiting"].pk}

    xlsx = client.post("/performance/returns/", {"quarter": quarter, "understood": "on", "download": "adopters-xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    text = _xlsx_text(xlsx.content)
    assert region["household"].reference in text and "Data quality" in text
    assert ExtractDownload.objects.filter(extract="adopters", file_format="xlsx").count() == 1
    assert RecordView.objects.filter(user=manager, record_type="households.household").exists()


@pytest.mark.django_db
def test_the_board_pack_files_are_audited_and_well_formed(region, client_for):
    member = builders.user(Role.BOARD_MEMBER, region["agency"])
    client = client_for(member)
    pdf = client.get("/performance/board/pack.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/performance/board/pack.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert "<5" in _xlsx_text(xlsx.content) or "&lt;5" in _xlsx_text(xlsx.content)
    assert list(ExtractDownload.objects.filter(user=member).values_list("extract", "file_format")) == [
        ("board_pack", "xlsx"),
        ("board_pack", "pdf"),
    ]
    assert client.get("/performance/board/pack.doc").status_code == 404


@pytest.mark.django_db
def test_the_board_pack_page_draws_its_charts_as_svg_with_text_alternatives(region, client_for):
    page = client_for(builders.user(Role.BOARD_MEMBER, region["agency"])).get("/performance/board/").content.decode()
    assert page.count("<svg") == 5
    assert 'role="img"' in page and "<desc" in page
    assert "<script" not in page.split("<main")[1].split("</main>")[0]


@pytest.mark.django_db
def test_the_console_command_prints_the_same_scorecard(region, capsys):
    call_command("scorecard", agency="aim", year="2024-25", json=True)
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == "2024-25"
    agency = data["groups"][-1]
    year = next(p for p in agency["years"] if p["period"] == "2024-25")
    days = [(c.placed_on - c.entered_care_on).days for c in (region["adopted"], region["fostered"])]
    assert year["a1"]["children"] == 2 and year["a1"]["average_days"] == round(sum(days) / 2, 1)
    assert year["a3"]["count"] == sum(d < 426 for d in days)
    call_command("scorecard", agency="aim", council="E08000011", year="2024-25", a1_threshold=300)
    out = capsys.readouterr().out
    assert "Knowsley" in out and "Liverpool" not in out
    assert "within 300 days" in out and "under 300 days" in out  # A3 follows the A1 threshold
    assert "2024-25" in out and "2022-25" in out


@pytest.mark.django_db
def test_a_bare_year_is_the_year_ending_in_it_in_the_command_the_pages_and_the_api(region, capsys, client_for):
    outputs = []
    for year in ("2024-25", "2025", "2024/25"):
        call_command("scorecard", agency="aim", year=year, json=True, date=date(2026, 1, 5))
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert json.loads(outputs[0])["year"] == "2024-25"
    call_command("scorecard", agency="aim", year="2025", date=date(2026, 1, 5))
    assert "adoption scorecard 2024-25 (3 years 2022-25)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not a financial year"):
        call_command("scorecard", agency="aim", year="twenty")
    call_command("scorecard", agency="aim", year="2025", json=True, suppress=True, date=date(2026, 1, 5))
    board_view = json.loads(capsys.readouterr().out)
    assert board_view["suppressed"] and board_view["year"] == "2024-25"
    assert board_view["groups"][-1]["years"][-1]["a1"]["children"] == "<5"
    client = client_for(builders.user(Role.TEAM_MANAGER, region["agency"]))
    by_label, by_end = (client.get(f"/performance/api/scorecard/?year={y}").json() for y in ("2024-25", "2025"))
    assert by_label == by_end and by_label["year"] == "2024-25"
    page = client.get("/performance/?year=2025")
    assert page.context["card"].year.label == "2024-25" and "Adoption scorecard 2024-25" in page.content.decode()


@pytest.mark.django_db
def test_a_year_not_offered_is_refused_with_the_reason(region, client_for):
    client = client_for(builders.user(Role.TEAM_MANAGER, region["agency"]))
    api = client.get("/performance/api/scorecard/?year=1999-00")
    assert api.status_code == 400 and "1999-00 is not offered" in api.json()["year"][0]
    assert client.get("/performance/api/scorecard/?year=nonsense").status_code == 400
    page = client.get("/performance/?year=nonsense")
    assert page.status_code == 200
    assert "is not a financial year" in page.content.decode()


@pytest.mark.django_db
def test_the_pages_show_every_indicator_and_a10_apart_from_a1(region, client_for):
    client = client_for(builders.user(Role.TEAM_MANAGER, region["agency"]))
    page = client.get("/performance/?year=2024-25").content.decode()
    for code in ("A1", "A2", "A3", "A4", "A5", "A9", "A10", "A11", "A12", "A13", "A14", "A15", "A16"):
        assert f"{code}:" in page, code
    assert "Scorecard over the 3 years 2022-25" in page and "Timeliness by sex" in page
    assert "share of ended adoption plans that ended in adoption" in page
    board = client.get("/performance/board/?year=2024-25").content.decode()
    for code in ("A3", "A4", "A9", "A11", "A12", "A13", "A14", "A15", "A16"):
        assert f"{code}:" in board, code
    xlsx = _xlsx_text(client.get("/performance/board/pack.xlsx?year=2024-25").content)
    pdf = _pdf_text(client.get("/performance/board/pack.pdf?year=2024-25").content)
    assert "A14: children waiting with a placement order and no match" in xlsx
    assert "A12" in pdf and "A3" in pdf
    # The fostered child was adopted by their early permanence carers: A10 stops earlier than A1.
    data = client.get("/performance/api/scorecard/?year=2024-25").json()
    year = data["groups"][-1]["years"][-1]
    assert year["a10"]["total_days"] < year["a1"]["total_days"]


@pytest.mark.django_db
def test_the_page_says_why_a_figure_is_withheld_and_gives_all_councils_figure(region, client_for):
    page = client_for(builders.user(Role.BOARD_MEMBER, region["agency"])).get("/performance/?year=2024-25")
    tables = {t.key: t for t in page.context["timeliness"]}
    a1 = tables["a1"]
    knowsley = next(r for r in a1.rows if r.header == "Knowsley")
    assert any(c.withheld for c in knowsley.cells)
    assert "Not shown for" in a1.suppression and "Knowsley" in a1.suppression
    assert "too few to show without a risk of identifying someone" in a1.suppression
    html = page.content.decode()
    assert html.count(a1.suppression.split(":")[0] + ":") >= 1
    assert html.count('id="a1-suppression"') == 1
    # The nearest figure shown is all councils together's, where it can be shown.
    total = next(r for r in a1.rows if r.total)
    shown = [(column, cell.text) for column, cell in zip(a1.columns[1:], total.cells) if not cell.withheld]
    for column, text in shown:
        if any(r.cells[a1.columns.index(column) - 1].withheld for r in a1.rows if not r.total):
            assert f"{column}: {text}" in a1.suppression
    exact = client_for(builders.user(Role.TEAM_MANAGER, region["agency"], username="tm.exact")).get(
        "/performance/?year=2024-25"
    )
    assert all(not t.suppression for t in exact.context["timeliness"])


@pytest.mark.django_db
def test_the_api_answer_is_described_by_the_openapi_schema(region, client_for):
    import jsonschema

    schema = (
        client_for(builders.user(Role.TEAM_MANAGER, region["agency"]))
        .get("/api/schema/", HTTP_ACCEPT="application/json")
        .json()
    )
    answer = schema["paths"]["/performance/api/scorecard/"]["get"]["responses"]["200"]["content"]["application/json"]
    for role in (Role.TEAM_MANAGER, Role.BOARD_MEMBER):
        data = (
            client_for(builders.user(role, region["agency"], username=f"schema.{role}"))
            .get("/performance/api/scorecard/?year=2024-25")
            .json()
        )
        jsonschema.validate(data, _json_schema(answer["schema"]))


def _json_schema(schema):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type."""
    if isinstance(schema, dict):
        out = {k: _json_schema(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable"):
            out = {"anyOf": [out, {"type": "null"}]}
        return out
    if isinstance(schema, list):
        return [_json_schema(v) for v in schema]
    return schema


@pytest.mark.django_db
def test_the_records_carry_sex_the_application_and_the_days_each_family_was_matched(region):
    from openraa.children.models import Child
    from openraa.performance.selectors import records

    loaded = records(region["agency"])
    assert sorted(c.sex for c in loaded.children) == sorted(Child.objects.values_list("sex", flat=True))
    household, fostered = region["household"], region["fostered"]
    matched = {h.matches for h in loaded.households}
    assert (region["adopted"].matched_on,) in matched and (fostered.matched_on,) in matched
    mine = next(h for h in loaded.households if h.matches == (region["adopted"].matched_on,))
    assert mine.registered_on == household.registration_of_interest_on
    # A family stops waiting to be matched (A11) at the match, or at the early permanence placement.
    assert mine.placements == ((region["adopted"].matched_on, None),)
    carers = next(h for h in loaded.households if h.matches == (fostered.matched_on,))
    assert carers.placements == ((fostered.early_permanence_on, None),)


@pytest.mark.django_db
def test_saved_thresholds_are_the_agencys_from_then_on(region, capsys):
    from openraa.performance.selectors import thresholds_for

    call_command("scorecard", agency="aim", a1_threshold=400, a10_threshold=390, a2_threshold=100, save=True)
    t = thresholds_for(region["agency"])
    assert (t.a1_days, t.a10_days, t.a2_days) == (400, 390, 100)


@pytest.mark.django_db
def test_time_scorecard_reports_its_parts(region):
    from openraa.benchmarks.scorecard import time_scorecard

    result = time_scorecard(region["agency"], runs=1)
    assert result["children"] == 3 and result["within_target"]
    assert set(result["seconds"]) == {"read", "scorecard", "board", "tables", "total"}


@pytest.mark.django_db
def test_the_return_counts_adoption_support_per_council_and_names_no_one(region, client_for):
    from tests.support.matrix_support import agreed_case

    knowsley = builders.council("Knowsley")
    agreed_case(region["agency"], knowsley)  # received 1 May 2025, assessed 20 June (Q1), plan agreed 1 July (Q2)
    client = client_for(builders.user(Role.TEAM_MANAGER, region["agency"]))
    page = client.get("/performance/returns/?quarter=2025-04-01").content.decode()
    assert "Adoption support, 2025-26 Q1" in page
    response = client.post(
        "/performance/returns/", {"quarter": "2025-04-01", "understood": "on", "download": "support-csv"}
    )
    assert response.status_code == 200
    rows = {
        line.split(",")[1]: line.split(",")[2:]
        for line in response.content.decode("utf-8-sig").strip().splitlines()[1:]
    }
    assert rows["Knowsley"] == ["1", "1", "1", "0", "1"]  # received, assessed, in time, plan agreed, open at the end
    assert all(values == ["0"] * 5 for council, values in rows.items() if council != "Knowsley")
    assert "Robin Testparent" not in response.content.decode()
    assert ExtractDownload.objects.get(extract="support").rows == len(rows)
