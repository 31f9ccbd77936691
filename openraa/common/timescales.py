"""A statutory timescale: when it started, when it is due, and whether it was met. Pure Python.

Every journey (children, households, support, permanence, governance) measures its deadlines with
these; each area computes its own timescales from its milestones."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"
    MET = "met"
    MISSED = "missed"  # done, but after it was due

    @property
    def label(self) -> str:
        return {
            "overdue": "Overdue",
            "due_soon": "Due soon",
            "on_track": "On track",
            "met": "Met",
            "missed": "Met late",
        }[self.value]


@dataclass(frozen=True)
class Timescale:
    code: str
    label: str
    started_on: date
    due_on: date
    done_on: date | None = None

    def status(self, today: date, due_soon_days: int = 14) -> Status:
        if self.done_on is not None:
            return Status.MET if self.done_on <= self.due_on else Status.MISSED
        if today > self.due_on:
            return Status.OVERDUE
        return Status.DUE_SOON if (self.due_on - today).days <= due_soon_days else Status.ON_TRACK

    def days_over(self, today: date) -> int:
        """Days past the due date (negative while still in time)."""
        return ((self.done_on or today) - self.due_on).days
