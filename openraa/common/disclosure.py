"""Small-number suppression: the one rule for every aggregate page, API answer and file. Plain Python, no Django.

Who sees which council's counts exactly (a `Viewer`; people/policy.disclosure_viewer gives a user's):
a council's counts, and the averages built on them, are exact for a viewer who sees that council's records in full; every other council's are
suppressed. Board members and finance officers see no record, so every council is suppressed for
them; a council's social worker sees their own council's children, so only their own council is
exact; roles that reach every council's children in full (by the information-sharing agreement, or
through the child-level national return) see every count. Children's counts follow the child
records, households' counts the household records. A total over councils is exact only when every
council in it is.

Primary suppression: a count from 1 to 4 is shown as "<5" (0 is shown: it describes nobody).
Secondary suppression: no combination of the cells and totals an output shows may give a suppressed
count away. Every additive relation among the cells of one output (a page, a pack) is declared as a
line, `members` adding up to `total` (councils to the agency, years to the 3-year window, quarters to
their year, the wait bands to the children waiting, a part and its complement to the whole). Cells
the viewer knows exactly (their own council's) are known to the reader; so is any sum of the other
councils that a total less the known cells gives away, which is protected like a cell of its own.
Then:
1. whenever a line leaves exactly one cell unknown and that cell is protected, the smallest other
   non-zero cell of the line that the reader does not know anyway is withheld too ("[c]");
2. then the whole system of lines is solved exactly (Gaussian elimination): if any protected
   cell is still determined by what is shown, another cell of its lines is withheld, and both steps
   repeat until no protected count can be worked out.
Cells that are never shown (a complement, a year not on the page) take part as unknowns.

An average (days) is shown only when the count of children behind it is shown: its days add up along
the same lines as the counts, so the same withheld cells protect them.

Every output a viewer can ask for is protected together (performance/present.py registers every year
the pages offer in one `Disclosure`), so that asking for two years and subtracting gives nothing away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np

SMALL = 5
LOW = "<5"
WITHHELD = "[c]"
KEY_NOTE = (
    f'"{LOW}": fewer than {SMALL} children or households, not shown. "{WITHHELD}": withheld so that a '
    "small number cannot be worked out from the totals."
)

CHILDREN, HOUSEHOLDS = "children", "households"

Key = Hashable


@dataclass(frozen=True)
class Viewer:
    """Whose counts one viewer sees exactly: council codes (ONS) per kind of record, or every
    council of that kind (`all_children`, `all_households`)."""

    children: frozenset[str] = frozenset()
    households: frozenset[str] = frozenset()
    all_children: bool = False
    all_households: bool = False

    def exact(self, council: str | None, kind: str = CHILDREN) -> bool:
        """Whether the count of this council (None: a total over councils) is shown exactly."""
        every, some = (self.all_children, self.children) if kind == CHILDREN else (self.all_households, self.households)
        return every or (council is not None and council in some)

    @property
    def everything(self) -> bool:
        return self.all_children and self.all_households

    @property
    def nothing(self) -> bool:
        return not (self.children or self.households or self.all_children or self.all_households)


NOBODY = Viewer()  # the board's view: every count suppressed
EVERYONE = Viewer(all_children=True, all_households=True)  # nothing suppressed


def whole_percents(amounts: Mapping[Key, Fraction | Decimal | int]) -> dict[Key, int]:
    """Each party's share of the whole in whole percent, adding up to 100 (largest remainder; ties
    to the party named first). For money worked out from counts the viewer may not see exactly: an
    exact amount would let them solve for the counts (see the README)."""
    keys = list(amounts)
    values = [Fraction(amounts[k]) for k in keys]
    whole = sum(values, Fraction(0))
    if whole <= 0 or any(v < 0 for v in values):
        return dict.fromkeys(keys, 0)
    exact = [100 * v / whole for v in values]
    floors = [int(e) for e in exact]
    order = sorted(range(len(keys)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: 100 - sum(floors)]:
        floors[i] += 1
    return dict(zip(keys, floors))


def count_text(viewer: Viewer, n: int, council: str | None, kind: str = CHILDREN) -> str:
    """One count shown on its own (no total beside it that could give it away)."""
    if viewer.exact(council, kind) or n == 0 or n >= SMALL:
        return f"{n:,}"
    return LOW


class Disclosure:
    """Collect the cells of one output, their lines, then `resolve()` and read `text(key)`.

    `viewer`: a `Viewer`, or True (suppress every council: the board's view) / False (nothing)."""

    def __init__(self, viewer: Viewer | bool = True, small: int = SMALL, *, active: bool | None = None):
        if active is not None:
            viewer = active
        if isinstance(viewer, bool):
            viewer = NOBODY if viewer else EVERYONE
        self.viewer = viewer
        self.small = small
        self.values: dict[Key, int] = {}
        self._shown: set[Key] = set()
        self.pinned: set[Key] = set()  # known exactly to the viewer: never suppressed, never withheld
        self.lines: list[tuple[tuple[Key, ...], Key]] = []
        self.low: set[Key] = set()
        self.secondary: set[Key] = set()
        self._resolved = False
        self._derived = 0

    @property
    def active(self) -> bool:
        return not self.viewer.everything

    def cell(self, key: Key, value: int, shown: bool = True, council: str | None = None, kind: str = CHILDREN) -> Key:
        """Register a count: whose it is (`council`, None for a total over councils) and of which
        records (`kind`); `shown=False` for a cell that takes part in lines but is never shown.
        A key registered as shown anywhere is shown."""
        if key in self.values and self.values[key] != value:
            raise ValueError(f"{key!r} registered with two values: {self.values[key]} and {value}")
        self.values[key] = value
        if shown:
            self._shown.add(key)
        if self.viewer.exact(council, kind):
            self.pinned.add(key)
        self._resolved = False
        return key

    def is_shown(self, key: Key) -> bool:
        return key in self._shown

    @property
    def hidden(self) -> set[Key]:
        return set(self.values) - self._shown

    def line(self, members: Iterable[Key], total: Key) -> None:
        members = tuple(members)
        missing = [k for k in (*members, total) if k not in self.values]
        if missing:
            raise KeyError(f"Register cells before their line: {missing}")
        self.lines.append((members, total))
        # The total less the cells the viewer knows is the sum of the others: a number the reader
        # has, so it is protected like a cell (a council's worker must not learn that the other
        # councils together adopted 2 disabled children).
        others = [k for k in members if k not in self.pinned]
        if total not in self.pinned and len(others) >= 2 and len(others) < len(members):
            self._derived += 1
            rest = ("others", self._derived)
            self.values[rest] = sum(self.values[k] for k in others)
            self.lines.append((tuple(others), rest))
            self.lines.append(((rest, *(k for k in members if k in self.pinned)), total))
        self._resolved = False

    # Resolution ------------------------------------------------------------------------------
    def resolve(self) -> Disclosure:
        self.low, self.secondary = set(), set()
        self._resolved = True
        if not self.active:
            return self
        hidden = self.hidden
        sensitive = {k for k, v in self.values.items() if 0 < v < self.small and k not in self.pinned}
        self.low = sensitive - hidden
        unknown = (sensitive | hidden) - self.pinned
        index, cache = self._index(), dict[frozenset[Key], list[Key]]()
        while True:
            self._by_single_lines(sensitive, unknown)
            found = self._determined(sensitive, unknown, index, cache)
            if not found:
                break
            for target in found:
                if target in self.secondary:
                    continue
                if not self._withhold_for(target, unknown, index):
                    sensitive = sensitive - {target}  # the viewer's own cells give it away: nothing to hide
        self.secondary -= hidden
        return self

    def _candidates(self, cells: Iterable[Key], unknown: set[Key]) -> list[Key]:
        """Cells the reader knows that may be withheld, best first: the smallest count that is not
        0 (a 0 in a line whose total is 0 hides nothing)."""
        known = {k for k in cells if k not in unknown and k not in self.pinned}
        return sorted(known, key=lambda k: (self.values[k] == 0, self.values[k], str(k)))

    def _by_single_lines(self, sensitive: set[Key], unknown: set[Key]) -> None:
        changed = True
        while changed:
            changed = False
            for members, total in self.lines:
                cells = (*members, total)
                unknowns = [k for k in cells if k in unknown]
                if len(unknowns) != 1:
                    continue
                found = unknowns[0]
                if found in sensitive or found in self.secondary:
                    choice = self._candidates(members, unknown) or self._candidates((total,), unknown)
                    if not choice:
                        continue  # every other cell is the viewer's own: they know the cell anyway
                    self.secondary.add(choice[0])
                    unknown.add(choice[0])
                else:  # a cell that is never shown and protects nobody: the line gives it away
                    unknown.discard(found)
                changed = True

    def _index(self) -> dict[Key, list[int]]:
        index: dict[Key, list[int]] = defaultdict(list)
        for i, (members, total) in enumerate(self.lines):
            for k in (*members, total):
                index[k].append(i)
        return index

    def _group(
        self, start: Key, unknown: set[Key], index: dict[Key, list[int]]
    ) -> tuple[list[Key], list[tuple[Key, ...]]]:
        """The unknown cells that share lines with `start` (directly or through other unknown cells),
        with those lines."""
        cells, lines, todo = {start}, set(), [start]
        while todo:
            k = todo.pop()
            for i in index.get(k, ()):
                if i in lines:
                    continue
                lines.add(i)
                members, total = self.lines[i]
                for other in (*members, total):
                    if other in unknown and other not in cells:
                        cells.add(other)
                        todo.append(other)
        return list(cells), [(*self.lines[i][0], self.lines[i][1]) for i in sorted(lines)]

    def _determined(
        self,
        sensitive: set[Key],
        unknown: set[Key],
        index: dict[Key, list[int]],
        cache: dict[frozenset[Key], list[Key]],
    ) -> list[Key]:
        """The protected cells that the lines determine exactly, solving each group of unknown cells
        that share lines once (a group already solved is not solved again)."""
        done: set[Key] = set()
        found = []
        for target in sorted(sensitive & unknown, key=str):
            if target in done:
                continue
            cells, lines = self._group(target, unknown, index)
            done.update(cells)
            signature = frozenset(cells)
            if signature not in cache:
                cache[signature] = sorted(
                    (k for k in determined_cells(cells, lines, unknown) if k in sensitive), key=str
                )
            found += cache[signature]
        return found

    def _withhold_for(self, target: Key, unknown: set[Key], index: dict[Key, list[int]]) -> bool:
        """Withhold one more cell so that `target` is no longer determined, trying the cells of its
        own lines first, then those of every line of its group. False when nothing is left to
        withhold (every other cell is the viewer's own, so they know the target anyway)."""
        near = [c for i in index.get(target, ()) for c in (*self.lines[i][0], self.lines[i][1])]
        further = [c for line in self._group(target, unknown, index)[1] for c in line]
        candidates = list(dict.fromkeys([*self._candidates(near, unknown), *self._candidates(further, unknown)]))
        if not candidates:
            return False
        # The best candidate without trying each: the next round solves the group again and
        # withholds more if the target is still determined (trying them cost seconds a page).
        choice = candidates[0]
        self.secondary.add(choice)
        unknown.add(choice)
        return True

    # Reading ----------------------------------------------------------------------------------
    def withheld(self, key: Key) -> bool:
        if not self._resolved:
            self.resolve()
        return key in self.low or key in self.secondary

    def text(self, key: Key) -> str:
        if not self._resolved:
            self.resolve()
        if key in self.low:
            return LOW
        if key in self.secondary:
            return WITHHELD
        return f"{self.values[key]:,}"

    def value(self, key: Key) -> int | None:
        """The count, or None when it is withheld."""
        return None if self.withheld(key) else self.values[key]


_PRIME = 2_147_483_647  # 2**31 - 1: products of two residues fit in 64 bits


def determined_cells(cells: Iterable[Key], lines: Iterable[tuple[Key, ...]], unknown: set[Key]) -> set[Key]:
    """The unknown cells whose value the lines fix exactly, whatever the other unknowns are.

    Each line says members - total = (known numbers); only its coefficients on the unknowns matter.
    A cell is fixed when its unit vector is in the row space: in reduced row echelon form, a pivot
    whose row has no entry in a free column. The elimination runs modulo a large prime (numpy,
    exact integers): the coefficients are small integers, so the rank and the echelon form are
    those over the rationals unless the prime divides one of the matrix's minors."""
    names = sorted(cells, key=str)
    columns = {k: i for i, k in enumerate(names)}
    rows = []
    for line in lines:
        *members, total = line
        row = np.zeros(len(names), dtype=np.int64)
        for k in members:
            if k in unknown:
                row[columns[k]] += 1
        if total in unknown:
            row[columns[total]] -= 1
        if row.any():
            rows.append(row % _PRIME)
    if not rows:
        return set()
    a = np.array(rows, dtype=np.int64)
    pivots: list[int] = []
    r = 0
    for col in range(a.shape[1]):
        if r == a.shape[0]:
            break
        nonzero = np.nonzero(a[r:, col])[0]
        if not len(nonzero):
            continue
        p = r + nonzero[0]
        if p != r:
            a[[r, p]] = a[[p, r]]
        inverse = pow(int(a[r, col]), _PRIME - 2, _PRIME)
        a[r] = (a[r] * inverse) % _PRIME
        factors = a[:, col].copy()
        factors[r] = 0
        hit = np.nonzero(factors)[0]
        if len(hit):
            a[hit] = (a[hit] - (factors[hit, None] * a[r]) % _PRIME) % _PRIME
        pivots.append(col)
        r += 1
    determined = set()
    for i, col in enumerate(pivots):
        if np.count_nonzero(a[i]) == 1:
            determined.add(names[col])
    return determined
