"""What `openraa setup_agency` is asked to set up, checked against the register before anything is
written: every council by its ONS code, the host and commissioning council among the members, a
host where the model needs one, every member in existence on the day it joins. Pure Python; the
checks that need the database (an agency code or name in use, a council already in another agency)
are in services.set_up_agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from openraa.partnership import register
from openraa.partnership.register import RegisteredCouncil

# Agency.Governance's values; a hosted agency is run by one council on behalf of the others.
MODELS = {
    "hosted": "hosted by one council",
    "partnership": "a partnership of councils",
    "hub_and_spoke": "hub and spoke",
}
NEEDS_HOST = {"hosted"}
AGENCY_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,19}")


@dataclass(frozen=True)
class AgencyPlan:
    code: str
    name: str
    model: str
    councils: tuple[RegisteredCouncil, ...]
    host: RegisteredCouncil | None
    commissioning: RegisteredCouncil | None
    joined_on: date
    council_adm: bool = False  # each council's own ADM decides for its children (hub and spoke)


def plan(
    code: str, name: str, model: str, councils: list[str], host: str | None, commissioning: str | None, joined_on: date
) -> tuple[AgencyPlan | None, list[str]]:
    """(the plan, []) or (None, every reason it is refused)."""
    refusals = []
    code, name = code.strip(), " ".join(name.split())
    if not AGENCY_CODE.fullmatch(code):
        refusals.append(f"The agency code {code!r} must be 1 to 20 lower-case letters, digits or hyphens, like aim")
    if not name or len(name) > 120:
        refusals.append("Give the agency's name (at most 120 characters)")
    if model not in MODELS:
        refusals.append(f"Unknown model {model!r}: give one of {', '.join(MODELS)}")
    members: dict[str, RegisteredCouncil] = {}
    for text in councils:
        council = register.find(text)
        if council is None:
            refusals.append(
                f"{text.strip()} is not the ONS code of an English council with children's services "
                "(see openraa/partnership/councils.csv)"
            )
        elif council.ons_code in members:
            refusals.append(f"{council} is named twice")
        elif not council.exists_on(joined_on):
            when = (
                f"ended on {council.ends_on:%d/%m/%Y}"
                if council.ends_on and council.ends_on < joined_on
                else f"began on {council.starts_on:%d/%m/%Y}"
            )
            successors = (
                f" (succeeded by {', '.join(map(str, map(register.find, council.successors)))})"
                if council.successors and council.ends_on and council.ends_on < joined_on
                else ""
            )
            refusals.append(f"{council} {when}, so it cannot join on {joined_on:%d/%m/%Y}{successors}")
        else:
            members[council.ons_code] = council
    if not councils:
        refusals.append("Name the member councils, one --council ONS code each")

    named = {found.ons_code for found in map(register.find, councils) if found is not None}

    def member(role: str, text: str | None) -> RegisteredCouncil | None:
        if text is None:
            return None
        council = register.find(text)
        if council is None or council.ons_code not in named:
            refusals.append(
                f"The {role} council {text.strip()} must also be named as a member (--council {text.strip()})"
            )
            return None
        return council

    host_council = member("host", host)
    commissioning_council = member("commissioning", commissioning)
    if model in NEEDS_HOST and host is None:
        refusals.append(f"An agency {MODELS[model]} needs its host council: give --host ONS_CODE")
    if refusals:
        return None, refusals
    return AgencyPlan(code, name, model, tuple(members.values()), host_council, commissioning_council, joined_on), []
