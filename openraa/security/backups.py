"""Backups: one archive with every record and every stored file, encrypted to a public key.

The archive is a ZIP: `fixture.xml` (a Django XML fixture of every record, history and the audit
log included), `files/<name>` for each file in the default file storage (walked with the storage
API, so the local folder and an S3 bucket alike), and `manifest.json` last. It is encrypted with
age (X25519, through pyrage, the Rust implementation's bindings) to the public key in
OPENRAA_BACKUP_RECIPIENT: the server holds no key that opens a backup, so a stolen server or a
copied backups volume does not give old backups away. age authenticates every 64 KiB chunk and the
end, so a changed or cut archive is refused rather than half read.

Both ways stream: the ZIP is written into a pipe that a thread encrypts, chunk by chunk, into the
output file, so nothing unencrypted touches the disk and memory stays small whatever the size.
A restore decrypts into a private temporary folder first and reads nothing until the whole archive
has been authenticated (age can only tell that at the end).

Why a fixture rather than pg_dump: see the backup command's docstring.
"""

import io
import json
import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyrage
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.utils import timezone
from pyrage import x25519

# Content types, permissions, sessions, sign-in attempt counters, the worker's queued jobs and the
# record of earlier backups are left out: migrate recreates the first two, the others are short-lived
# (cron enqueues the jobs again) or about this server rather than the agency's records.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "staff.StaffSession",
    "axes",
    "django_tasks_database",
    "security.BackupRun",
]

FORMAT = "openraa-backup"
VERSION = 1
FIXTURE = "fixture.xml"
MANIFEST = "manifest.json"
FILES = "files/"
AGE_MAGIC = b"age-encryption.org/v1"
ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """What went wrong, in words for whoever runs the command."""


@dataclass(frozen=True)
class Written:
    path: Path
    files: int
    size: int
    encrypted: bool


@dataclass(frozen=True)
class Read:
    fixture: Path
    files: list[str]
    created: str
    encrypted: bool
    archive: Path | None  # the (decrypted) ZIP the files come from; None for an old fixture
    folder: Path  # holds the decrypted archive: the caller removes it


# Keys -----------------------------------------------------------------------------------------------


def new_key_pair() -> tuple[str, str]:
    """(private key, public key) as age writes them: AGE-SECRET-KEY-1... and age1..."""
    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def recipient(text: str) -> x25519.Recipient:
    try:
        return x25519.Recipient.from_str(text.strip())
    except pyrage.RecipientError as error:
        raise BackupError(
            f"OPENRAA_BACKUP_RECIPIENT is not an age public key (age1...): {error}. "
            "Make a key pair with `openraa backup_key`."
        ) from error


def identities(path: Path) -> list[x25519.Identity]:
    """The private keys in an age identity file (as `openraa backup_key` or `age-keygen` write it)."""
    try:
        lines = path.read_text().splitlines()
    except OSError as error:
        raise BackupError(f"Cannot read the key file {path}: {error.strerror}") from error
    keys = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    try:
        found = [x25519.Identity.from_str(key) for key in keys]
    except pyrage.IdentityError as error:
        raise BackupError(f"{path} is not an age private key file (AGE-SECRET-KEY-1...).") from error
    if not found:
        raise BackupError(f"{path} holds no private key.")
    return found


# The file storage -----------------------------------------------------------------------------------


def default_storage() -> Storage:
    return storages["default"]


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, folders walked with listdir (FileSystemStorage and S3 alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage whose folder nothing has been saved to yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


# Writing --------------------------------------------------------------------------------------------


def _write_zip(stream: IO[bytes], storage: Storage) -> int:
    """The archive into stream; the number of stored files in it."""
    names = []
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # force_zip64: the size is not known ahead, and a fixture may pass 2 GiB.
        with archive.open(FIXTURE, "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8")
            call_command("dumpdata", format="xml", natural_foreign=True, exclude=EXCLUDED, stdout=text, verbosity=0)
            text.flush()
            text.detach()
        for name in stored_files(storage):
            with storage.open(name, "rb") as source, archive.open(FILES + name, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, CHUNK)
            names.append(name)
        manifest = {"format": FORMAT, "version": VERSION, "created": timezone.now().isoformat(), "files": names}
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
    return len(names)


def write(out: Path, public_key: str | None, storage: Storage | None = None) -> Written:
    """Write the backup to out: encrypted to public_key, or plain when it is None (the caller has
    been told so explicitly). A failure leaves no file behind."""
    storage = storage or default_storage()
    to = recipient(public_key) if public_key is not None else None
    partial = out.with_name(out.name + ".partial")  # a cut-off run never looks like a backup
    try:
        with partial.open("wb") as target:
            files = _write_zip(target, storage) if to is None else _encrypting(target, to, storage)
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Written(out, files, out.stat().st_size, to is not None)


def _encrypting(target: IO[bytes], to: x25519.Recipient, storage: Storage) -> int:
    """The ZIP written into a pipe in this thread (the database connection is this thread's), age
    encrypting from the pipe into target in another."""
    read_fd, write_fd = os.pipe()
    failed: list[BaseException] = []

    def encrypt() -> None:
        with os.fdopen(read_fd, "rb") as plain:
            try:
                pyrage.encrypt_io(plain, target, [to])
            except BaseException as error:
                failed.append(error)

    worker = threading.Thread(target=encrypt, name="backup-encrypt")
    worker.start()
    try:
        with os.fdopen(write_fd, "wb") as pipe:
            files = _write_zip(pipe, storage)
    except BrokenPipeError:
        worker.join()
        raise BackupError(f"Encrypting the backup failed: {failed[0] if failed else 'the encryptor stopped'}") from None
    finally:
        worker.join()  # a failure above closed the pipe, so the encryptor ends too
    if failed:
        raise BackupError(f"Encrypting the backup failed: {failed[0]}")
    return files


# Reading --------------------------------------------------------------------------------------------


def kind(path: Path) -> str:
    """ "age", "zip" (an unencrypted archive) or "fixture" (a .xml/.xml.gz from before archives)."""
    try:
        with path.open("rb") as source:
            head = source.read(len(AGE_MAGIC))
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}") from error
    if head.startswith(AGE_MAGIC):
        return "age"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if path.name.endswith((".xml", ".xml.gz")):
        return "fixture"
    raise BackupError(f"{path} is not a backup written by `openraa backup`.")


def read(path: Path, keys: list[x25519.Identity] | None) -> Read:
    """Decrypt (when encrypted) and check the whole archive before anything is restored from it."""
    found = kind(path)
    if found == "age" and not keys:
        raise BackupError("This backup is encrypted: give the private key file with --identity FILE.")
    folder = Path(tempfile.mkdtemp(prefix="openraa-restore-"))  # mode 0700: the decrypted archive is private
    try:
        if found == "fixture":
            fixture = folder / ("fixture.xml.gz" if path.name.endswith(".gz") else FIXTURE)
            shutil.copyfile(path, fixture)
            return Read(fixture, [], "", False, None, folder)
        archive_path = path
        if found == "age":
            archive_path = folder / "backup.zip"
            _decrypt(path, archive_path, keys or [])
        return _unpack(archive_path, folder, encrypted=found == "age")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _decrypt(path: Path, plain: Path, keys: list[x25519.Identity]) -> None:
    with path.open("rb") as source, plain.open("wb") as target:
        try:
            pyrage.decrypt_io(source, target, keys)
        except pyrage.DecryptError as error:
            if "no matching keys" in str(error).lower():
                raise BackupError(
                    "The key given with --identity does not open this backup: it was encrypted to another key."
                ) from error
            raise BackupError(f"This backup is damaged or has been changed, and was not restored ({error}).") from error
        except OSError as error:  # a chunk that fails authentication, or a cut-off file
            raise BackupError("This backup is damaged or has been changed, and was not restored.") from error


def _unpack(archive_path: Path, folder: Path, *, encrypted: bool) -> Read:
    damaged = "This backup is damaged or incomplete, and was not restored"
    try:
        with zipfile.ZipFile(archive_path) as archive:
            if archive.testzip() is not None:  # every member's CRC, before anything is used
                raise BackupError(f"{damaged}.")
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
                raise BackupError(f"{damaged}: not an OpenRAA backup of a version this release reads.")
            names = list(manifest["files"])
            members = set(archive.namelist())
            if FIXTURE not in members or any(FILES + name not in members for name in names):
                raise BackupError(f"{damaged}: files named in its manifest are missing.")
            archive.extract(FIXTURE, folder)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise BackupError(f"{damaged} ({error}).") from error
    return Read(folder / FIXTURE, names, str(manifest.get("created", "")), encrypted, archive_path, folder)


def restore_files(backup: Read, storage: Storage) -> None:
    """Put the archive's files back in the storage under their own names (a file of the same name is
    replaced; the storage would otherwise save beside it under a new one)."""
    if backup.archive is None:
        return
    with zipfile.ZipFile(backup.archive) as archive:
        for name in backup.files:
            with archive.open(FILES + name) as source:
                if storage.exists(name):
                    storage.delete(name)
                saved = storage.save(name, File(source, name=name))
            if saved != name:
                raise BackupError(f"The storage saved {name} as {saved}; restore into an empty storage.")
