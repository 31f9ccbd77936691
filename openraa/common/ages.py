"""A child's age in whole years, and the age bands wide enough not to single a child out. Pure Python."""

from datetime import date


def age_in_years(date_of_birth: date, on: date) -> int:
    years = on.year - date_of_birth.year
    return years - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 and over")


def age_band(years: int) -> str:
    """Bands wide enough not to single a child out: the board pack's and the anonymised profile's."""
    return AGE_BANDS[0] if years < 1 else AGE_BANDS[1] if years < 5 else AGE_BANDS[2] if years < 10 else AGE_BANDS[3]
