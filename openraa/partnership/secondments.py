"""Whether staff may be seconded, from the partnership agreement's staffing model, never from a
stored host alone. Pure Python.

Kent's 2020 paper moved Bexley, Kent and Medway "away from a hosted model" to a partnership with
"No TUPE or secondment of staff"; Adoption in Merseyside's 2018 paper seconds "all current
employees ... from their current employer into Knowsley" (the host); North Midlands keeps staff with
their councils but "where appropriate" explores "opportunities for secondments". So a secondment is
recorded (and shown) only where the agency's model has them, and in a hosted model only into the
host from another council.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class StaffArrangement(StrEnum):
    INTO_HOST = "into_host"
    NONE = "none"
    WHERE_AGREED = "where_agreed"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    StaffArrangement.INTO_HOST: "Staff of the other councils are seconded into the host council",
    StaffArrangement.NONE: "Staff stay employed by their own council: no TUPE or secondment",
    StaffArrangement.WHERE_AGREED: "Staff stay employed by their own council; secondments only where agreed",
}
CHOICES = [(arrangement.value, label) for arrangement, label in LABELS.items()]


def arrangement(governance_model: str, recorded: str) -> StaffArrangement:
    """The recorded arrangement; none recorded: a hosted agency seconds into its host, any other
    model keeps staff with their councils (a partnership is not hosted, whatever host is stored)."""
    if recorded:
        return StaffArrangement(recorded)
    return StaffArrangement.INTO_HOST if governance_model == "hosted" else StaffArrangement.NONE


def refusal(
    staffing: StaffArrangement,
    *,
    employer_id: int | None,
    host_id: int | None,
    host_name: str = "",
    starts_on: date,
) -> str | None:
    """Why this secondment cannot be recorded under the agency's staffing model, or None."""
    if staffing == StaffArrangement.NONE:
        return (
            "The agency's agreement keeps staff employed by their own council with no TUPE or secondment: "
            "no secondment can be recorded (an administrator changes the staffing model if the agreement changes)"
        )
    if staffing == StaffArrangement.INTO_HOST:
        if host_id is None:
            return f"The agency has no host council on {starts_on:%d/%m/%Y}: a secondment is into the host"
        if employer_id == host_id:
            return f"{host_name or 'The host'} is the host: its own staff are not seconded into it"
    return None


def counts(staffing: StaffArrangement) -> bool:
    """Whether recorded secondments make staff seconded: never under a model without secondment."""
    return staffing != StaffArrangement.NONE
