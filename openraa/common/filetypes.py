"""What an uploaded file is, judged by its bytes, never by its name or the browser's word. Pure Python.

A case record takes the formats its documents are written in (PDF, Word's and OpenDocument's
text, scans as PNG or JPEG, plain text). Anything else - a program, a macro-enabled or old
binary Office file, an archive, HTML that a browser would run - is refused, whatever it is named.
"""

import io
import zipfile
from dataclasses import dataclass
from typing import IO, Final


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extension: str


PDF: Final = FileType("PDF", "application/pdf", "pdf")
DOCX: Final = FileType(
    "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
ODT: Final = FileType("OpenDocument text", "application/vnd.oasis.opendocument.text", "odt")
PNG: Final = FileType("PNG image", "image/png", "png")
JPEG: Final = FileType("JPEG image", "image/jpeg", "jpg")
TEXT: Final = FileType("Plain text", "text/plain", "txt")
ACCEPTED: Final = (PDF, DOCX, ODT, PNG, JPEG, TEXT)
ACCEPTED_LABELS: Final = "PDF, Word (.docx), OpenDocument text (.odt), PNG, JPEG or plain text"

_ZIP = b"PK\x03\x04"
# A text file's first bytes: tags a browser would render as a page are refused (stored XSS).
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml")


def identify(head: bytes, opened_zip: zipfile.ZipFile | None = None) -> FileType | None:
    """The accepted type these first bytes (at least 8 KiB, or the whole file if shorter) start, or
    None. A ZIP container is a document only when its parts say so: pass it opened."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(_ZIP):
        return _office(opened_zip) if opened_zip is not None else None
    return TEXT if _plain_text(head) else None


def _office(archive: zipfile.ZipFile) -> FileType | None:
    names = set(archive.namelist())
    if "mimetype" in names and archive.read("mimetype").strip() == ODT.content_type.encode():
        return ODT
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        # Macros live in vbaProject.bin: a .docm renamed .docx is still refused.
        return None if any(name.lower().endswith("vbaproject.bin") for name in names) else DOCX
    return None


def _plain_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as cut:
        if cut.start < len(head) - 3:  # not just a character cut in two by the 8 KiB sample
            return False
        text = head[: cut.start].decode("utf-8")
    lowered = text.lstrip().lower().encode()
    return not lowered.startswith(_MARKUP)


def identify_file(stream: IO[bytes]) -> FileType | None:
    """The type of a whole file held in a seekable binary stream (left at its start)."""
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if not head.startswith(_ZIP):
        return identify(head)
    try:
        with zipfile.ZipFile(stream) as archive:
            return identify(head, archive)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        stream.seek(0)


def identify_bytes(content: bytes) -> FileType | None:
    return identify_file(io.BytesIO(content))
