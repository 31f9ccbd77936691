"""SSDA903 imports keep what the DfE accepts: real date orders are warnings, not rejections (import,
pages, API); A10's start from the run of episodes with the adopting foster carers; a council's years
in one go, in collection-year order and idempotent; the reconciliation of each year with the record.
Returns are built here, a few rows each."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.children import domain
from openraa.children.models import Child
from openraa.common.machine import Entry, replay
from openraa.interchange import services
from openraa.interchange.management.commands.import_ssda903 import year_of_folder
from openraa.interchange.models import ImportRun
from openraa.interchange.ssda903 import codes, mapping, reading
from openraa.journeys import definitions
from openraa.journeys.models import ChildStep
from openraa.people.roles import Role
from tests import builders

TODAY = date(2026, 1, 15)
BORN = date(2016, 3, 2)


def _csv(table: str, rows: list[dict]) -> tuple[str, bytes]:
    out = io.StringIO()
    writer = csv.DictWriter(out, codes.TABLES[table], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {name: (f"{value:%d/%m/%Y}" if isinstance(value, date) else value or "") for name, value in row.items()}
        )
    return f"{table}.csv", out.getvalue().encode()


def episode(child, decom, rne, ls, place, dec=None, rec=None) -> dict:
    return {
        "CHILD": child,
        "DECOM": decom,
        "RNE": rne,
        "LS": ls,
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": "PR1",
        "DEC": dec,
        "REC": rec or ("X1" if dec else None),
        "HOME_POST": "L36 9AA",
        "PL_POST": "L36 9AB",
        "URN": "SC123456",
    }


def a_return(children: dict[str, dict]) -> list[tuple[str, bytes]]:
    """children: CHILD -> {"episodes": [...], "ad1": {...} or None, "placed": [(DATE_PLACED, ceased, reason)]}.
    Episodes chain: each ends (X1) where the next begins unless given a DEC/REC."""
    header, episodes, ad1, placed = [], [], [], []
    for child, parts in children.items():
        header.append({"CHILD": child, "SEX": "M", "DOB": BORN, "ETHNIC": "WBRI", "UPN": "UN1", "MOTHER": "0"})
        chain = parts["episodes"]
        for at, row in enumerate(chain):
            ended = row["DEC"] is None and at + 1 < len(chain)
            episodes.append({**row, "DEC": chain[at + 1]["DECOM"], "REC": "X1"} if ended else row)
        if parts.get("ad1"):
            ad1.append(
                {"CHILD": child, "DOB": BORN, "NB_ADOPTR": "2", "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11", **parts["ad1"]}
            )
        placed += [
            {
                "CHILD": child,
                "DOB": BORN,
                "DATE_PLACED": on,
                "DATE_PLACED_CEASED": ceased,
                "REASON_PLACED_CEASED": reason,
            }
            for on, ceased, reason in parts.get("placed", ())
        ]
    return [_csv("Header", header), _csv("Episodes", episodes), _csv("AD1", ad1), _csv("PlacedAdoption", placed)]


def adopted(
    child="3001",
    *,
    entered=date(2021, 5, 1),
    decided=date(2021, 9, 1),
    order=date(2022, 1, 10),
    matched=date(2022, 6, 1),
    placed=date(2022, 8, 1),
    adopted_on=date(2024, 6, 1),
    with_carers=False,
    before=(),
):
    """An adopted child's rows: entered care in foster care, (an order,) placed for adoption, adopted."""
    episodes = [*before, episode(child, entered, "S" if not before else "P", "C2", "U4")]
    if order:
        episodes.append(episode(child, order, "L", "E1", "U4"))
    place = ("A5" if order else "A3") if with_carers else ("A6" if order else "A4")
    episodes.append(
        episode(child, placed, "T" if with_carers else "P", "E1" if order else "V2", place, adopted_on, "E11")
    )
    return {
        "episodes": episodes,
        "ad1": {"DATE_INT": decided, "DATE_MATCH": matched, "FOSTER_CARE": "1" if with_carers else "0"},
    }


def _report(result) -> list[dict]:
    return list(csv.DictReader(io.StringIO(result.report_csv())))


def _mapped(files, child="3001", earlier=()) -> mapping.Mapped:
    children, problems = mapping.group_by_child(reading.read_return(files))
    assert problems == []
    return mapping.milestones_from_return(children[child], list(earlier))


# -- any order the DfE accepts is kept, and warned where unusual (no database) -------------------


@settings(max_examples=60, deadline=None)
@given(
    entered=st.dates(min_value=date(2017, 1, 1), max_value=date(2021, 1, 1)),
    to_decision=st.integers(0, 200),
    to_order=st.integers(1, 300),  # the order comes after the decision (SSDA903 rule 554)
    consent=st.booleans(),  # placed with parental consent (A3/A4): no placement order
    match_at=st.floats(0, 1),  # anywhere from the decision to the placement (rules 333, 331)
    to_placement=st.integers(1, 400),
    to_adoption=st.integers(1, 500),
    with_carers=st.booleans(),
)
def test_any_order_of_decision_match_order_and_placement_the_dfe_accepts_is_kept(
    entered, to_decision, to_order, consent, match_at, to_placement, to_adoption, with_carers
):
    decided = entered + timedelta(days=to_decision)
    order = None if consent else decided + timedelta(days=to_order)
    placed = (order or decided) + timedelta(days=to_placement)
    matched = decided + timedelta(days=round(match_at * (placed - decided).days))
    adopted_on = placed + timedelta(days=to_adoption)
    files = a_return(
        {
            "3001": adopted(
                entered=entered,
                decided=decided,
                order=order,
                matched=matched,
                placed=placed,
                adopted_on=adopted_on,
                with_carers=with_carers,
            )
        }
    )
    mapped = _mapped(files)
    assert mapped.problems == [] and all(found.exact for found in mapped.dates.values())
    milestones = domain.Milestones(date_of_birth=BORN, **{name: found.value for name, found in mapped.dates.items()})
    assert domain.validate(milestones, TODAY) == {}
    entries = [
        Entry(seq, services.KIND_OF[name], found.value, imported=True)
        for seq, (name, found) in enumerate(sorted(mapped.dates.items(), key=lambda i: i[1].value), 1)
    ]
    replay(definitions.child_journey(BORN), entries, TODAY)  # the journey takes it as it is
    warned = domain.warnings(milestones)
    assert ("matched_on" in warned) == bool(order and matched < order)
    assert ("placed_on" in warned) == (consent or matched == placed)
    assert ("adoption_order_on" in warned) == (to_adoption < domain.LIVED_WITH_ADOPTERS_DAYS)
    assert (mapped.fostered_by_adopters_from is not None) == with_carers


def test_the_import_keeps_real_date_orders_and_lists_them_as_warnings(aim):
    files = a_return(
        {
            "3001": adopted(matched=date(2021, 12, 1)),  # matched before the order: A2 counts 0 days
            "3002": adopted("3002", order=None, with_carers=True),  # placed with consent by its foster carers (A3)
            "3003": adopted("3003", placed=date(2022, 6, 1), adopted_on=date(2022, 7, 1)),  # same day; order in 30 days
            "3004": adopted("3004", matched=date(2021, 8, 1)),  # matched before the decision: no child can be
        }
    )
    result = services.import_return(files, builders.council("Knowsley"), 2025)
    run = result.run
    assert (run.created, run.rejected, run.warned) == (3, 1, 3)
    lines = _report(result)
    warned = {(line["child"], line["field"]) for line in lines if line["outcome"] == "warning"}
    assert warned == {
        ("3001", "matched_on"),
        ("3002", "placed_on"),
        ("3003", "placed_on"),
        ("3003", "adoption_order_on"),
    }
    assert [line["child"] for line in lines if line["outcome"] == "rejected"] == ["3004"]
    consent = Child.objects.get(council_child_id="3002")
    assert consent.placement_order_on is None and consent.placed_on == date(2022, 8, 1)
    assert consent.steps.get(kind="placed").details["ssda903_place"] == "A3"
    assert Child.objects.get(council_child_id="3001").matched_on == date(2021, 12, 1)
    again = services.import_return(files, builders.council("Knowsley"), 2025).run
    assert (again.created, again.updated, again.unchanged, again.rejected, again.warned) == (0, 0, 3, 1, 3)


# -- pages and the API say the warnings and refuse nothing ----------------------------------------


def _matched_without_order(aim):
    household = builders.household(aim)
    return builders.child(
        aim,
        placement_order_on=None,
        household=household,
        linked_on=date(2023, 7, 1),
        matching_panel_on=date(2023, 8, 1),
        matched_on=date(2023, 8, 10),
    )


@pytest.mark.django_db
def test_the_api_records_an_order_after_the_match_and_a_consent_placement_with_warnings(aim, client_for):
    client = client_for(builders.user(Role.SOCIAL_WORKER, aim))
    early = _matched_without_order(aim)
    response = client.post(
        f"/api/children/{early.pk}/steps/",
        {"kind": "placement_order", "occurred_on": "2023-09-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert any("came before the placement order" in w for w in response.json()["warnings"])
    early.refresh_from_db()
    assert early.placement_order_on == date(2023, 9, 1) and early.stage == "matched"

    consent = builders.child(
        aim,
        placement_order_on=None,
        household=builders.household(aim),
        linked_on=date(2023, 7, 1),
        matching_panel_on=date(2023, 8, 1),
        matched_on=date(2023, 8, 10),
    )
    response = client.post(
        f"/api/children/{consent.pk}/steps/",
        {"kind": "placed", "occurred_on": "2023-10-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert any("parental consent" in w for w in response.json()["warnings"])
    plain = builders.child(aim)
    response = client.post(
        f"/api/children/{plain.pk}/steps/",
        {"kind": "plan_ended", "occurred_on": "2023-10-01", "details": {"plan_ended_reason": "plan_changed"}},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["warnings"] == []


@pytest.mark.django_db
def test_the_step_page_saves_an_order_after_the_match_and_shows_the_warning(aim, client_for):
    client = client_for(builders.user(Role.SOCIAL_WORKER, aim))
    child = _matched_without_order(aim)
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "govuk-warning-text" in page and "without a placement order" in page
    response = client.post(
        f"/children/{child.pk}/steps/new/",
        {"kind": "placement_order", "occurred_on_0": "1", "occurred_on_1": "9", "occurred_on_2": "2023"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Important" in page and "came before the placement order" in page
    child.refresh_from_db()
    assert child.placement_order_on == date(2023, 9, 1)


# -- A10: the foster placement with the adopters ---------------------------------------------------


def test_the_fostering_start_is_the_first_episode_with_the_adopting_carers():
    before = [episode("3001", date(2020, 11, 1), "S", "C2", "U4")]  # other carers first
    rows = adopted(entered=date(2021, 5, 1), with_carers=True, before=before)  # P: these carers from 1 May 2021
    found = _mapped(a_return({"3001": rows})).fostered_by_adopters_from
    assert (found.value, found.exact) == (date(2021, 5, 1), True)
    # The same carers since the start of what the return shows: a bound, until the earlier years are read.
    rows = adopted(entered=date(2021, 5, 1), with_carers=True)
    rows["episodes"][0]["RNE"] = "T"
    found = _mapped(a_return({"3001": rows})).fostered_by_adopters_from
    assert (found.value, found.exact) == (date(2021, 5, 1), False)
    earlier = [
        episode("3001", date(2020, 2, 1), "S", "C2", "U6"),
        episode("3001", date(2020, 12, 1), "P", "C2", "U4", date(2021, 5, 1)),
    ]
    earlier_rows = mapping.group_by_child(reading.read_return(a_return({"3001": {"episodes": earlier}})))[0]["3001"]
    found = _mapped(a_return({"3001": rows}), earlier=earlier_rows.episodes).fostered_by_adopters_from
    assert (found.value, found.exact) == (date(2020, 12, 1), True)
    assert _mapped(a_return({"3001": adopted()})).fostered_by_adopters_from is None  # FOSTER_CARE 0


def _years(tmp_path, returns: dict[str, list]) -> list[str]:
    folders = []
    for name, files in returns.items():
        folder = tmp_path / name
        folder.mkdir()
        for file_name, content in files:
            (folder / file_name).write_bytes(content)
        folders.append(str(folder))
    return folders


def _state():
    return (
        Child.objects.count(),
        Child.history.count(),
        ChildStep.objects.count(),
        sorted(
            Child.objects.values_list(
                "council_child_id",
                "stage",
                "entered_care_on",
                "placement_order_on",
                "matched_on",
                "placed_on",
                "adoption_order_on",
                "fostered_by_adopters_from",
            )
        ),
    )


def _fostered_history():
    """Fostered by their adopters from December 2020 (2020-21's return), adopted in 2024-25."""
    older = a_return(
        {
            "3001": {
                "episodes": [
                    episode("3001", date(2020, 2, 1), "S", "C2", "U6"),
                    episode("3001", date(2020, 12, 1), "P", "C2", "U4"),
                ],
                "placed": [(date(2021, 1, 10), None, None)],
            }
        }
    )
    rows = adopted(entered=date(2021, 5, 1), decided=date(2021, 1, 10), with_carers=True)
    rows["episodes"][0].update(RNE="T")  # same carers; the period of care began in the older return
    return older, a_return({"3001": rows})


def test_a_councils_years_are_imported_in_order_completing_periods_of_care_and_again_change_nothing(
    aim, tmp_path, capsys
):
    older, newer = _fostered_history()
    folders = _years(tmp_path, {"ssda903_2025": newer, "2020-21": older})  # given out of order
    call_command("import_ssda903", *folders, council="E08000011")
    out = capsys.readouterr().out
    assert "Knowsley 2020-21" in out and "Knowsley 2024-25" in out
    assert list(ImportRun.objects.order_by("id").values_list("year", flat=True)) == [2021, 2025]
    child = Child.objects.get(council_child_id="3001")
    # The earlier year's episodes complete the period of care: both dates are exact.
    assert (child.entered_care_on, child.fostered_by_adopters_from) == (date(2020, 2, 1), date(2020, 12, 1))
    assert not child.steps.get(kind="entered_care").details.get(services.ESTIMATE_KEY)
    before = _state()
    call_command("import_ssda903", *folders, council="E08000011")
    assert _state() == before
    assert [run.unchanged for run in ImportRun.objects.order_by("id")][2:] == [1, 1]


def test_alone_the_adoption_year_gives_bounds_and_says_so(aim):
    _, newer = _fostered_history()
    result = services.import_return(newer, builders.council("Knowsley"), 2025)
    child = Child.objects.get(council_child_id="3001")
    # Bounds: the earliest date the return shows (the decision), the first episode with these carers.
    assert (child.entered_care_on, child.fostered_by_adopters_from) == (date(2021, 1, 10), date(2021, 5, 1))
    notes = {line["field"]: line["reason"] for line in _report(result) if line["outcome"] == "note"}
    assert "earlier returns" in notes[mapping.FOSTERED_FROM] and "entered_care_on" in notes


def test_later_years_facts_win_over_earlier_estimates_in_either_order(aim):
    council = builders.council("Knowsley")
    # 2023-24 shows the period of care from its start; 2024-25 only from a change of placement.
    older = a_return(
        {
            "3005": {
                "episodes": [
                    episode("3005", date(2023, 6, 1), "S", "C2", "U4"),
                    episode("3005", date(2023, 11, 1), "L", "E1", "U4"),
                ],
                "placed": [(date(2023, 9, 1), None, None)],
            }
        }
    )
    newer = a_return(
        {
            "3005": {
                "episodes": [episode("3005", date(2024, 2, 1), "P", "E1", "U6")],
                "placed": [(date(2023, 9, 1), None, None)],
            }
        }
    )
    services.import_return(newer, council, 2025)
    child = Child.objects.get(council_child_id="3005")
    assert child.entered_care_on == date(2023, 9, 1)  # a bound: the earliest date the return shows
    services.import_return(older, council, 2024)
    child.refresh_from_db()
    assert (child.entered_care_on, child.placement_order_on) == (date(2023, 6, 1), date(2023, 11, 1))
    settled = _state()
    services.import_return(newer, council, 2025)
    services.import_return(older, council, 2024)
    assert _state() == settled


def test_an_earlier_year_imported_after_a_later_one_does_not_undo_what_the_later_year_showed(aim):
    council = builders.council("Knowsley")

    def year_return(order_on):
        return a_return(
            {
                "3006": {
                    "episodes": [
                        episode("3006", date(2023, 6, 1), "S", "C2", "U4"),
                        episode("3006", order_on, "L", "E1", "U4"),
                    ],
                    "placed": [(date(2023, 9, 1), None, None)],
                }
            }
        )

    services.import_return(year_return(date(2024, 1, 12)), council, 2025)  # the later year, corrected
    services.import_return(year_return(date(2024, 1, 10)), council, 2024)
    assert Child.objects.get(council_child_id="3006").placement_order_on == date(2024, 1, 12)
    services.import_return(year_return(date(2024, 1, 14)), council, 2025)  # the same year again: it follows the return
    assert Child.objects.get(council_child_id="3006").placement_order_on == date(2024, 1, 14)


def test_each_folders_year_comes_from_its_name_or_year(aim, tmp_path):
    for name, label in (("2024-25", "2024-25"), ("ssda903_2025", "2024-25"), ("knowsley 2023", "2022-23")):
        assert year_of_folder(tmp_path / name).label == label
    folders = _years(tmp_path, {"returns": a_return({"3001": adopted()}), "other": a_return({"3001": adopted()})})
    with pytest.raises(CommandError, match="returns holds no collection year"):
        call_command("import_ssda903", *folders, council="E08000011")
    with pytest.raises(CommandError, match="one folder"):
        call_command("import_ssda903", *folders, council="E08000011", year="2025")
    assert ImportRun.objects.count() == 0
    call_command("import_ssda903", folders[0], council="E08000011", year="2025")
    assert ImportRun.objects.get().year == 2025


# -- reconciliation -------------------------------------------------------------------------------


def _reconciled_return():
    return a_return(
        {
            "3001": adopted(adopted_on=date(2024, 6, 1)),  # adopted in 2024-25: 3 episodes
            "3002": adopted("3002", adopted_on=date(2024, 2, 1)),  # adopted the year before: not in OpenRAA's 2024-25
            "3007": {"episodes": [episode("3007", date(2024, 5, 1), "S", "V2", "U1")]},  # no adoption plan
        }
    )


def test_the_json_reconciles_the_return_with_what_openraa_holds(aim, tmp_path, capsys):
    folders = _years(tmp_path, {"2024-25": _reconciled_return()})
    call_command("import_ssda903", *folders, council="E08000011", json=True)
    (year,) = json.loads(capsys.readouterr().out)
    assert year["year"] == "2024-25" and year["local_authority"] == "E08000011"
    assert year["return"] == {"children": 2, "episodes": 6, "adoptions": 1}
    assert year["imported"]["created"] == 2 and year["imported"]["skipped"] == 1
    assert (year["openraa"]["children"], year["openraa"]["adoptions"]) == (1, 1)
    assert year["difference"] == {name: year["openraa"][name] - year["return"][name] for name in year["return"]}


def test_administrators_see_the_reconciliation_of_their_councils_years(aim, client_for):
    services.import_return(_reconciled_return(), builders.council("Knowsley"), 2025)
    page = client_for(builders.user(Role.ADMINISTRATOR, aim)).get("/interchange/ssda903/reconciliation/")
    assert page.status_code == 200
    (row,) = page.context["rows"]
    assert (row["council"], row["year"], row["return"]["episodes"]) == ("Knowsley", "2024-25", 6)
    assert "Adoptions in the year" in page.content.decode()
    other = builders.agency("bkm", councils=("Sefton", "Wirral"), host="Sefton")
    assert (
        client_for(builders.user(Role.ADMINISTRATOR, other, employer="Sefton"))
        .get("/interchange/ssda903/reconciliation/")
        .context["rows"]
        == []
    )
    assert (
        client_for(builders.user(Role.SOCIAL_WORKER, aim)).get("/interchange/ssda903/reconciliation/").status_code
        == 403
    )


def test_a_code_of_another_years_layout_is_imported_and_listed_as_a_warning(aim):
    child = adopted("3005")
    child["episodes"][0] = {**child["episodes"][0], "PLACE": "Z1"}  # split into Z11-Z14 from 2025-26
    result = services.import_return(a_return({"3005": child}), builders.council("Knowsley"), 2026)
    warned = [line for line in _report(result) if line["outcome"] == "warning" and line["field"] == "PLACE"]
    assert [line["child"] for line in warned] == ["3005"] and "Z1" in warned[0]["reason"]
    assert result.run.created == 1 and result.run.rejected == 0
    same_in_2024_25 = services.import_return(a_return({"3005": child}), builders.council("Knowsley"), 2025)
    assert not [line for line in _report(same_in_2024_25) if line["field"] == "PLACE"]
