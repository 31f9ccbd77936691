"""The mypy gate: the type errors of each file may only go down.

Runs mypy with pyproject's configuration and compares its error count per file with
mypy-baseline.txt. Fails when a file has more errors than recorded (a file not listed may have
none), when a pure module (pyproject's strict override) has any, and when a file has fewer
errors than recorded, so the baseline is lowered in the same commit as the fix:

    python tools/mypy_gate.py            # check (make lint)
    python tools/mypy_gate.py --update   # write the lower counts; refused if any count went up
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+: error: ")
HEADER = "# mypy errors per file, `python tools/mypy_gate.py --update` after fixing some; a count may only go down.\n"


def run_mypy() -> tuple[Counter[str], list[str]]:
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 2: mypy itself failed (configuration, crash)
        sys.exit(f"mypy did not run:\n{done.stdout}{done.stderr}")
    lines = done.stdout.splitlines()
    counts: Counter[str] = Counter()
    for line in lines:
        if match := ERROR.match(line):
            counts[match["path"]] += 1
    return counts, lines


def read_baseline() -> dict[str, int]:
    recorded = {}
    for line in BASELINE.read_text().splitlines() if BASELINE.exists() else []:
        if line.strip() and not line.startswith("#"):
            count, path = line.split()
            recorded[path] = int(count)
    return recorded


def is_pure(path: str) -> bool:
    """Whether pyproject's overrides make the file strict: the most specific module pattern decides
    (openraa.common.models over openraa.common.*), as in mypy."""
    module = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    strict = None
    for override in config["tool"]["mypy"]["overrides"]:
        if "disallow_untyped_defs" in override:
            for pattern in override["module"]:
                if pattern == module:
                    return bool(override["disallow_untyped_defs"])
                if pattern.endswith(".*") and (module + ".").startswith(pattern[:-1]):
                    strict = bool(override["disallow_untyped_defs"])
    return bool(strict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--update", action="store_true", help="write the current counts when none went up")
    update = parser.parse_args().update

    counts, lines = run_mypy()
    recorded = read_baseline()
    first = update and not BASELINE.exists()  # recording the baseline the first time
    worse = {} if first else {path: n for path, n in counts.items() if n > recorded.get(path, 0)}
    impure = {path: n for path, n in counts.items() if is_pure(path)}
    better = {path: n for path, n in recorded.items() if counts.get(path, 0) < n}

    for path in sorted(set(worse) | set(impure)):
        print("\n".join(line for line in lines if line.startswith(f"{path}:")))
    for path, n in sorted(impure.items()):
        print(f"{path}: {n} errors in a pure module (strict, no baseline): fix them")
    for path, n in sorted(worse.items()):
        print(f"{path}: {n} errors, the baseline allows {recorded.get(path, 0)}: fix the new ones")
    if worse or impure:
        return 1

    total = sum(counts.values())
    if update:
        BASELINE.write_text(HEADER + "".join(f"{counts[path]} {path}\n" for path in sorted(counts)))
        print(f"mypy-baseline.txt: {total} errors in {len(counts)} files")
        return 0
    if better:
        for path, n in sorted(better.items()):
            print(f"{path}: {counts.get(path, 0)} errors, fewer than the {n} recorded")
        print("Well done: lower the baseline with `python tools/mypy_gate.py --update` and commit it.")
        return 1
    print(f"mypy: {total} errors in {len(counts)} files, none more than mypy-baseline.txt allows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
