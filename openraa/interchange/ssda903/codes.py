"""SSDA903 tables and codes (DfE children looked after return, 2024-25 guide, and the rules of the
public validator csc-validator-be-903). Pure Python."""

from datetime import date

from openraa.common import parsing

# Column sets, in the DfE's order. A CSV is recognised by its exact set of columns.
TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
    "AD1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
}
# Tables of the return OpenRAA recognises but has no use for (care leavers, reviews, missing...).
OTHER_TABLES: dict[str, tuple[str, ...]] = {
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
            "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED"),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}
# The file names the export writes (those the validator's own tooling uses).
FILE_NAMES = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv",
    "PrevPerm": "previous_permanence.csv",
}

DATE_FORMAT = "%d/%m/%Y"

# SEX: 1/2 up to 2023-24; M/F/U from 2024-25 (rule 101 of the 2024-25 rules).
SEX_CODES = {"1": "1", "2": "2", "M": "1", "F": "2"}
SEX_LETTERS_FROM = 2025  # collection years ending in 2025 (2024-25) and later use M/F
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
PLACES = ("A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
          "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1", "Z11", "Z12", "Z13", "Z14")
# Placed for adoption: A3/A4 with parental consent, A5/A6 with a placement order; A3/A5 with the
# child's current foster carer(s).
PLACED_FOR_ADOPTION = ("A3", "A4", "A5", "A6")
WITH_CONSENT = ("A3", "A4")
WITH_FOSTER_CARER = ("A3", "A5")
PLACE_PROVIDERS = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
REASON_CEASED = ("E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5", "E6",
                 "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1")
ADOPTED = ("E11", "E12")  # E11 unopposed, E12 consent dispensed with by the court
CONTINUING = "X1"  # episode ceased and a new one began in the same period of care
REASON_PLACE_CHANGE = ("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ",
                       "PLACE", "CUSTOD", "OTHER")
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


def collection_year(year: int) -> tuple[date, date]:
    """The collection year ending on 31 March `year`: 1 April year-1 to 31 March year (the
    validator's collectionYear; the DfE calls the one ending in 2025 "2024 to 2025")."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def parse_year(text: str) -> int:
    """'2025', '2024-25', '2024/25' or '2024-2025' -> 2025 (the year the collection ends)."""
    text = str(text).strip()
    ending = parsing.year(text, 1000, 9999)
    if ending is None and ("-" in text or "/" in text):
        starting = parsing.financial_year(text, 1000, 9998)
        ending = None if starting is None else starting + 1
    if ending is None:
        raise ValueError(f"Not a collection year: {text} (give 2025 or 2024-25)")
    return ending


def ruleset(year: int) -> str:
    """The validator's rule set for the collection year ending in `year`: 2025 -> lac2024_25."""
    return f"lac{year - 1}_{year % 100:02d}"
