"""Contact details where the agency holds them: a telephone number, an e-mail address, a postal
address and its postcode. Pure Python: what a well-formed one looks like, with the words of the error."""

import re

# UK numbers as people write them: 01632 960 001, +44 (0)1632 960001, 07700-900123.
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-]+$")
MIN_DIGITS, MAX_DIGITS = 10, 15
# A full UK postcode: outward code, space optional, inward code (L36 9XX, CH41 1AA, SW1A 1AA).
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
# local@domain.tld, no spaces, one @, a dot in the domain; Django's EmailValidator checks more.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")

CONTACT_FIELDS = ("phone", "email", "address", "postcode")


def phone_error(text: str) -> str | None:
    """Why this is not a telephone number (None when it is, or when it is blank)."""
    text = text.strip()
    if not text:
        return None
    if not _PHONE_CHARS.match(text) or "+" in text[1:]:
        return "Enter a telephone number using digits, spaces and brackets only, like 01632 960 001 or +44 7700 900123"
    digits = sum(ch.isdigit() for ch in text)
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        return f"Enter a telephone number of {MIN_DIGITS} to {MAX_DIGITS} digits, like 01632 960 001"
    return None


def email_error(text: str) -> str | None:
    """Why this is not an e-mail address (None when it is, or when it is blank)."""
    text = text.strip()
    if not text:
        return None
    if not _EMAIL.match(text):
        return "Enter an e-mail address in the correct format, like name@example.com"
    return None


def normal_postcode(text: str) -> str:
    """The postcode in capitals with one space before its inward code ('l369xx' -> 'L36 9XX')."""
    compact = "".join(text.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_error(text: str) -> str | None:
    """Why this is not a full UK postcode (None when it is, or when it is blank)."""
    if not text.strip():
        return None
    if not _POSTCODE.match(normal_postcode(text)):
        return "Enter a full UK postcode, like L36 9XX"
    return None
