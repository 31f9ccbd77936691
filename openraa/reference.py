"""Reference codes shared by the record, the returns and the matching engine. Pure Python.

Ethnicity and sex follow the DfE SSDA903 return so that imports and exports need no mapping.
"""

from enum import StrEnum

# SSDA903 ETHNIC codes, with the census group each belongs to (used for breakdowns).
ETHNICITIES: dict[str, tuple[str, str]] = {
    "WBRI": ("White British", "White"),
    "WIRI": ("White Irish", "White"),
    "WOTH": ("Any other White background", "White"),
    "WIRT": ("Traveller of Irish heritage", "White"),
    "WROM": ("Gypsy/Roma", "White"),
    "MWBC": ("White and Black Caribbean", "Mixed"),
    "MWBA": ("White and Black African", "Mixed"),
    "MWAS": ("White and Asian", "Mixed"),
    "MOTH": ("Any other mixed background", "Mixed"),
    "AIND": ("Indian", "Asian or Asian British"),
    "APKN": ("Pakistani", "Asian or Asian British"),
    "ABAN": ("Bangladeshi", "Asian or Asian British"),
    "AOTH": ("Any other Asian background", "Asian or Asian British"),
    "BCRB": ("Caribbean", "Black or Black British"),
    "BAFR": ("African", "Black or Black British"),
    "BOTH": ("Any other Black background", "Black or Black British"),
    "CHNE": ("Chinese", "Other ethnic group"),
    "OOTH": ("Any other ethnic group", "Other ethnic group"),
    "REFU": ("Refused", "Not known"),
    "NOBT": ("Information not yet obtained", "Not known"),
}
ETHNICITY_CHOICES = [(code, f"{label} ({code})") for code, (label, _) in ETHNICITIES.items()]

# SSDA903 SEX: 1 male, 2 female (the return writes M/F from 2024-25).
SEX_CHOICES = [("1", "Male"), ("2", "Female")]
# A child's sex may also be U, not known or indeterminate (the return's U, from 2024-25), kept as the
# council's return gives it rather than guessed; adopters' sex stays 1/2 (AD1 SEX_ADOPTR has no U).
CHILD_SEX_CHOICES = [*SEX_CHOICES, ("U", "Not known or indeterminate")]


class Level(StrEnum):
    """Severity of a child's need, and the level of that need a household can meet."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


LEVEL_CHOICES = [(level.value, level.value.capitalize()) for level in Level]
SEVERITY_CHOICES = [c for c in LEVEL_CHOICES if c[0] != Level.NONE]

# Needs recorded in a child's plan and graded by households; "disability" marks those counted as
# disability in board breakdowns and the hard-to-place group.
NEEDS: dict[str, tuple[str, bool]] = {
    "physical_disability": ("Physical disability", True),
    "learning_disability": ("Learning disability", True),
    "sensory_impairment": ("Sensory impairment", True),
    "autism": ("Autism spectrum condition", True),
    "developmental_delay": ("Developmental delay or uncertainty", False),
    "medical_condition": ("Medical condition", False),
    "fasd": ("Foetal alcohol spectrum disorder", True),
    "emotional_behavioural": ("Emotional and behavioural needs", False),
    "attachment": ("Attachment difficulties", False),
    "trauma": ("Experience of trauma or neglect", False),
    "parental_mental_health": ("Parental mental health history", False),
    "parental_substance_misuse": ("Parental substance misuse history", False),
    "contact_needs": ("Complex birth family contact", False),
}
NEED_CHOICES = [(code, label) for code, (label, _) in NEEDS.items()]
DISABILITY_NEEDS = frozenset(code for code, (_, disability) in NEEDS.items() if disability)

# Children at or above this age count as hard to place in breakdowns.
OLDER_CHILD_AGE = 5

# Religion as asked in the 2021 Census; recorded for a household and, where the child's plan asks
# for it, as the child's preference.
RELIGIONS = {
    "none": "No religion",
    "christian": "Christian",
    "buddhist": "Buddhist",
    "hindu": "Hindu",
    "jewish": "Jewish",
    "muslim": "Muslim",
    "sikh": "Sikh",
    "other": "Any other religion",
}
RELIGION_CHOICES = list(RELIGIONS.items())

# Languages most often needed in English adoption plans after English (2021 Census main languages).
LANGUAGES = {
    "en": "English",
    "cy": "Welsh",
    "pl": "Polish",
    "ro": "Romanian",
    "pa": "Punjabi",
    "ur": "Urdu",
    "pt": "Portuguese",
    "es": "Spanish",
    "ar": "Arabic",
    "bn": "Bengali",
    "gu": "Gujarati",
    "it": "Italian",
    "lt": "Lithuanian",
    "so": "Somali",
    "tr": "Turkish",
    "bsl": "British Sign Language",
}
LANGUAGE_CHOICES = list(LANGUAGES.items())
