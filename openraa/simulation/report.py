"""A simulation result as plain data (the JSON of `openraa simulate` and `openraa bench simulate`),
as text, as CSV and as the board page's charts. Pure Python."""

from __future__ import annotations

from dataclasses import asdict

from openraa.common.downloads import csv_text as write
from openraa.performance.charts import Chart, Series, Value
from openraa.simulation.model import (
    GROUP_LABELS,
    GROUPS,
    MEASURE_LABELS,
    MEASURES,
    WAIT_BANDS,
    Estimate,
    Parameters,
    Result,
)

BASELINE = "council_fcfs"
ENGINE = "regional_engine"


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
    lines.append(f"Run time: {result.seconds:.1f} s")
    return "\n".join(lines)


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
