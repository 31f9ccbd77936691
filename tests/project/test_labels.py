"""Labels in words: a field's label is what a form, a change history and an export show, so none may
read like a column name ("Stage1 months", "Adm working days")."""

import re

from django.apps import apps

# A word run into a number ("stage1"; codes in capitals such as A10 or SSDA903 are codes), or an
# abbreviation shown in lower case.
_GLUED = re.compile(r"[a-z][0-9]|[0-9][a-z]")
_LOWER_ABBREVIATIONS = re.compile(r"\b(adm|ons|dbs|la|sgo|asf|api|irm|cpr|par|apr)\b")


def test_every_field_label_is_in_words():
    wrong = []
    for model in apps.get_models():
        if not model.__module__.startswith("openraa.") or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            label = str(getattr(field, "verbose_name", "") or "")
            if not label or not getattr(field, "editable", False) or field.auto_created:
                continue
            if _GLUED.search(label) or _LOWER_ABBREVIATIONS.search(label):
                wrong.append(f"{model._meta.label}.{field.name}: {label!r}")
    assert wrong == []


ROOT = __import__("pathlib").Path(__file__).resolve().parents[2] / "openraa"
# The date formats the pages use: in words (2 October 2023; 2 Oct 2023 in tables), with a time where
# one is kept, a month alone, and ISO for machine-readable attributes.
DATE_FORMATS = {"j F Y", "j M Y", "j F Y H:i", "j M Y H:i", "F Y", "M Y", "l j F Y", "Y-m-d"}


def test_dates_are_written_one_way():
    templates = {
        fmt
        for path in (ROOT / "templates").rglob("*.html")
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text())
    }
    assert templates <= DATE_FORMATS, templates - DATE_FORMATS
    # Python writes a day in words without a leading zero (common.dates.long_date), as the templates do.
    padded = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"%d %[Bb]", line)
    ]
    assert padded == []
