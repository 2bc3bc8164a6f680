"""Small-number suppression that holds across ranges: figures are sums of monthly cells, and
each cell is released or not on its own month's data alone.

A cell is one clinic month of one group (a proceduralist, a technique, an agent, a sedation
level; or the whole clinic; or one cause of non-diagnostic blocks). The month's groups of a
grouping are suppressed together (`suppress`: fewer than SMALL patients, then the next
smallest while the hidden ones may hold fewer than SMALL), and so are its causes
(`suppressed_counts`). A month of fewer than SMALL patients is left out of everything.

A range's figure is the sum of its released cells. Whether a cell is released never depends
on the range asked for, so two ranges (or any number of them, added and subtracted) differ
by released cells only: differencing gives back at most what a month-by-month table with
the same suppression shows, never a group of fewer than SMALL patients.
"""

from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .groups import Group

SMALL = 5  # a group with fewer patients than this is not shown
SUPPRESSED = f"< {SMALL}"
# A group of SMALL patients or more hidden so that a smaller one cannot be worked out.
WITHHELD = "hidden"


def suppress(groups: "list[Group]") -> "list[Group]":
    """Hide every group of fewer than SMALL patients; then, while the hidden groups together
    may hold fewer than SMALL patients, hide the smallest shown one too, so the total minus
    the shown groups does not give a small number back. A patient can be in several hidden
    groups (two techniques), so the hidden groups together are only known to hold as many
    patients as the largest of them."""
    hidden = [g for g in groups if g.injections and g.patients < SMALL]
    shown = sorted(
        (g for g in groups if g.patients >= SMALL), key=lambda g: (g.patients, g.injections)
    )
    while hidden and shown and max(g.patients for g in hidden) < SMALL:
        hidden.append(shown.pop(0))
    return [replace(g, suppressed=any(g is h for h in hidden)) for g in groups]


def suppressed_counts(counts: list[int]) -> list[bool]:
    """Which of these counts (parts of a known total) to hide: every one under SMALL, then,
    while one alone is hidden or the hidden ones sum to under SMALL, the smallest shown one
    too, so no hidden count is the total minus the shown ones."""
    hidden = {i for i, n in enumerate(counts) if 0 < n < SMALL}
    shown = sorted((n, i) for i, n in enumerate(counts) if n >= SMALL)
    while hidden and shown and (len(hidden) < 2 or sum(counts[i] for i in hidden) < SMALL):
        hidden.add(shown.pop(0)[1])
    return [i in hidden for i in range(len(counts))]


def hidden_word(small_parts: list[bool]) -> str:
    """What a row made only of hidden cells shows: "< 5" when every cell was small itself,
    "hidden" when one was hidden with a small one (it is not small)."""
    return SUPPRESSED if all(small_parts) else WITHHELD


def summed(rows: list[dict[str, Any]], names: list[str]) -> dict[str, int]:
    """The additive figures `names` of several cells, added up."""
    return {name: sum(row[name] for row in rows) for name in names}
