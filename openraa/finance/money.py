"""Money: Decimal pounds, one rounding rule, shares that add up. Pure Python, no Django.

The rule, stated once:
- Amounts are `decimal.Decimal` pounds. A float is refused wherever money enters (`money()`), so a
  binary fraction can never creep into a sum.
- Arithmetic on the way to an answer stays exact (Decimal for sums, `fractions.Fraction` for
  shares and averages). Nothing is rounded part-way.
- Rounding happens once, at the end, to the penny, half up (`ROUND_HALF_UP`: 0.005 -> 0.01).
- When one amount is split between several parties the split is made with the largest-remainder
  method (`apportion`): every share is rounded down to the penny, then the pennies left over go to
  the largest remainders. The shares therefore add up to the amount exactly, and none is more than
  a penny from its exact value.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import TypeVar

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
ROUNDING = ROUND_HALF_UP

K = TypeVar("K", bound=Hashable)
Exact = Decimal | Fraction | int


class MoneyError(ValueError):
    """A value that is not an amount of money."""


def money(value: object) -> Decimal:
    """An amount in pounds, as Decimal. Accepts Decimal, int and text ("1,234.50", "£12");
    refuses floats and anything with more than two decimal places (never silently rounded)."""
    if isinstance(value, (bool, float)):
        raise MoneyError(f"Money is never a float: got {value!r}")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("£", "").replace(" ", "")
        if text.startswith("(") and text.endswith(")"):  # accountants' negative
            text = "-" + text[1:-1]
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not an amount of money") from None
    else:
        raise MoneyError(f"{value!r} is not an amount of money")
    if not amount.is_finite():
        raise MoneyError(f"{value!r} is not an amount of money")
    if amount != amount.quantize(PENNY, rounding=ROUNDING):
        raise MoneyError(f"{value!r} has more than two decimal places: give pounds and pence")
    return amount.quantize(PENNY)


def to_penny(value: Exact) -> Decimal:
    """The one rounding: to the penny, half up. Call it once, on a final figure."""
    if isinstance(value, float):
        raise MoneyError(f"Money is never a float: got {value!r}")
    if isinstance(value, Fraction):
        pennies = value * 100
        whole, rest = divmod(abs(pennies.numerator), pennies.denominator)
        if 2 * rest >= pennies.denominator:
            whole += 1
        return (Decimal(whole if pennies >= 0 else -whole) / 100).quantize(PENNY)
    return Decimal(value).quantize(PENNY, rounding=ROUNDING)


def thousands(value: Exact) -> Decimal:
    """£000s as printed in a council paper -> pounds (399.9 -> 399,900.00)."""
    return to_penny(Decimal(value) * 1000 if not isinstance(value, Fraction) else value * 1000)


def exact(value: Exact) -> Fraction:
    if isinstance(value, float):
        raise MoneyError(f"Money is never a float: got {value!r}")
    return Fraction(value)


def apportion(total: Decimal, weights: Mapping[K, Exact]) -> dict[K, Decimal]:
    """Split `total` (whole pennies) in proportion to `weights`, by largest remainder.

    The shares add up to `total` exactly. Ties for the last pennies go to the party named first in
    `weights` (callers pass an ordered mapping, so the result is deterministic). Negative totals
    (an underspend handed back) are split the same way. Weights must be zero or more and not all
    zero.
    """
    if isinstance(total, float):
        raise MoneyError("Money is never a float")
    if Decimal(total) != Decimal(total).quantize(PENNY):
        raise MoneyError(f"{total} is not a whole number of pennies")
    keys = list(weights)
    exact_weights = [exact(weights[k]) for k in keys]
    if any(w < 0 for w in exact_weights):
        raise MoneyError("A share cannot be negative")
    whole = sum(exact_weights, Fraction(0))
    if not keys:
        if total != 0:
            raise MoneyError("Nobody to share the amount between")
        return {}
    if whole == 0:
        raise MoneyError("Nothing to share the amount by: every weight is zero")
    sign = -1 if total < 0 else 1
    pennies = int(abs(Decimal(total)) * 100)
    exact_shares = [pennies * w / whole for w in exact_weights]
    floors = [s.numerator // s.denominator for s in exact_shares]
    left = pennies - sum(floors)
    order = sorted(range(len(keys)), key=lambda i: (-(exact_shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return {k: (Decimal(sign * p) / 100).quantize(PENNY) for k, p in zip(keys, floors, strict=True)}


def pounds(value: Decimal | None, *, sign: bool = False) -> str:
    """£1,234.50; a minus sign for negative amounts; '+' too when `sign` is set."""
    if value is None:
        return ""
    amount = to_penny(value) if not isinstance(value, Decimal) else value.quantize(PENNY)
    text = f"£{abs(amount):,.2f}"
    if amount < 0:
        return "-" + text
    return ("+" + text) if sign and amount > 0 else text


def percent(value: Exact, places: int = 1) -> str:
    number = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
    return f"{(number * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)}%"
