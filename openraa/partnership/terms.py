"""Dated terms: who holds a post on a given day (the host council, the commissioning council, the
Head of Service) and what recording a change from a date does to the terms already there. Pure Python.

A term runs from its first day to its last (`ends_on`, None while it lasts). Terms of one post never
overlap, so each day has at most one holder. A change from a day ends the term running then on the
day before and starts the new one, so every past day still shows who held the post then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Term:
    holder: object  # a council's or a person's id
    starts_on: date
    ends_on: date | None = None  # the last day; None while it lasts

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def holder_on(terms: Iterable[Term], day: date) -> object | None:
    """Who holds the post on the day, or None (no term covers it)."""
    return next((term.holder for term in terms if term.covers(day)), None)


@dataclass(frozen=True)
class Change:
    ended: Term | None  # the term that now ends the day before, as it was
    ends_on: date | None  # its new last day
    starts: Term | None  # the new term; None when the post is left empty from the day


def change_from(terms: Sequence[Term], holder: object | None, day: date, post: str) -> tuple[Change | None, list[str]]:
    """(the change, []) or (None, why it is refused). `holder` None leaves the post empty from the
    day. Changes are recorded in date order: one from before the latest term's start would rewrite
    history that later terms rest on, so it is refused."""
    latest = max(terms, key=lambda term: term.starts_on, default=None)
    if latest is not None and day <= latest.starts_on:
        return None, [
            f"A change of {post} is already recorded from {latest.starts_on:%d/%m/%Y}: "
            "give a later date (changes are recorded in date order)"
        ]
    running = next((term for term in terms if term.covers(day)), None)
    if running is not None and running.holder == holder:
        return None, [f"That is already the {post} on {day:%d/%m/%Y}"]
    if running is None and holder is None:
        return None, [f"There is no {post} on {day:%d/%m/%Y} to end"]
    return Change(
        ended=running,
        ends_on=day - timedelta(days=1) if running else None,
        starts=Term(holder, day) if holder is not None else None,
    ), []
