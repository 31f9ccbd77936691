"""The bundled register of English councils with children's services (councils.csv beside this
file: every county, metropolitan district, unitary, London borough, the City of London and the
Isles of Scilly that has existed since 1 April 2015, with its ONS code, region, DfE number, dates
and successors; the file's header says where it comes from). Pure Python, no Django.

`openraa setup_agency` names councils by their ONS code from here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

PATH = Path(__file__).with_name("councils.csv")
KINDS = ("county", "unitary", "metropolitan district", "London borough", "City of London")
ONS_CODE = re.compile(r"E(06|08|09|10)[0-9]{6}")


@dataclass(frozen=True)
class RegisteredCouncil:
    ons_code: str
    name: str
    kind: str
    region: str
    dfe_number: str | None  # the DfE's 3-digit LA number, None where the register has none
    starts_on: date | None  # None: it existed before 1 April 2015
    ends_on: date | None  # its last day; None while it exists
    successors: tuple[str, ...] = ()

    def exists_on(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day <= self.ends_on)

    def __str__(self) -> str:
        return f"{self.name} ({self.ons_code})"


def read(text: str) -> list[RegisteredCouncil]:
    """The register's rows; lines starting with '#' are its notes."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return [
        RegisteredCouncil(
            row["ons_code"],
            row["name"],
            row["kind"],
            row["region"],
            row["dfe_number"] or None,
            date.fromisoformat(row["starts_on"]) if row["starts_on"] else None,
            date.fromisoformat(row["ends_on"]) if row["ends_on"] else None,
            tuple(row["successors"].split()),
        )
        for row in csv.DictReader(io.StringIO("\n".join(lines)))
    ]


@cache
def councils() -> Mapping[str, RegisteredCouncil]:
    """The bundled register by ONS code."""
    return {council.ons_code: council for council in read(PATH.read_text(encoding="utf-8"))}


def find(ons_code: str) -> RegisteredCouncil | None:
    return councils().get(ons_code.strip().upper())


def existing_on(day: date, register: Iterable[RegisteredCouncil] | None = None) -> list[RegisteredCouncil]:
    return [c for c in (councils().values() if register is None else register) if c.exists_on(day)]


def problems(register: list[RegisteredCouncil]) -> list[str]:
    """What makes a register inconsistent (nothing, for the bundled one: tests/partnership/test_register.py)."""
    found = []
    by_code = {c.ons_code: c for c in register}
    for field in ("ons_code", "name", "dfe_number"):
        values = [getattr(c, field) for c in register if getattr(c, field) is not None]
        found += [
            f"{value}: more than one council has this {field}"
            for value in sorted(set(values))
            if values.count(value) > 1
        ]
    for council in register:
        if not ONS_CODE.fullmatch(council.ons_code):
            found.append(f"{council}: not an ONS code of an English council with children's services")
        if council.kind not in KINDS or not council.region:
            found.append(f"{council}: kind {council.kind!r} or region {council.region!r} missing or unknown")
        if council.dfe_number is not None and not re.fullmatch(r"[0-9]{3}", council.dfe_number):
            found.append(f"{council}: DfE number {council.dfe_number!r} is not three digits")
        if council.starts_on and council.ends_on and council.starts_on > council.ends_on:
            found.append(f"{council}: ends before it starts")
        if bool(council.successors) != bool(council.ends_on):
            found.append(f"{council}: an authority that ended has successors, and only one that ended")
        for code in council.successors:
            successor = by_code.get(code)
            if successor is None:
                found.append(f"{council}: successor {code} is not in the register")
            elif council.ends_on and successor.starts_on != council.ends_on + timedelta(days=1):
                found.append(f"{council}: successor {successor} does not start the day after it ends")
    return found
