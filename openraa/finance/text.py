"""Amounts for the finance commands' plain-text tables, as 1,234.50."""

from decimal import Decimal


def amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"
