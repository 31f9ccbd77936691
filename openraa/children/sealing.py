"""Sealed adoption records: why one may be opened or exported, and whether the words given say so.
Pure Python.

A reason is a purpose from a fixed list (the statutory returns, a court, an adopted adult's request
for their birth records, something else) and the reader's own words. The words must be a real
sentence: the audit log is read later by someone who must understand why the record was opened, so
"aaaaaaaaaa", keyboard mashing or two words are refused.
"""

import re
from enum import StrEnum


class Purpose(StrEnum):
    ASGLB = "asglb"
    SSDA903 = "ssda903"
    COURT = "court"
    BIRTH_RECORDS = "birth_records"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PURPOSE_LABELS[self]


PURPOSE_LABELS = {
    Purpose.ASGLB: "National quarterly adoption return (ASGLB / Coram-i)",
    Purpose.SSDA903: "SSDA903 return",
    Purpose.COURT: "Court or legal request",
    Purpose.BIRTH_RECORDS: "Adopted adult's request for records (birth records access)",
    Purpose.OTHER: "Other",
}
PURPOSE_CHOICES = [(purpose.value, purpose.label) for purpose in Purpose]

MIN_WORDS = 3  # distinct real words
MAX_LENGTH = 1000
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")  # letters of any script, with inner apostrophes or hyphens
_VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûüýÿ")


def is_real_word(word: str) -> bool:
    """A word a person would write: two or more letters, not one letter repeated, and (in the Latin
    alphabet) at least one vowel and no letter four times running."""
    lowered = word.lower()
    letters = [c for c in lowered if c.isalpha()]
    if len(letters) < 2 or len(set(letters)) == 1:
        return False
    if re.search(r"([^\W\d_])\1{3,}", lowered):
        return False
    if all(c.isascii() for c in letters):
        return any(c in _VOWELS for c in letters)
    return True


def reason_problem(text: str) -> str | None:
    """What is wrong with the words given as a reason, or None when they say something."""
    text = (text or "").strip()
    if not text:
        return "Say why, in your own words"
    if len(text) > MAX_LENGTH:
        return f"Say why in at most {MAX_LENGTH} characters"
    words = [w for w in _WORD.findall(text) if is_real_word(w)]
    if len({w.lower() for w in words}) < MIN_WORDS:
        return f"Say why in a sentence of at least {MIN_WORDS} different real words, for example who asked and for what"
    return None


def purpose_problems(purpose: str | None, text: str) -> dict[str, str]:
    """Errors by field ("purpose", "reason") for a stated purpose; empty when it may be accepted."""
    errors = {}
    if purpose not in PURPOSE_LABELS:
        errors["purpose"] = "Choose the purpose"
    problem = reason_problem(text)
    if problem:
        errors["reason"] = problem
    return errors


def stated(purpose: str, text: str) -> str:
    """The purpose and the words as one line for the audit log."""
    return f"{Purpose(purpose).label}: {text.strip()}"


# Adoption records are kept for at least 100 years from the adoption order (Adoption Agencies
# Regulations 2005, reg. 42) and never deleted by the system.
RETENTION_YEARS = 100
