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
