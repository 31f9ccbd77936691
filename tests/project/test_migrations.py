"""The migrations match the models: a model changed without its migration fails here rather than on a
deployment's `openraa migrate`. Released migrations are never edited; a change adds a new one (README)."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=1, stdout=out, stderr=out)
    except SystemExit:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail("models and migrations disagree; run `openraa makemigrations`:\n" + out.getvalue())
    assert "No changes detected" in out.getvalue()
