"""The board's simulation page: parameters fitted from the agency's records (aggregates only: rates
and assumptions, never a child), editable, and the policies compared with 95% confidence
intervals, broken down by hard-to-place group and council, with charts and a CSV download.
Readable with the `aggregates` grant, so board members may use it."""

from __future__ import annotations

from dataclasses import fields, replace

from django.utils import timezone
from django.views.generic import TemplateView

from openraa.common import downloads
from openraa.matching import engine
from openraa.simulation import fit, model, report
from openraa.simulation.forms import WEIGHT_FIELDS, SimulationForm
from openraa.web.views import PolicyView


def _cell(e: model.Estimate, digits: int = 0) -> dict:
    def f(v):
        return None if v is None else f"{v:,.{digits}f}"

    return {"mean": f(e.mean), "low": f(e.low), "high": f(e.high)}


class SimulationView(PolicyView, TemplateView):
    permission = ("aggregates", "view")
    template_name = "simulation/board.html"

    def get(self, request, *args, **kwargs):
        agency = request.user.agency
        fitted = fit.fit(agency, timezone.localdate())
        running = "run" in request.GET or request.GET.get("format") == "csv"
        form = SimulationForm(request.GET if running else None, councils=fitted.councils)
        result = None
        if running and form.is_valid() and fitted.child_profiles and fitted.household_profiles:
            params, policies = self.parameters(fitted, form.cleaned_data)
            result = model.run(params, policies, workers=1)
            if request.GET.get("format") == "csv":
                return downloads.csv_response(
                    f"simulation-{agency.code}.csv", report.CSV_HEADER, report.csv_rows(result)
                )
        context = self.get_context_data(
            form=form, fitted=fitted, result=result, agency=agency, query=request.GET.urlencode()
        )
        if result is not None:
            context.update(self.present(result))
        return self.render_to_response(context)

    @staticmethod
    def parameters(fitted: model.Parameters, data: dict) -> tuple[model.Parameters, list[model.Policy]]:
        councils = tuple(
            replace(c, children_per_year=data[f"children_{c.code}"], households_per_year=data[f"households_{c.code}"])
            for c in fitted.councils
        )
        assumptions = model.Assumptions(**{f.name: data[f.name] for f in fields(model.Assumptions)})
        params = replace(
            fitted,
            councils=councils,
            assumptions=assumptions,
            years=data["years"],
            replications=data["replications"],
            seed=data["seed"],
        )
        defaults = engine.Weights()
        trial = {name: data[f"weight_{name}"] for name in WEIGHT_FIELDS if data.get(f"weight_{name}") is not None}
        extra = {}
        if any(trial[name] != getattr(defaults, name) for name in trial):
            extra["board trial"] = replace(defaults, **trial)
        # The scenarios are left to `openraa bench simulate`: they would take the page past 20 s.
        return params, model.default_policies(extra, scenarios=False)

    @staticmethod
    def present(result: model.Result) -> dict:
        names = {c.code: c.name for c in result.params.councils}
        rows = []
        for p in result.policies:
            rows.append(
                {
                    "label": p.policy.label,
                    "cells": [
                        _cell(p.overall["mean_days"]),
                        _cell(p.overall["median_days"]),
                        _cell(p.overall["mean_days_waited"]),
                        _cell(p.overall["share_within_121"]),
                        _cell(p.overall["matched"], 1),
                        _cell(p.overall["plan_changed"], 1),
                        _cell(p.overall["waiting_at_end"], 1),
                        _cell(p.households_waiting_end, 1),
                    ],
                }
            )
        groups = [
            {
                "label": model.GROUP_LABELS[g],
                "cells": [
                    [
                        _cell(p.by_group[g][m], 0 if m != "plan_changed" else 1)
                        for m in ("mean_days", "share_within_121", "plan_changed")
                    ]
                    for p in result.policies
                ],
            }
            for g in model.GROUPS
        ]
        councils = [
            {
                "label": names[k],
                "cells": [
                    [
                        _cell(p.by_council[k][m], 0 if m != "plan_changed" else 1)
                        for m in ("mean_days", "share_within_121", "plan_changed")
                    ]
                    for p in result.policies
                ],
            }
            for k in names
        ]
        red = report.reductions(result)
        return {
            "rows": rows,
            "groups": groups,
            "councils": councils,
            "reduction": red,
            "charts": report.charts(result),
            "policy_labels": [p.policy.label for p in result.policies],
        }
