"""Small-number suppression for aggregates shown to people who may not see the records behind them
(board members and finance officers). Pure Python.

Primary suppression: a count from 1 to 4 is shown as "<5" (0 is shown: it describes nobody).
Secondary suppression: a table's totals must not give a suppressed count away. Every additive
relation among the cells of one output (a page, a pack) is declared as a line, `members` adding up
to `total` (councils to the agency, years to the 3-year window, quarters to their year, the wait
bands to the children waiting, a part and its complement to the whole). Whenever a line leaves
exactly one cell unknown to the reader and that cell is protected, the smallest other non-zero cell
of the line is withheld too (shown as "[c]"); this repeats until no line gives a protected cell away.
Cells that are never shown (a complement, a year not on the page) take part as unknowns; one that
a line gives away becomes known to the reader and is treated as shown from then on.

An average (days) is shown only when the count of children behind it is shown.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

SMALL = 5
LOW = "<5"
WITHHELD = "[c]"
KEY_NOTE = (f'"{LOW}": fewer than {SMALL} children or households, not shown. "{WITHHELD}": withheld so that a '
            "small number cannot be worked out from the totals.")

Key = Hashable


class Disclosure:
    """Collect the cells of one output, their lines, then `resolve()` and read `text(key)`."""

    def __init__(self, active: bool, small: int = SMALL):
        self.active = active
        self.small = small
        self.values: dict[Key, int] = {}
        self._shown: set[Key] = set()
        self.lines: list[tuple[tuple[Key, ...], Key]] = []
        self.low: set[Key] = set()
        self.secondary: set[Key] = set()
        self._resolved = False

    def cell(self, key: Key, value: int, shown: bool = True) -> Key:
        """Register a count; `shown=False` for a cell that takes part in lines but is never shown.
        A key registered as shown anywhere is shown."""
        if key in self.values and self.values[key] != value:
            raise ValueError(f"{key!r} registered with two values: {self.values[key]} and {value}")
        self.values[key] = value
        if shown:
            self._shown.add(key)
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
        self._resolved = False

    def resolve(self) -> Disclosure:
        self.low, self.secondary = set(), set()
        self._resolved = True
        if not self.active:
            return self
        hidden = self.hidden
        sensitive = {k for k, v in self.values.items() if 0 < v < self.small}
        self.low = sensitive - hidden
        unknown = sensitive | hidden
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
                    known = [k for k in members if k not in unknown] or [total]
                    # The smallest count that is not 0: a 0 in a line whose total is 0 hides nothing.
                    choice = min(known, key=lambda k: (self.values[k] == 0, self.values[k], str(k)))
                    self.secondary.add(choice)
                    unknown.add(choice)
                else:  # a cell that is never shown and protects nobody: the line gives it away
                    unknown.discard(found)
                changed = True
        self.secondary -= hidden
        return self

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
