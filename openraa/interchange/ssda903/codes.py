"""SSDA903 tables and codes (DfE children looked after return, the guides of 2022-23 to 2026-27, and
the rules of the public validator csc-validator-be-903). Pure Python.

The layout changes by collection year: SEX is 1/2 up to 2023-24 and M/F/U from 2024-25; 2025-26
splits placement Z1 into Z11-Z14 and drops H5 and P2; 2026-27 adds the deprivation of liberty
orders table (DoLo). `places(year)`, `sex_codes(year)` and `tables_written(year)` say which apply.
"""

from datetime import date

from openraa.common import years
from openraa.common.years import FinancialYear

# Column sets, in the DfE's order. A CSV is recognised by its exact set of columns.
TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "AD1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
}
# Tables of the return OpenRAA recognises but has no use for (care leavers, reviews, missing...).
OTHER_TABLES: dict[str, tuple[str, ...]] = {
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    # Deprivation of liberty orders, from 2026-27. The columns are the validator's (its config.py and
    # rules 700-710 of lac2026_27): the order's start and end.
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}
# The file names the export writes (those the validator's own tooling uses).
FILE_NAMES = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv",
    "PrevPerm": "previous_permanence.csv",
    "DoLo": "dolo.csv",
}
ADOPTION_TABLES = ("Header", "Episodes", "AD1", "PlacedAdoption")
DOLO_FROM = FinancialYear(2026)

DATE_FORMAT = "%d/%m/%Y"

# SEX, as OpenRAA stores it: 1 male, 2 female, U not known or indeterminate (the record keeps the
# return's U rather than guess). The return writes 1/2 up to 2023-24 and M/F/U from 2024-25 (rule 101).
SEX_LETTERS_FROM = FinancialYear(2024)
SEX_DIGITS = {"1": "1", "2": "2"}
SEX_LETTERS = {"M": "1", "F": "2", "U": "U"}
SEX_CODES = SEX_DIGITS | SEX_LETTERS  # any year's code -> OpenRAA's
RNE = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer(s) only",
    "T": "Change of placement only, same carer(s)",
    "U": "Change of legal status and placement, same carer(s)",
    "B": "Change of legal status, placement and carer(s)",
}
LEGAL_STATUS = ("C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3")
PLACEMENT_ORDER = "E1"
CIN = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
# PLACE: 2025-26 splits Z1 (other placements) into Z11-Z14 and drops H5 and P2 (rule 146 of each year).
PLACES_CHANGE = FinancialYear(2025)
_PLACES_EVERY_YEAR = (
    "A3",
    "A4",
    "A5",
    "A6",
    "K1",
    "K2",
    "K3",
    "P1",
    "P3",
    "R1",
    "R2",
    "R3",
    "R5",
    "S1",
    "T0",
    "T1",
    "T2",
    "T3",
    "T4",
    "U1",
    "U2",
    "U3",
    "U4",
    "U5",
    "U6",
)
PLACES_UNTIL_2024_25 = (*_PLACES_EVERY_YEAR, "H5", "P2", "Z1")
PLACES_FROM_2025_26 = (*_PLACES_EVERY_YEAR, "Z11", "Z12", "Z13", "Z14")
PLACES = (*PLACES_UNTIL_2024_25, "Z11", "Z12", "Z13", "Z14")  # any year's
# Placed for adoption: A3/A4 with parental consent, A5/A6 with a placement order; A3/A5 with the
# child's current foster carer(s).
PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")
WITH_CONSENT = ("A3", "A4")
WITH_FOSTER_CARER = ("A3", "A5")
PLACE_PROVIDERS = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
REASON_CEASED = (
    "E11",
    "E12",
    "E2",
    "E3",
    "E4A",
    "E4B",
    "E13",
    "E41",
    "E45",
    "E46",
    "E47",
    "E48",
    "E5",
    "E6",
    "E7",
    "E8",
    "E9",
    "E14",
    "E15",
    "E16",
    "E17",
    "X1",
)
ADOPTED = ("E11", "E12")  # E11 unopposed, E12 consent dispensed with by the court
CONTINUING = "X1"  # episode ceased and a new one began in the same period of care
REASON_PLACE_CHANGE = (
    "CARPL",
    "CLOSE",
    "ALLEG",
    "STAND",
    "APPRR",
    "CREQB",
    "CREQO",
    "CHILD",
    "LAREQ",
    "PLACE",
    "CUSTOD",
    "OTHER",
)
# REASON_PLACED_CEASED: why the decision that the child should be placed for adoption was reversed.
REASON_PLACED_CEASED = {
    "RD1": "The child's needs changed after the decision",
    "RD2": "The court did not make a placement order",
    "RD3": "Prospective adopters could not be found",
    "RD4": "Any other reason",
}
FOSTER_CARE = ("0", "1")
NB_ADOPTR = ("1", "2")
SEX_ADOPTR = ("M1", "F1", "MM", "FF", "MF")
LS_ADOPTR = ("L0", "L11", "L12", "L2", "L3", "L4")
PREV_PERM = ("P1", "P2", "P3", "P4", "Z1")


def financial_year(year: FinancialYear | int) -> FinancialYear:
    """A collection year; an int is the year it ends in (SSDA903's collectionYear, ImportRun.year)."""
    return year if isinstance(year, FinancialYear) else FinancialYear.ending_in(year)


def collection_year(year: FinancialYear | int) -> tuple[date, date]:
    """1 April to 31 March (the DfE calls 2024-25 "2024 to 2025", the validator 2025)."""
    year = financial_year(year)
    return year.starts_on, year.ends_on


def parse_year(text: str) -> FinancialYear:
    """'2024-25', '2024/25', '2024-2025' and a bare '2025' are all 2024-25 (common/years.py)."""
    year = years.parse(text)
    if year is None:
        raise ValueError(years.refusal(text))
    return year


def ruleset(year: FinancialYear | int) -> str:
    """The validator's rule set for the collection year: 2024-25 -> lac2024_25."""
    year = financial_year(year)
    return f"lac{year.start}_{year.end % 100:02d}"


def sex_codes(year: FinancialYear | int) -> dict[str, str]:
    """The year's SEX codes -> OpenRAA's."""
    return SEX_LETTERS if financial_year(year) >= SEX_LETTERS_FROM else SEX_DIGITS


def sex_code(sex: str, year: FinancialYear | int) -> str:
    """OpenRAA's sex as the year's return writes it; "" when the year has no code for it (U before 2024-25)."""
    return {ours: theirs for theirs, ours in sex_codes(year).items()}.get(sex, "")


def places(year: FinancialYear | int) -> tuple[str, ...]:
    return PLACES_FROM_2025_26 if financial_year(year) >= PLACES_CHANGE else PLACES_UNTIL_2024_25


def tables_written(year: FinancialYear | int) -> tuple[str, ...]:
    """The tables an export writes: the adoption tables, and from 2026-27 the (empty) DoLo table."""
    return (*ADOPTION_TABLES, "DoLo") if financial_year(year) >= DOLO_FROM else ADOPTION_TABLES


def columns(table: str) -> tuple[str, ...]:
    return TABLES.get(table) or OTHER_TABLES[table]
