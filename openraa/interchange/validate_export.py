"""Run the public SSDA903 validator (csc-validator-be-903, `lac_validator`) over OpenRAA exports.

Run it with the validator's own Python, never the project's (the validator pins old pandas and
numpy), one export folder per argument:

    /tmp/validator-venv/bin/python openraa/interchange/validate_export.py OUT_DIR [OUT_DIR ...] [--json]
    /tmp/validator-venv/bin/python openraa/interchange/validate_export.py --rulesets

Each folder holds the tables `openraa export_ssda903` writes and its openraa-export.json (the
council's ONS code, the collection year, its rule set, and the values OpenRAA does not hold). Every
rule of the year's rule set runs (the nearest earlier one when the installed validator has none for
the year; the result names the one that ran); a flag counts against the export unless the flagged row's child has a value OpenRAA does
not hold (a "gap") among the fields the rule checks: those flags are listed as "not held" and do
not fail. Exit status 1 when any other flag is raised, 2 when the validator could not run.
`--rulesets` prints the rule sets the installed validator has (lac2022_23, ...), as JSON.

This file imports nothing from OpenRAA: it runs in the validator's environment.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import logging
import sys
from collections import Counter, defaultdict
from pathlib import Path

TABLE_FILES = ("header.csv", "episodes.csv", "ad1.csv", "placed_for_adoption.csv", "dolo.csv")
# Fields the validator derives from others: a gap in the source is a gap in the derived field.
DERIVED = {
    "PL_LA": ("PL_POST",),
    "PL_LOCATION": ("PL_POST",),
    "PL_DISTANCE": ("PL_POST", "HOME_POST"),
    "UASC": ("UASC",),
    "UASC_STATUS": ("UASC",),
}


def rulesets() -> list[str]:
    """The rule sets of the installed validator, oldest first: lac2022_23, lac2023_24, ..."""
    from lac_validator import rules  # noqa: PLC0415  (installed in the validator's own environment only)

    folder = Path(next(iter(rules.__path__)))
    return sorted(
        p.name for p in folder.iterdir() if p.is_dir() and p.name.startswith("lac") and (p / "__init__.py").exists()
    )


def _ruleset(wanted: str):
    available = rulesets()
    if wanted not in available:
        earlier = [name for name in available if name <= wanted]
        wanted = earlier[-1] if earlier else available[0]  # the nearest rule set the validator has
    return wanted, importlib.import_module(f"lac_validator.rules.{wanted}").registry


def validate(folder: Path) -> dict:
    from lac_validator.lac_validator import LacValidator  # noqa: PLC0415  (as above)
    from lac_validator.types import UploadedFile  # noqa: PLC0415  (as above)

    if not (folder / "openraa-export.json").exists():
        raise FileNotFoundError(f"{folder} is not an OpenRAA export: it has no openraa-export.json")
    meta = json.loads((folder / "openraa-export.json").read_text())
    ends = int(meta["collection_year"][1][:4])  # the validator names a collection year by the year it ends in
    name, registry = _ruleset(meta.get("ruleset") or f"lac{ends - 1}_{ends % 100:02d}")
    files = [
        UploadedFile(name=str(folder / f), description="This year", file_content=(folder / f).read_bytes())
        for f in TABLE_FILES
        if (folder / f).exists()
    ]
    metadata = {"collectionYear": str(ends), "localAuthority": meta["local_authority"]}
    with contextlib.redirect_stdout(io.StringIO()):  # some rules print
        validator = LacValidator(metadata=metadata, files=files, registry=registry)

    gaps: dict[str, set[str]] = defaultdict(set)
    for gap in meta["gaps"]:
        gaps[gap["child"]].add(gap["field"])
    flags, not_held = Counter(), Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for table, frame in validator.ds_results.items():
        if table == "metadata" or not hasattr(frame, "columns"):
            continue
        for column in (c for c in frame.columns if str(c).startswith("ERR_")):
            code = column[4:]
            rule = registry.get(code, None)
            fields = set(getattr(rule, "affected_fields", []) or [])
            for f in list(fields):
                fields.update(DERIVED.get(f, ()))
            for child in map(str, frame.loc[frame[column] == True, "CHILD"]):  # noqa: E712 (pandas mask)
                if fields & gaps.get(child, set()):
                    not_held[code] += 1
                else:
                    flags[code] += 1
                    if len(examples[code]) < 5:
                        examples[code].append(f"{table}:{child}")
    messages = {code: registry[code].message for code in (*flags, *not_held) if code in registry}
    return {
        "folder": str(folder),
        "council": meta["council"],
        "year": meta["year"],
        "ruleset": name,
        "rows": meta["rows"],
        "rules": len(registry),
        "rules_run": len(validator.dones),
        "rules_skipped": len(validator.skips),
        "rules_failed_to_run": sorted(map(str, validator.fails)),
        "flags": dict(sorted(flags.items())),
        "not_held": dict(sorted(not_held.items())),
        "examples": dict(examples),
        "messages": messages,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--json", action="store_true", help="Print the results as JSON")
    parser.add_argument("--rulesets", action="store_true", help="Print the validator's rule sets as JSON and stop")
    args = parser.parse_args(argv)
    if args.rulesets:
        print(json.dumps(rulesets()))
        return 0
    if not args.folders:
        parser.error("give at least one export folder")
    logging.disable(logging.CRITICAL)  # the validator logs every rule at INFO
    try:
        results = [validate(folder) for folder in args.folders]
    except Exception as error:  # the validator itself failed: say so, do not pass
        print(f"The validator could not run: {error!r}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        for r in results:
            rows = ", ".join(f"{table} {n}" for table, n in r["rows"].items())
            print(
                f"{r['council']} {r['year']} ({r['ruleset']}, {r['rules_run']} rules run, "
                f"{r['rules_skipped']} skipped for tables not exported): {rows}"
            )
            for code, n in r["flags"].items():
                print(f"  FLAG {code} x{n}: {r['messages'].get(code, '')} e.g. {', '.join(r['examples'][code])}")
            if r["rules_failed_to_run"]:
                print(f"  rules the validator could not run: {', '.join(r['rules_failed_to_run'])}")
            held = ", ".join(f"{code} x{n}" for code, n in r["not_held"].items())
            print(
                f"  {sum(r['flags'].values())} flags on records OpenRAA holds complete"
                + (f"; on values OpenRAA does not hold: {held}" if held else "")
            )
    return 1 if any(r["flags"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
