"""Backup and restore: every record, its history and the audit log survive a round trip."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from openraa.audit.models import RecordView
from openraa.people.roles import Role
from tests import builders


def _snapshot():
    """Every row of every backed-up model, as comparable tuples."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in ("contenttypes", "sessions", "axes") or model._meta.model_name == "permission":
            continue
        rows[model._meta.label] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
    return rows


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database_with_history_and_audit_intact(client_for, tmp_path):
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    child = builders.child(aim, first_name="Restored")
    child.allocated_workers.add(worker)
    builders.household(aim)
    assert client_for(worker).get(f"/children/{child.pk}/").status_code == 200
    assert RecordView.objects.filter(record_id=child.pk).exists()
    before = _snapshot()
    assert before["children.HistoricalChild"] and before["audit.RecordView"]

    out = tmp_path / "backup.xml.gz"
    call_command("backup", str(out))
    assert out.stat().st_size > 0

    call_command("flush", interactive=False, verbosity=0)  # an empty, migrated database
    assert not RecordView.objects.exists()
    call_command("restore", str(out))
    assert _snapshot() == before

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(out))
    call_command("restore", str(out), replace=True)
    assert _snapshot() == before
