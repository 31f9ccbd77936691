"""The board page's parameters: fitted rates per council and the stated assumptions, all editable."""

from dataclasses import fields

from django import forms

from openraa.matching import engine
from openraa.simulation.model import Assumptions

PAGE_MAX_REPLICATIONS = 20  # keeps a page run within about 20 s; `openraa simulate` runs more
PAGE_DEFAULT_REPLICATIONS = 10
ASSUMPTION_LABELS = {
    "link_to_match_days": "Days from link to match decision",
    "disruption_probability": "Probability a placement disrupts (0 to 1)",
    "disruption_after_days": "Days after the match decision a disruption happens",
    "plan_change_after_days": "Days waiting after which the plan may change away from adoption",
    "plan_change_per_year": "Chance per year of a plan change beyond that wait (hazard)",
    "household_withdraw_per_year": "Chance per year an approved household withdraws while waiting (hazard)",
    "step_days": "Simulation step in days (every policy is tried at each step something arrives or changes)",
    "escalate_after_days": "Escalation scenario: days waiting before a child is offered to a neighbouring agency",
    "interest_cap": "Interest-cap scenario: open interests a household may hold at once",
    "interest_days": "Interest-cap scenario: days to explore an interest before a link, or not",
    "interest_success": "Interest-cap scenario: chance an explored interest leads to a link (0 to 1)",
    "recruit_per_year": "Recruitment scenario: more approved households a year open to sibling groups",
}
WEIGHT_FIELDS = [f.name for f in fields(engine.Weights)]


class SimulationForm(forms.Form):
    years = forms.FloatField(label="Years simulated", min_value=0.5, max_value=10, initial=5)
    replications = forms.IntegerField(
        label=f"Replications (at most {PAGE_MAX_REPLICATIONS} on this page)",
        min_value=2,
        max_value=PAGE_MAX_REPLICATIONS,
        initial=PAGE_DEFAULT_REPLICATIONS,
    )
    seed = forms.IntegerField(label="Random seed", min_value=0, initial=2016)

    def __init__(self, *args, councils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.councils = list(councils)
        for council in self.councils:
            self.fields[f"children_{council.code}"] = forms.FloatField(
                label=f"{council.name}: children or sibling groups with a placement order a year",
                min_value=0,
                max_value=500,
                initial=council.children_per_year,
            )
            self.fields[f"households_{council.code}"] = forms.FloatField(
                label=f"{council.name}: households approved a year",
                min_value=0,
                max_value=500,
                initial=council.households_per_year,
            )
        defaults = Assumptions()
        for f in fields(Assumptions):
            value = getattr(defaults, f.name)
            kind = forms.FloatField if isinstance(value, float) else forms.IntegerField
            limits = (
                {"min_value": 0, "max_value": 1}
                if f.name in ("disruption_probability", "interest_success")
                else {"min_value": 0}
            )
            if f.name in ("step_days", "interest_cap"):
                limits = {"min_value": 1, "max_value": 365}
            self.fields[f.name] = kind(label=ASSUMPTION_LABELS[f.name], initial=value, **limits)
        weights = engine.Weights()
        for name in WEIGHT_FIELDS:
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=f"Trial weights: {name.replace('_', ' ')}",
                min_value=0,
                max_value=1000,
                initial=getattr(weights, name),
                required=False,
            )
