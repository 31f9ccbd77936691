"""Interagency fees and go-live compensation. Pure Python, no Django.

Fee tables are data, never constants here: each rate is a row with the provider kind, the number of
children placed together, the amount, the dates it is in force and any London weighting (the rows
ship as fixtures/fee_rates.json and more can be added on the fees page). A placement's fee is the
rate in force on the day the child moved in (the placement date), for the provider's kind and the
number of children placed together; an agency's own rate overrides the national one from the same
date. Fees are charged in full at the point of placement and are paid by the child's responsible
council.

No fee is charged between partner councils for adopters the agency approved; adopters a partner
council approved before go-live are covered by go-live compensation instead.

Go-live compensation. At go-live each council brings approved adopters who are waiting and
children waiting for a placement. A council is paid for the households it brought beyond its
waiting children's share of all the households brought, and pays for the shortfall:

    compensation = rate x (households brought - children brought x all households / all children)

The amounts add up to nothing (what one council receives the others pay); they are rounded once,
by largest remainder, so that they still add up to nothing to the penny.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Generic, TypeVar

from openraa.finance.money import ZERO, apportion, pounds, to_penny

K = TypeVar("K", bound=Hashable)

AGENCY = "agency"
PARTNER_BEFORE_GO_LIVE = "partner_go_live"
COUNCIL_OR_AGENCY = "council_or_agency"
VOLUNTARY = "voluntary"
PROVIDER_KINDS = {
    COUNCIL_OR_AGENCY: "Another council or regional adoption agency (outside the partnership)",
    VOLUNTARY: "A voluntary adoption agency",
    AGENCY: "Adopters approved by this agency (no fee between partners)",
    PARTNER_BEFORE_GO_LIVE: "Adopters a partner council approved before go-live (covered by go-live compensation)",
}
CHARGEABLE = (COUNCIL_OR_AGENCY, VOLUNTARY)
RATE_KINDS = {COUNCIL_OR_AGENCY: "Council or regional adoption agency", VOLUNTARY: "Voluntary adoption agency"}


class NoRate(ValueError):
    """No fee rate in force for the placement: the fee table needs a row."""


@dataclass(frozen=True)
class Rate:
    kind: str
    children: int
    amount: Decimal
    effective_from: date
    effective_to: date | None = None
    london_weighting: Decimal = ZERO  # a fraction: 0.10 for +10%
    payable: str = "In full at the point of placement"
    source: str = ""
    agency_specific: bool = False
    key: Hashable = None

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Placement:
    provider_kind: str
    placed_on: date
    children: int = 1
    provider_in_london: bool = False


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    rate: Rate | None
    explanation: str
    due_on: date | None = None


def fee_for(placement: Placement, rates: Iterable[Rate]) -> Fee:
    kind = placement.provider_kind
    if kind == AGENCY:
        return Fee(ZERO, None, "No fee: adopters approved by the agency, placed within the partnership")
    if kind == PARTNER_BEFORE_GO_LIVE:
        return Fee(ZERO, None, "No fee: adopters a partner council approved before go-live (go-live compensation)")
    if kind not in CHARGEABLE:
        raise ValueError(f"Unknown provider kind {kind!r}")
    if placement.children < 1:
        raise ValueError("At least one child is placed")
    in_force = [
        r for r in rates if r.kind == kind and r.children == placement.children and r.in_force(placement.placed_on)
    ]
    if not in_force:
        group = "one child" if placement.children == 1 else f"{placement.children} brothers and sisters placed together"
        raise NoRate(
            f"No {RATE_KINDS[kind].lower()} fee for {group} is in force on "
            f"{placement.placed_on:%d/%m/%Y}: add the rate to the fee table"
        )
    rate = max(in_force, key=lambda r: (r.effective_from, r.agency_specific))
    amount = rate.amount
    explanation = f"{RATE_KINDS[kind]} rate from {rate.effective_from:%d/%m/%Y}: {pounds(rate.amount)}"
    if placement.provider_in_london and rate.london_weighting:
        amount = to_penny(rate.amount * (1 + rate.london_weighting))
        explanation += f", plus London weighting of {rate.london_weighting * 100:.0f}%: {pounds(amount)}"
    return Fee(amount, rate, explanation, placement.placed_on)


@dataclass(frozen=True)
class Compensation(Generic[K]):
    amounts: Mapping[K, Decimal]  # positive: the council is paid; negative: it pays
    note: str = ""


def go_live_compensation(rate: Decimal, brought: Mapping[K, tuple[int, int]]) -> Compensation[K]:
    """`brought`: council -> (approved households waiting, children waiting) at go-live."""
    if rate < 0:
        raise ValueError("The rate cannot be negative")
    households = sum(h for h, _ in brought.values())
    children = sum(c for _, c in brought.values())
    if not households or not children or rate == 0:
        return Compensation(
            dict.fromkeys(brought, ZERO), "Nothing to compensate: no households or no children were brought in"
        )
    exact = {k: Fraction(rate) * (h - Fraction(c * households, children)) for k, (h, c) in brought.items()}
    receivers = {k: v for k, v in exact.items() if v > 0}
    payers = {k: -v for k, v in exact.items() if v < 0}
    amounts = dict.fromkeys(brought, ZERO)
    if receivers:
        total = to_penny(sum(receivers.values(), Fraction(0)))
        amounts.update(apportion(total, receivers))
        amounts.update({k: -v for k, v in apportion(total, payers).items()})
    return Compensation(amounts)
