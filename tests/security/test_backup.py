"""Backup and restore: every record, its history, the audit log and the stored files survive a round
trip through one encrypted archive; a wrong key, a changed or a cut archive is refused and changes
nothing; no unencrypted backup is written unless asked for."""

import os
import stat
import zipfile
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from openraa.audit.models import RecordView
from openraa.partnership.models import Agency
from openraa.people.roles import Role
from openraa.security import backups
from openraa.security.models import BackupRun
from tests import builders

DOCUMENT = b"%PDF-1.4 synthetic later-life letter for a synthetic child\n" * 50


def _snapshot():
    """Every row of every backed-up model, as comparable tuples."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in ("contenttypes", "sessions", "axes", "django_tasks_database"):
            continue
        if model._meta.model_name in ("permission", "backuprun", "staffsession"):
            continue
        rows[model._meta.label] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()
        )
    return rows


@pytest.fixture
def key(tmp_path, settings):
    """A key pair as `openraa backup_key` makes it: the server has the public key, the file the private one."""
    path = tmp_path / "backup-key.txt"
    out = StringIO()
    call_command("backup_key", str(path), stdout=out)
    settings.OPENRAA_BACKUP_RECIPIENT = out.getvalue().split("OPENRAA_BACKUP_RECIPIENT=")[1].split()[0]
    return path


@pytest.fixture
def storage(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return storages["default"]


@pytest.fixture
def records(client_for, storage):
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    child = builders.child(aim, first_name="Restored")
    child.allocated_workers.add(worker)
    builders.household(aim)
    assert client_for(worker).get(f"/children/{child.pk}/").status_code == 200
    assert RecordView.objects.filter(record_id=child.pk).exists()
    assert storage.save("children/1/life-story.pdf", ContentFile(DOCUMENT)) == "children/1/life-story.pdf"
    storage.save("top-level.txt", ContentFile(b"synthetic"))
    before = _snapshot()
    assert before["children.HistoricalChild"] and before["audit.RecordView"]
    return before


def _restore(*args, **options):
    out = StringIO()
    call_command("restore", *map(str, args), stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_an_encrypted_backup_restores_records_history_audit_and_stored_files(records, storage, key, tmp_path):
    out = tmp_path / "backup.age"
    printed = StringIO()
    call_command("backup", str(out), stdout=printed)
    assert "encrypted; 2 stored files" in printed.getvalue()
    data = out.read_bytes()
    assert data.startswith(b"age-encryption.org/v1")
    assert b"Restored" not in data and b"synthetic" not in data and b"fixture.xml" not in data  # nothing readable
    run = BackupRun.objects.get()
    assert (run.name, run.files, run.size, run.encrypted) == (str(out), 2, len(data), True)

    call_command("flush", interactive=False, verbosity=0)  # an empty, migrated database ...
    for name in backups.stored_files(storage):  # ... and an empty storage
        storage.delete(name)
    assert not RecordView.objects.exists() and not list(backups.stored_files(storage))
    assert "2 stored files" in _restore(out, identity=key)
    assert _snapshot() == records
    assert storage.open("children/1/life-story.pdf").read() == DOCUMENT
    assert sorted(backups.stored_files(storage)) == ["children/1/life-story.pdf", "top-level.txt"]

    with pytest.raises(CommandError, match="not empty"):
        _restore(out, identity=key)
    storage.delete("children/1/life-story.pdf")
    storage.save("children/1/life-story.pdf", ContentFile(b"changed since"))
    _restore(out, identity=key, replace=True)
    assert _snapshot() == records
    assert storage.open("children/1/life-story.pdf").read() == DOCUMENT  # replaced under its own name
    assert sorted(backups.stored_files(storage)) == ["children/1/life-story.pdf", "top-level.txt"]


@pytest.mark.django_db(transaction=True)
def test_a_wrong_key_a_changed_or_a_cut_archive_is_refused_and_changes_nothing(records, storage, key, tmp_path):
    out = tmp_path / "backup.age"
    call_command("backup", str(out), stdout=StringIO())
    builders.child(Agency.objects.get(code="aim"), first_name="Later")
    storage.delete("top-level.txt")
    after = _snapshot()
    assert after != records

    other = tmp_path / "other-key.txt"
    call_command("backup_key", str(other), stdout=StringIO())
    with pytest.raises(CommandError, match="does not open this backup"):
        _restore(out, identity=other, replace=True)
    with pytest.raises(CommandError, match="encrypted: give the private key file with --identity"):
        _restore(out, replace=True)

    data = out.read_bytes()
    changed = bytearray(data)
    changed[len(data) // 2] ^= 0x01
    (tmp_path / "changed.age").write_bytes(bytes(changed))
    with pytest.raises(CommandError, match="damaged or has been changed"):
        _restore(tmp_path / "changed.age", identity=key, replace=True)
    (tmp_path / "cut.age").write_bytes(data[: len(data) - 100])
    with pytest.raises(CommandError, match="damaged or has been changed"):
        _restore(tmp_path / "cut.age", identity=key, replace=True)
    (tmp_path / "not-a-key.txt").write_text("AGE-SECRET-KEY-1NOTAKEY\n")
    with pytest.raises(CommandError, match="not an age private key"):
        _restore(out, identity=tmp_path / "not-a-key.txt", replace=True)

    assert _snapshot() == after
    assert not storage.exists("top-level.txt")


@pytest.mark.django_db(transaction=True)
def test_no_unencrypted_backup_unless_asked_for(records, storage, tmp_path, settings):
    settings.OPENRAA_BACKUP_RECIPIENT = ""
    out = tmp_path / "backup.zip"
    with pytest.raises(CommandError, match=r"OPENRAA_BACKUP_RECIPIENT is not set.*--unencrypted"):
        call_command("backup", str(out), stdout=StringIO())
    settings.OPENRAA_BACKUP_RECIPIENT = "age1notakey"
    with pytest.raises(CommandError, match="not an age public key"):
        call_command("backup", str(out), stdout=StringIO())
    assert not list(tmp_path.glob("backup.zip*")) and not BackupRun.objects.exists()

    printed = StringIO()
    call_command("backup", str(out), unencrypted=True, stdout=printed)
    assert "UNENCRYPTED" in printed.getvalue() and not BackupRun.objects.get().encrypted
    with zipfile.ZipFile(out) as archive:
        assert archive.read("files/children/1/life-story.pdf") == DOCUMENT
    call_command("flush", interactive=False, verbosity=0)
    assert "an unencrypted backup" in _restore(out, replace=True)
    assert _snapshot() == records


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_storage_holding_the_backups_files(records, storage, key, tmp_path):
    out = tmp_path / "backup.age"
    call_command("backup", str(out), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="storage already holds 2 of the backup's files"):
        _restore(out, identity=key)
    assert not RecordView.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_fixture_from_before_the_archives_still_restores(records, tmp_path):
    old = tmp_path / "old.xml.gz"
    call_command("dumpdata", format="xml", natural_foreign=True, exclude=backups.EXCLUDED, output=str(old), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert "0 stored files" in _restore(old)
    assert _snapshot() == records


def test_backup_key_writes_a_private_file_once_and_prints_the_public_key(tmp_path):
    path = tmp_path / "key.txt"
    out = StringIO()
    call_command("backup_key", str(path), stdout=out)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    public = out.getvalue().split("OPENRAA_BACKUP_RECIPIENT=")[1].split()[0]
    assert public.startswith("age1") and "OFF the server" in out.getvalue()
    assert "AGE-SECRET-KEY-1" in path.read_text() and "AGE-SECRET-KEY" not in out.getvalue()
    # The printed public key and the written private key are a pair.
    plain, sealed = StringIO(), tmp_path / "sealed.age"
    import pyrage

    sealed.write_bytes(pyrage.encrypt(b"synthetic", [backups.recipient(public)]))
    assert pyrage.decrypt(sealed.read_bytes(), backups.identities(path)) == b"synthetic"
    before = path.read_text()
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("backup_key", str(path), stdout=plain)
    assert path.read_text() == before
