"""The statistics as rows: the page's tables and the CSV share the columns and their cells."""

from .. import display
from ..exports.cells import CsvLines
from .figures import FINAL, GROUPINGS, Statistics

COLUMNS = {
    "injections": "Injections",
    "pending": "Pending",
    **{outcome.value: display.SHORT_OUTCOME[outcome] for outcome in FINAL},
    "signed": "Signed",
    "overridden": "Overridden",
    "diary": "Diary complete",
    "relief": "Relief ended",
}
LEFT_OUT = "months_left_out"  # months whose cell of the group was not released


def plain(cell: str) -> str:
    """A figure without its display spacing and unit: "42.1 %" → "42.1"."""
    return cell.replace("\u00a0%", "").replace("\u00a0", " ")


def csv_text(figures: Statistics) -> str:
    """The page's table as CSV: one row per group, the whole range first; rates in percent of
    the decided injections (signed: of all; overridden: of the signed; diary: of the slots of
    diaries that have ended); "< 5" or "hidden" where a group is suppressed, and how many
    months each row leaves out (suppression.py)."""
    lines = CsvLines()
    header = ["grouping", "group"]
    header += [f"{name} (%)" if name in rate_columns() else name for name in COLUMNS]
    header.append(LEFT_OUT)
    rows = [("all", figures.total, len(figures.left_out_months))] + [
        (grouping, group, group.left_out)
        for grouping in GROUPINGS
        for group in figures.groupings[grouping]
    ]
    return lines.row(header) + lines.rows(
        [grouping, group.label, *(plain(group.cells[name]) for name in COLUMNS), left_out]
        for grouping, group, left_out in rows
    )


def rate_columns() -> set[str]:
    return {outcome.value for outcome in FINAL} | {"signed", "overridden", "diary"}
