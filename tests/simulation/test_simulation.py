"""The agency simulation: pure model properties on small parameters, the fit from the record, the
command and the board page."""

import json
import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from django.core.management import call_command

from openraa.people.roles import Role
from openraa.reference import NEEDS
from openraa.simulation import model, report
from tests import builders


def small(replications: int = 4, years: float = 2.0, households: float = 8.0, seed: int = 7) -> model.Parameters:
    r = random.Random(1)
    needs = list(NEEDS)
    children = tuple(
        model.ChildProfile(
            ages=tuple(r.choice([0, 1, 2, 3, 4, 5, 6, 7]) for _ in range(r.choice([1, 1, 1, 2, 3]))),
            needs={n: r.choice(["low", "medium", "high"]) for n in r.sample(needs, r.randint(0, 2))},
            ethnicities=(r.choice(["WBRI", "WBRI", "MWBC", "BAFR"]),),
        )
        for _ in range(30)
    )
    homes = tuple(
        model.HouseholdProfile(
            approved_children=r.choice([1, 2, 3]),
            age_min=0,
            age_max=r.choice([3, 5, 8]),
            capabilities={n: r.choice(["none", "low", "medium", "high"]) for n in needs},
            sibling_group_open=r.random() < 0.5,
        )
        for _ in range(30)
    )
    councils = (model.Council("E1", "North", 10, households), model.Council("E2", "South", 6, households / 2))
    return model.Parameters(councils, children, homes, years=years, replications=replications, seed=seed)


def _without_time(result: model.Result) -> dict:
    document = report.as_dict(result)
    document.pop("seconds")
    return document


def test_a_fixed_seed_gives_the_same_result_and_another_seed_a_different_one():
    params = small()
    assert _without_time(model.run(params)) == _without_time(model.run(params))
    assert _without_time(model.run(params)) != _without_time(model.run(replace(params, seed=8)))


def test_the_result_does_not_depend_on_the_number_of_processes():
    params = small(replications=3)
    assert _without_time(model.run(params, workers=1)) == _without_time(model.run(params, workers=2))


def test_policies_share_the_same_arrivals():
    params = small(replications=1)
    arrivals = model.draw_arrivals(params, 0)
    runs = [model.simulate(params, p, arrivals) for p in model.default_policies()]
    assert len({tuple(c.arrival.id for c in r.children) for r in runs}) == 1


def test_every_arriving_child_is_matched_still_waiting_or_left_the_plan():
    params = small(replications=3)
    for replication in range(params.replications):
        arrivals = model.draw_arrivals(params, replication)
        for policy in model.default_policies():
            run = model.simulate(params, policy, arrivals)
            assert len(run.children) == len(arrivals.children) > 0
            for c in run.children:
                states = [c.matched_day is not None and c.matched_day <= run.horizon, c.left_day is not None]
                assert sum(states) <= 1
            state = run.state_at_end()
            assert state["matched"] + state["waiting"] + state["left_plan"] == state["arrived"]
            assert state["waiting"] >= 0


def test_with_no_households_no_one_is_matched():
    result = model.run(small(households=0.0))
    for p in result.policies:
        assert p.overall["matched"].mean == 0
        assert p.overall["mean_days"].mean is None
        assert p.overall["arrived"].mean > 0


def test_doubling_household_supply_never_increases_mean_waiting_time():
    params = small(replications=8, years=3.0, households=5.0)
    once, twice = model.run(params), model.run(params.scaled_households(2.0))
    for key in ("council_fcfs", "regional_fcfs", "regional_engine"):
        before = once.policy(key).overall["mean_days_waited"].mean
        after = twice.policy(key).overall["mean_days_waited"].mean
        assert after <= before, (key, before, after)
        assert twice.policy(key).overall["matched"].mean >= once.policy(key).overall["matched"].mean


def test_the_engine_policy_calls_the_products_dynamic_engine(monkeypatch):
    from openraa.matching.engine import dynamic

    calls = []
    real = dynamic.assign

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(dynamic, "assign", spy)
    model.run(small(replications=1), [model.default_policies()[2]])
    assert calls


def test_confidence_intervals_and_reductions_are_reported():
    result = model.run(small())
    engine_mean = result.policy("regional_engine").overall["mean_days"]
    assert engine_mean.low <= engine_mean.mean <= engine_mean.high
    document = report.as_dict(result)
    assert set(document["reduction_engine_vs_council_baseline"]) == {"all", "hard_to_place"}
    assert "regional engine against each council alone" in report.render(result)
    assert report.csv_text(result).startswith("policy,breakdown")
    assert all(chart.svg().startswith("<svg") for chart in report.charts(result))


# ---- with the record -------------------------------------------------------------------------


@pytest.fixture
def records(aim):
    for i in range(4):
        builders.child(aim, "Knowsley" if i % 2 else "Liverpool", placement_order_on=date(2023, 9, 1 + i))
    builders.child(
        aim,
        "Knowsley",
        needs={"autism": "medium"},
        ethnicity="BAFR",
        date_of_birth=date(2016, 1, 1),
        placement_order_on=date(2023, 10, 1),
    )
    for _ in range(3):
        builders.household(aim, capabilities={"autism": "high"})
    builders.household(aim, "Liverpool")
    return aim


def test_parameters_are_fitted_from_the_record(records):
    from openraa.simulation import fit

    params = fit.fit(records, date(2025, 3, 31))
    assert len(params.child_profiles) == 5 and len(params.household_profiles) == 4
    rates = {c.name: (c.children_per_year, c.households_per_year) for c in params.councils}
    assert rates["Knowsley"][0] > rates["Liverpool"][0] > 0
    assert rates["Knowsley"][1] > rates["Liverpool"][1] > 0
    assert any(p.ages == (7,) and "autism" in p.needs for p in params.child_profiles)


def test_openraa_simulate_prints_json(records, capsys):
    call_command("simulate", agency="aim", replications=2, years=1, workers=1, json=True)
    document = json.loads(capsys.readouterr().out)
    keys = [p["key"] for p in document["policies"]]
    assert keys[:3] == ["council_fcfs", "regional_fcfs", "regional_engine"]
    assert {"engine_escalation", "engine_interest_cap", "engine_recruitment"} <= set(keys)
    assert document["parameters"]["replications"] == 2


def test_board_members_run_the_simulation_page_and_download_csv(records, client_for):
    client = client_for(builders.user(Role.BOARD_MEMBER, records))
    page = client.get("/simulation/")
    assert page.status_code == 200
    assert b"Parameters and assumptions" in page.content and b"Run the simulation" in page.content
    form = page.context["form"]
    query = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    query.update({"run": "1", "replications": 2, "years": 1, "weight_needs": 40})
    page = client.get("/simulation/", query)
    assert page.status_code == 200, page.content
    text = page.content.decode()
    assert "Regional pool, OpenRAA matching engine" in text and "board trial" in text
    assert "<svg" in text and "Download the results (CSV)" in text
    download = client.get("/simulation/", {**query, "format": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    assert b"Each council alone" in download.content


def test_the_page_refuses_too_many_replications(records, client_for):
    client = client_for(builders.user(Role.BOARD_MEMBER, records))
    page = client.get("/simulation/", {"run": "1", "replications": 500})
    assert page.status_code == 200
    assert page.context["result"] is None and page.context["form"].errors


def test_bench_simulate_reports_each_policy_the_reductions_goals_and_calibration(db, capsys):
    call_command(
        "bench", "simulate", "--in-place", "--replications", "3", "--scenario-replications", "2",
        "--years", "1", "--workers", "1", "--json",
    )  # fmt: skip
    document = json.loads(capsys.readouterr().out)
    keys = {p["key"] for p in document["policies"]}
    assert {"council_fcfs", "regional_fcfs", "regional_engine", "engine_escalation", "engine_recruitment"} <= keys
    assert document["policies"][0]["overall"]["mean_days"]["replications"] == 3
    assert set(document["reduction_engine_vs_council_baseline"]) == {"all", "hard_to_place"}
    for baseline in ("reduction_vs_council_alone", "reduction_vs_regional_fcfs"):
        for measure in ("every_child_days_waited_pct", "hard_to_place_days_waited_pct"):
            figure = document[baseline][measure]
            assert figure["replications"] == 3
            assert figure["ci_low"] <= figure["mean"] <= figure["ci_high"]
    for group in model.FAIRNESS_GROUPS:
        assert "change_pct" in document["groups_engine_vs_regional_fcfs"][group]
    assert isinstance(document["goals"]["all_met"], bool)
    assert document["goals"]["within_60_seconds"]["total_seconds"] > 0
    calibration = document["calibration"]
    assert calibration["household_scale"] > 0 and calibration["national_days"] == {"all": 292, "age_5_plus": 508}
    assert calibration["regional_fcfs_days_waited"]["all"]["mean"] > 0
    assert {s["key"] for s in document["scenarios"]} >= {"engine_escalation", "engine_recruitment"}
    assert document["scenarios"][0]["days_waited"]["replications"] == 2


# ---- the dynamic engine, the scenarios and the calibration ---------------------------------------


def test_every_policy_and_scenario_sees_the_same_arrivals_of_the_agency():
    params = small(replications=1)
    arrivals = model.draw_arrivals(params, 0)
    neighbour = model.draw_arrivals(params, 0, model.NEIGHBOUR)
    recruits = model.draw_recruits(params, 0)
    assert recruits and all(h.profile.sibling_group_open for h in recruits)
    assert not {c.id for c in arrivals.children} & {c.id for c in neighbour.children}
    runs = [
        model.simulate(params, p, arrivals, neighbour=neighbour, recruits=recruits) for p in model.default_policies()
    ]
    assert len({tuple((c.arrival.id, c.arrival.day) for c in r.children) for r in runs}) == 1
    # Drawing again gives the same arrivals; another replication others.
    assert model.draw_arrivals(params, 0) == arrivals != model.draw_arrivals(params, 1)


def test_more_households_leave_the_childrens_arrivals_alone_and_add_households():
    params = small(replications=1)
    once, more = model.draw_arrivals(params, 0), model.draw_arrivals(params.scaled_households(1.5), 0)
    assert once.children == more.children
    assert len(more.households) > len(once.households)


def test_the_scenarios_count_only_the_agencys_own_children_and_leave_the_headline_alone():
    params = small(replications=2)
    result = model.run(params, scenario_replications=1)
    headline = result.policy("regional_engine").overall["arrived"]
    assert headline.n == 2
    for key in ("engine_escalation", "engine_interest_cap", "engine_recruitment"):
        assert result.policy(key).overall["arrived"].n == 1
        assert len(result.waited[key]["all"]) == 1
    arrivals = model.draw_arrivals(params, 0)
    run = model.simulate(
        params,
        model.default_policies()[3],
        arrivals,
        neighbour=model.draw_arrivals(params, 0, model.NEIGHBOUR),
    )
    assert {c.arrival.id for c in run.children} == {c.id for c in arrivals.children}


def test_an_interest_is_decided_the_same_way_for_every_policy():
    params = small()
    answers = {model.interest_succeeds(params, 0, f"U{i}", "H1") for i in range(40)}
    assert answers == {True, False}
    assert model.interest_succeeds(params, 3, "U1", "H2") == model.interest_succeeds(params, 3, "U1", "H2")


def test_the_fit_the_simulation_adds_up_is_the_engines_own_score():
    from openraa.matching import engine

    params = small(replications=1)
    arrivals = model.draw_arrivals(params, 0)
    weights, settings = engine.Weights(), engine.Settings()
    fit = model._Fit(arrivals.children, arrivals.households, weights, settings)
    today = 500
    units = [c for c in arrivals.children if c.day <= today]
    homes = [h for h in arrivals.households if h.day <= today]
    points, ok = fit.between(units, homes, today)
    pool = engine.HouseholdPool([model._household(h, today) for h in homes])
    encoded = engine.UnitArrays([model._unit(c, today) for c in units], pool, weights, settings)
    value, engine_ok = engine.value_matrix(encoded, pool, weights, settings)
    assert (ok == engine_ok).all() and ok.any()
    expected = np.where(engine_ok, value / encoded.priority[:, None] - weights.placement, 0.0)
    assert np.allclose(points, expected, atol=1e-3)


def test_more_households_shorten_first_come_first_served_waits_so_the_calibration_can_find_its_scale():
    params = small(replications=6, years=3.0, households=4.0)
    fcfs = [model.Policy("regional_fcfs", "Regional pool, first come first served", "regional_fcfs")]
    waits = [
        model.run(replace(params, household_scale=scale), fcfs).policy("regional_fcfs").overall["mean_days_waited"].mean
        for scale in (0.5, 1.0, 2.0)
    ]
    assert waits[0] > waits[1] > waits[2]
    target = (waits[1] + waits[2]) / 2
    found = model.calibrate(params, target_days=target, replications=6, low=0.5, high=2.0, steps=6)
    assert 1.0 < found.scale < 2.0
    # Each step moved the scale the right way: up when the wait was above the target, down when below.
    for (scale, wait), (after, _) in zip(found.steps, found.steps[1:]):
        assert (after > scale) == (wait > target)


def test_the_reduction_estimator_is_the_ratio_of_means_with_an_interval_around_it():
    est = model.Estimate.reduction_percent([100.0, 200.0, 300.0], [90.0, 170.0, 260.0])
    assert est.mean == pytest.approx(100 * (1 - 520 / 600))
    assert est.low <= est.mean <= est.high and est.n == 3
    assert model.Estimate.reduction_percent([100.0, None], [50.0, 60.0]).n == 1
