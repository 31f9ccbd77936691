"""A simulation result as plain data (the JSON of `openraa simulate` and `openraa bench simulate`),
as text, as CSV and as the board page's charts. Pure Python."""

from __future__ import annotations

from dataclasses import asdict

from openraa.common.downloads import csv_text as write
from openraa.performance.charts import Chart, Series, Value
from openraa.simulation.model import (
    FAIRNESS_GROUPS,
    FAIRNESS_LABELS,
    GROUP_LABELS,
    GROUPS,
    MEASURE_LABELS,
    MEASURES,
    NATIONAL_WAIT_5_PLUS_DAYS,
    NATIONAL_WAIT_DAYS,
    WAIT_BANDS,
    Estimate,
    Parameters,
    Result,
)

BASELINE = "council_fcfs"
REGIONAL_FCFS = "regional_fcfs"
ENGINE = "regional_engine"
# The goals of the issue: the engine's mean days waited by every child at least this many per cent
# below each baseline, more for the hard-to-place, and no group more than FAIRNESS_PERCENT worse off
# than under regional first come, first served.
GOAL_PERCENT = {BASELINE: 25.0, REGIONAL_FCFS: 10.0}
FAIRNESS_PERCENT = 5.0


def _fmt(e: Estimate, digits: int = 0) -> str:
    if e.mean is None:
        return "none"
    if e.low is None:
        return f"{e.mean:.{digits}f}"
    return f"{e.mean:.{digits}f} ({e.low:.{digits}f} to {e.high:.{digits}f})"


def parameters_dict(p: Parameters) -> dict:
    return {
        "source": p.source,
        "years": p.years,
        "replications": p.replications,
        "seed": p.seed,
        "councils": [asdict(c) for c in p.councils],
        "assumptions": asdict(p.assumptions),
        "child_profiles": len(p.child_profiles),
        "household_profiles": len(p.household_profiles),
    }


def reductions(result: Result, key: str = ENGINE, baseline: str = BASELINE) -> dict:
    """Days (and per cent of the baseline's mean) by which `key` shortens the mean wait."""
    out = {}
    base = result.policy(baseline)
    for group in ("all", "hard_to_place"):
        days = result.reduction(key, baseline, group)
        base_mean = base.by_group[group]["mean_days"].mean
        out[group] = {
            **days.as_dict(),
            "percent": None if days.mean is None or not base_mean else round(100 * days.mean / base_mean, 1),
        }
    return out


def _pct(e: Estimate) -> dict:
    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 2)

    return {"mean": r(e.mean), "ci_low": r(e.low), "ci_high": r(e.high), "replications": e.n}


def waited_reductions(result: Result, key: str = ENGINE, baseline: str = BASELINE) -> dict:
    """Per cent reductions of the mean days waited by every child, and by hard-to-place children."""
    return {
        "every_child_days_waited_pct": _pct(result.waited_reduction(key, baseline, "all")),
        "hard_to_place_days_waited_pct": _pct(result.waited_reduction(key, baseline, "hard_to_place")),
    }


def group_changes(result: Result, key: str = ENGINE, baseline: str = REGIONAL_FCFS) -> dict:
    """Each group's change in mean days waited, in per cent of the baseline's (positive: worse off)."""
    out = {}
    for g in FAIRNESS_GROUPS:
        change = result.waited_reduction(key, baseline, g)
        flipped = Estimate(
            None if change.mean is None else -change.mean,
            None if change.high is None else -change.high,
            None if change.low is None else -change.low,
            change.n,
        )
        base = [v for v in result.waited[baseline][g] if v is not None]
        mine = [v for v in result.waited[key][g] if v is not None]
        out[g] = {
            "label": FAIRNESS_LABELS[g],
            "change_pct": _pct(flipped),
            "baseline_days": round(sum(base) / len(base), 1) if base else None,
            "policy_days": round(sum(mine) / len(mine), 1) if mine else None,
        }
    return out


def goals(result: Result) -> dict:
    """Whether each goal is met, judged on the point estimate (the interval is beside it)."""
    out: dict = {}
    every = {}
    for baseline, target in GOAL_PERCENT.items():
        red = waited_reductions(result, ENGINE, baseline)
        every[baseline] = red
        name = "council_alone" if baseline == BASELINE else "regional_fcfs"
        figure = red["every_child_days_waited_pct"]
        out[f"every_child_{target:g}pct_below_{name}"] = {
            "met": figure["mean"] is not None and figure["mean"] >= target,
            "target_pct": target,
            **figure,
        }
        hard = red["hard_to_place_days_waited_pct"]
        out[f"hard_to_place_more_than_every_child_vs_{name}"] = {
            "met": hard["mean"] is not None and figure["mean"] is not None and hard["mean"] > figure["mean"],
            "hard_to_place_pct": hard["mean"],
            "every_child_pct": figure["mean"],
        }
    changes = group_changes(result)
    worst_group = max(
        (g for g in changes if changes[g]["change_pct"]["mean"] is not None),
        key=lambda g: changes[g]["change_pct"]["mean"],
        default=None,
    )
    worst = changes[worst_group]["change_pct"]["mean"] if worst_group else None
    out["no_group_more_than_5pct_worse_than_regional_fcfs"] = {
        "met": worst is not None and worst <= FAIRNESS_PERCENT,
        "worst_group": worst_group,
        "worst_change_pct": worst,
    }
    out["all_met"] = all(v["met"] for v in out.values())
    return out


def calibration_dict(result: Result) -> dict | None:
    c = result.calibration
    fcfs = result.policy(REGIONAL_FCFS) if any(p.policy.key == REGIONAL_FCFS for p in result.policies) else None
    if fcfs is None:
        return None
    p = result.params
    fitted = sum(x.households_per_year for x in p.councils)
    return {
        "parameter": "household arrival scale: households approved a year, as a multiple of the fitted rates, "
        "the same for every policy",
        "household_scale": p.household_scale,
        "households_per_year_fitted": round(fitted, 2),
        "households_per_year_calibrated": round(fitted * p.household_scale, 2),
        "children_per_year": round(sum(x.children_per_year for x in p.councils), 2),
        "national_days": {"all": NATIONAL_WAIT_DAYS, "age_5_plus": NATIONAL_WAIT_5_PLUS_DAYS},
        "regional_fcfs_days_waited": {
            "all": fcfs.by_group["all"]["mean_days_waited"].as_dict(),
            "age_5_plus": fcfs.by_group["age_5_plus"]["mean_days_waited"].as_dict(),
        },
        "council_fcfs_days_waited": {
            "all": result.policy(BASELINE).by_group["all"]["mean_days_waited"].as_dict(),
            "age_5_plus": result.policy(BASELINE).by_group["age_5_plus"]["mean_days_waited"].as_dict(),
        }
        if any(x.policy.key == BASELINE for x in result.policies)
        else None,
        "bisection": None
        if c is None
        else {
            "target_days": c.target_days,
            "scale": c.scale,
            "replications": c.replications,
            "steps": [{"scale": a, "regional_fcfs_days_waited": b} for a, b in c.steps],
        },
    }


def scenarios(result: Result) -> list[dict]:
    """The what-if scenarios beside the headline engine policy, each against regional first come,
    first served and against the engine without the scenario."""
    return [
        {
            "key": x.policy.key,
            "label": x.policy.label,
            "days_waited": x.overall["mean_days_waited"].as_dict(),
            "hard_to_place_days_waited": x.by_group["hard_to_place"]["mean_days_waited"].as_dict(),
            "reduction_vs_regional_fcfs": waited_reductions(result, x.policy.key, REGIONAL_FCFS),
            "reduction_vs_regional_engine": waited_reductions(result, x.policy.key, ENGINE),
        }
        for x in result.policies
        if x.policy.scenario
    ]


def as_dict(result: Result) -> dict:
    councils = {c.code: c.name for c in result.params.councils}
    return {
        "parameters": parameters_dict(result.params),
        "seconds": round(result.seconds, 2),
        "policies": [
            {
                "key": p.policy.key,
                "label": p.policy.label,
                "overall": {m: p.overall[m].as_dict() for m in MEASURES},
                "households_waiting_at_end": p.households_waiting_end.as_dict(),
                "households_withdrawn": p.households_withdrawn.as_dict(),
                "by_group": {g: {m: p.by_group[g][m].as_dict() for m in MEASURES} for g in GROUPS},
                "by_council": {councils[k]: {m: v.as_dict() for m, v in by.items()} for k, by in p.by_council.items()},
                "wait_distribution_percent": {band[2]: round(x, 1) for band, x in zip(WAIT_BANDS, p.wait_distribution)},
                "engine_calls": p.engine_calls,
            }
            for p in result.policies
        ],
        "reduction_engine_vs_council_baseline": reductions(result),
        "reduction_vs_council_alone": waited_reductions(result, ENGINE, BASELINE),
        "reduction_vs_regional_fcfs": waited_reductions(result, ENGINE, REGIONAL_FCFS),
        "groups_engine_vs_regional_fcfs": group_changes(result),
        "goals": goals(result),
        "calibration": calibration_dict(result),
        "scenarios": scenarios(result),
        "reduction_method": "per cent of the baseline's mean days waited, paired by replication: "
        "100 (1 - mean over replications of the policy / of the baseline), 95% interval by the delta "
        "method with Student t",
    }


def render(result: Result) -> str:
    p = result.params
    lines = [
        f"Simulation over {p.years:g} years, {p.replications} replications, seed {p.seed}; {p.source}.",
        "Mean days from placement order to match (A2), with 95% confidence intervals over replications:",
        "",
    ]
    width = max(len(x.policy.label) for x in result.policies)
    for x in result.policies:
        lines.append(
            f"  {x.policy.label:<{width}}  {_fmt(x.overall['mean_days'])}   "
            f"hard to place {_fmt(x.by_group['hard_to_place']['mean_days'])}   "
            f"waited (every child) {_fmt(x.overall['mean_days_waited'])}   "
            f"within 121 days {_fmt(x.overall['share_within_121'])}%   "
            f"plan changed {_fmt(x.overall['plan_changed'], 1)}   matched {_fmt(x.overall['matched'], 1)}"
        )
    red = reductions(result)
    lines.append("")
    for group, label in (("all", "overall"), ("hard_to_place", "hard-to-place children")):
        r = red[group]
        if r["mean"] is None:
            lines.append(f"Reduction, regional engine against each council alone, {label}: not measurable")
            continue
        ci = f" (95% CI {r['low']:.1f} to {r['high']:.1f})" if r["low"] is not None else ""
        lines.append(
            f"Reduction, regional engine against each council alone, {label}: {r['mean']:.1f} days{ci}, "
            f"{r['percent']}% of the baseline's mean"
        )
    lines.append("")
    lines.append("Mean days waited by every child (to match, plan change or the end), per cent reduction, 95% CI:")
    for baseline, name in ((BASELINE, "each council alone"), (REGIONAL_FCFS, "regional first come, first served")):
        red = waited_reductions(result, ENGINE, baseline)
        lines.append(
            f"  Engine against {name}: every child {_pct_text(red['every_child_days_waited_pct'])}, "
            f"hard to place {_pct_text(red['hard_to_place_days_waited_pct'])}"
        )
    lines.append("Each group's change, engine against regional first come, first served (+ is worse off):")
    for c in group_changes(result).values():
        lines.append(f"  {c['label']}: {c['baseline_days']} -> {c['policy_days']} days, {_pct_text(c['change_pct'])}")
    cal = calibration_dict(result)
    if cal:
        fcfs = cal["regional_fcfs_days_waited"]
        lines.append(
            f"Calibration: households a year x {cal['household_scale']} ({cal['households_per_year_fitted']} fitted, "
            f"{cal['households_per_year_calibrated']} simulated; {cal['children_per_year']} children or groups a year): "
            f"regional first come, first served waits {fcfs['all']['mean']} days (all), "
            f"{fcfs['age_5_plus']['mean']} (aged 5+), against the national {NATIONAL_WAIT_DAYS} and {NATIONAL_WAIT_5_PLUS_DAYS}"
        )
    for sc in scenarios(result):
        lines.append(
            f"Scenario: {sc['label']}: {_fmt(Estimate(sc['days_waited']['mean'], sc['days_waited']['low'], sc['days_waited']['high'], 0))} days waited; "
            f"against regional FCFS {_pct_text(sc['reduction_vs_regional_fcfs']['every_child_days_waited_pct'])}, "
            f"against the engine alone {_pct_text(sc['reduction_vs_regional_engine']['every_child_days_waited_pct'])}"
        )
    g = goals(result)
    lines.append(
        "Goals: " + "; ".join(f"{k} {'met' if v['met'] else 'NOT met'}" for k, v in g.items() if k != "all_met")
    )
    lines.append(f"Run time: {result.seconds:.1f} s")
    return "\n".join(lines)


def _pct_text(e: dict) -> str:
    if e["mean"] is None:
        return "not measurable"
    ci = f" ({e['ci_low']:.1f} to {e['ci_high']:.1f})" if e["ci_low"] is not None else ""
    return f"{e['mean']:.1f}%{ci}"


CSV_HEADER = ("policy", "breakdown", "value", "measure", "mean", "ci_low", "ci_high", "replications")


def csv_rows(result: Result) -> list[list]:
    """One row per policy, breakdown (overall, group, council) and measure."""
    out = []
    names = {c.code: c.name for c in result.params.councils}
    for x in result.policies:
        rows = [("group", GROUP_LABELS[g], x.by_group[g]) for g in GROUPS]
        rows += [("council", names[k], by) for k, by in x.by_council.items()]
        for kind, value, by in rows:
            for m in MEASURES:
                e = by[m]
                out.append(
                    [
                        x.policy.label,
                        kind,
                        value,
                        MEASURE_LABELS[m],
                        *("" if v is None else round(v, 2) for v in (e.mean, e.low, e.high)),
                        e.n,
                    ]
                )
        for kind, e in (
            ("Households waiting at the end", x.households_waiting_end),
            ("Households withdrawn", x.households_withdrawn),
        ):
            out.append(
                [
                    x.policy.label,
                    "households",
                    "",
                    kind,
                    *("" if v is None else round(v, 2) for v in (e.mean, e.low, e.high)),
                    e.n,
                ]
            )
        for band, share in zip(WAIT_BANDS, x.wait_distribution):
            out.append(
                [
                    x.policy.label,
                    "wait distribution",
                    band[2],
                    "Share of matched children (%)",
                    round(share, 2),
                    "",
                    "",
                    "",
                ]
            )
    return out


def csv_text(result: Result) -> str:
    """The rows as CSV, written like every download (common/downloads.py: formula text made inert)."""
    return write(CSV_HEADER, csv_rows(result))


def charts(result: Result) -> list[Chart]:
    short = [
        x.policy.label.split(",")[0] if x.policy.key == BASELINE else x.policy.label.replace("Regional pool, ", "")
        for x in result.policies
    ]
    distribution = Chart(
        "sim-waits",
        "Days from placement order to match: share of matched children",
        [b[2] for b in WAIT_BANDS],
        [
            Series(name, [Value(round(v, 1), f"{v:.0f}%") for v in x.wait_distribution])
            for name, x in zip(short, result.policies)
        ],
        "% of matched children",
    )
    horizon = result.params.horizon_days
    marks = list(range(0, horizon + 1, 182))[1:]

    def at(trajectory, day, i):
        return min(trajectory, key=lambda t: abs(t[0] - day))[i]

    labels = [f"{d / 365:g} y" if d % 365 == 0 else f"{d / 365:.1f} y" for d in marks]
    children = Chart(
        "sim-children-waiting",
        "Children waiting (or linked, awaiting a match), mean over replications",
        labels,
        [
            Series(name, [Value(round(at(x.trajectory, d, 1), 1), f"{at(x.trajectory, d, 1):.0f}") for d in marks])
            for name, x in zip(short, result.policies)
        ],
        "children waiting",
    )
    households = Chart(
        "sim-households-waiting",
        "Approved households waiting, mean over replications",
        labels,
        [
            Series(name, [Value(round(at(x.trajectory, d, 2), 1), f"{at(x.trajectory, d, 2):.0f}") for d in marks])
            for name, x in zip(short, result.policies)
        ],
        "households waiting",
    )
    return [distribution, children, households]
