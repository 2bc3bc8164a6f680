"""The dashboard's rows (Group) and the query's rows as monthly cells (MonthlyCells): which
cells are released, and each row's figures as the sum of its released cells."""

from dataclasses import dataclass
from decimal import Decimal

from .. import display, rules
from .sql import Row
from .suppression import (
    SMALL,
    SUPPRESSED,
    WITHHELD,
    hidden_word,
    summed,
    suppress,
    suppressed_counts,
)

FINAL = rules.FINAL_OUTCOMES  # the columns, in the rule's order
CAUSES = {
    **rules.NON_DIAGNOSTIC_CAUSES,
    "signed": "signed non-diagnostic against the computed result",
    "not_recorded": "cause not recorded",
}
GROUPINGS = {
    "month": "Month",
    "proceduralist": "Proceduralist",
    "guidance": "Image guidance",
    "anaesthetic_agent": "Anaesthetic",
    "sedation": "Sedation",
}


@dataclass
class Group:
    """One row: a month, a proceduralist, a guidance, an agent or a sedation level."""

    key: object
    label: str
    counts: Row
    suppressed: bool = False
    # The median end of relief: (from, to) minutes.
    relief: tuple[Decimal | None, Decimal | None] | None = None
    # Months whose cell of this group was not released (its figures leave them out).
    left_out: int = 0
    hidden_words: str | None = None  # what a suppressed row shows, from its cells

    def __getattr__(self, name: str) -> int:
        """A figure of `counts` by name: group.injections, group.signed…"""
        counts = self.__dict__.get("counts", {})
        if name in counts:
            figure: int = counts[name]
            return figure
        raise AttributeError(name)

    @property
    def decided(self) -> int:
        return self.injections - self.pending

    def rate(self, name: str) -> str:
        return display.rate(self.counts[name], self.decided)

    @property
    def cells(self) -> dict[str, str]:
        """The row's figures as the page and the CSV write them ("< 5" or "hidden" when
        suppressed)."""
        figures = {
            "injections": str(self.injections),
            "pending": str(self.pending),
            **{outcome.value: self.rate(outcome.value) for outcome in FINAL},
            "signed": display.rate(self.signed, self.injections),
            "overridden": display.rate(self.overridden, self.signed),
            "diary": display.rate(self.diary_filled, self.diary_slots),
        }
        if self.relief is not None:
            low, high = self.relief
            figures["relief"] = f"{display.duration(low)}–{display.duration(high)}"
        else:
            figures["relief"] = "—"
        if self.suppressed:
            return dict.fromkeys(figures, self.hidden_as)
        return figures

    @property
    def hidden_as(self) -> str:
        """What a suppressed group shows: "< 5", or "hidden" for a group hidden with a small
        one."""
        if self.hidden_words is not None:
            return self.hidden_words
        return SUPPRESSED if self.patients < SMALL else WITHHELD


# The figures that add up across cells (patients do not: one can be in several months).
DISTINCT = ("patients", "relief_patients")


class MonthlyCells:
    """The query's rows as monthly cells, and which are released (suppression.py)."""

    def __init__(self, rows: list[Row]):
        self.rows = rows
        self.names = [
            name
            for name in rows[0]
            if name not in ("grouping_name", "group_key", "group_value", "group_month")
        ]
        self.additive = [name for name in self.names if name not in DISTINCT]
        by_month = {row["group_key"]: row for row in self.range_rows("month")}
        self.released = {month for month, row in by_month.items() if row["patients"] >= SMALL}
        self.left_out = sorted(month for month in by_month if month not in self.released)
        self.month_rows = [by_month[month] for month in sorted(self.released)]
        # (grouping, group key) → {month: (released, small, the cell's row)}.
        self.cells: dict[tuple[str, object], dict[str, tuple[bool, bool, Row]]] = {}
        for grouping in GROUPINGS:
            if grouping != "month":
                self.decide(grouping)

    def range_rows(self, grouping: str) -> list[Row]:
        return [
            row
            for row in self.rows
            if row["grouping_name"] == grouping and row["group_month"] is None
        ]

    def decide(self, grouping: str) -> None:
        """Release the cells of `grouping` month by month: in a released month, suppress()
        its groups together; a month left out releases none."""
        per_month: dict[str, list[Row]] = {}
        for row in self.rows:
            if row["grouping_name"] == grouping and row["group_month"] is not None:
                per_month.setdefault(row["group_month"], []).append(row)
        for month, rows in per_month.items():
            groups = [Group(row["group_key"], "", row) for row in rows]
            decided = suppress(groups) if month in self.released else groups
            for row, group in zip(rows, decided, strict=True):
                released = month in self.released and not group.suppressed
                cell = (released, row["patients"] < SMALL, row)
                self.cells.setdefault((grouping, row["group_key"]), {})[month] = cell

    def total(self) -> Row:
        return {**summed(self.month_rows, self.additive), "patients": self.all_patients()}

    def all_patients(self) -> int:
        patients: int = next(r for r in self.rows if r["grouping_name"] == "all")["patients"]
        return patients

    def group_row(self, grouping: str, row: Row, key_label: tuple[object, str]) -> Group:
        """A group's row over the range: the sum of its released monthly cells (a month's
        row: the month itself, when released)."""
        if grouping == "month":
            shown = row["group_key"] in self.released
            return Group(*key_label, row, suppressed=not shown, hidden_words=SUPPRESSED)
        cells = self.cells.get((grouping, row["group_key"]), {}).values()
        released = [cell for shown, _, cell in cells if shown]
        hidden = [small for shown, small, _ in cells if not shown]
        counts = {**summed(released, self.additive), "patients": row["patients"]}
        counts["relief_patients"] = row["relief_patients"]
        return Group(
            *key_label,
            counts,
            suppressed=not released,
            left_out=len(hidden) if released else 0,
            hidden_words=hidden_word(hidden) if not released else None,
        )

    def relief_shown(self, group: Group) -> bool:
        """Medians are not sums: an agent's are shown only when every month of its range
        is released and holds none or SMALL or more patients whose relief was assessed."""
        if group.suppressed or group.left_out or group.relief_patients < SMALL:
            return False
        cells = self.cells.get(("anaesthetic_agent", group.key), {}).values()
        return all(
            cell["relief_patients"] == 0 or cell["relief_patients"] >= SMALL for _, _, cell in cells
        )

    def causes(self) -> list[tuple[str, str, str, bool]]:
        """(words, count, share of the non-diagnostic, partial) of each cause met in the
        released months. A cause's count adds up its released monthly counts: in each month
        a count under SMALL injections is hidden, and the next smallest while the hidden
        ones could be worked out; a cause with none released shows "< 5" or "hidden"."""
        total = sum(row[rules.Outcome.NON_DIAGNOSTIC.value] for row in self.month_rows)
        shown = dict.fromkeys(CAUSES, 0)
        hidden_small: dict[str, list[bool]] = {key: [] for key in CAUSES}
        for row in self.month_rows:
            counts = [row[f"cause_{key}"] for key in CAUSES]
            for key, n, hidden in zip(CAUSES, counts, suppressed_counts(counts), strict=True):
                if hidden:
                    hidden_small[key].append(n < SMALL)
                else:
                    shown[key] += n
        listed = []
        for key, words in CAUSES.items():
            if shown[key]:
                share = display.rate(shown[key], total)
                listed.append((words, str(shown[key]), share, bool(hidden_small[key])))
            elif hidden_small[key]:
                listed.append((words, hidden_word(hidden_small[key]), "—", False))
        return listed
