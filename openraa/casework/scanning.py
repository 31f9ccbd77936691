"""The virus-scan hook: each uploaded file goes through the agency's scanner before it is stored.
The scanner is a command reading the file on its standard input (clamdscan's `-` convention):
exit 0 clean, 1 infected, anything else a failure - and a file that could not be checked is not
stored either."""

import shlex
import shutil
import subprocess
from enum import StrEnum

from django.conf import settings


class Verdict(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    FAILED = "failed"
    NOT_SCANNED = "not_scanned"  # no scanner on this server


def scanner_command() -> list[str] | None:
    configured = settings.OPENRAA_VIRUS_SCAN_COMMAND
    if configured.lower() == "off":
        return None
    if configured:
        return shlex.split(configured)
    found = shutil.which("clamdscan")
    return [found, "--no-summary", "--fdpass", "-"] if found else None


def scan(stream) -> Verdict:
    command = scanner_command()
    if command is None:
        return Verdict.NOT_SCANNED
    stream.seek(0)
    try:
        # A file in memory has no descriptor to hand over: its bytes go through a pipe instead.
        finished = subprocess.run(command, input=stream.read(), capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return Verdict.FAILED
    finally:
        stream.seek(0)
    return {0: Verdict.CLEAN, 1: Verdict.INFECTED}.get(finished.returncode, Verdict.FAILED)
