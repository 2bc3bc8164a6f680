"""CSV cells a spreadsheet will not run: OWASP's CSV-injection defence, and the line writer.

A text cell starting with =, +, -, @, a tab or a carriage return is read by Excel and
LibreOffice as a formula; a leading single quote makes it text again. A spreadsheet set to
another separator (European Excel splits on ";") or confused by a quote can start a cell
inside the text, after a ";", a "," or a line break: there the quote goes in too
("x;=1+1" is written "x;'=1+1"). Numbers are written as numbers and left alone (a
baseline's "-5" minutes is a number, not a formula); the risk is free text: notes, MRNs,
medicines, names.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

# What a cell holds before it is written: text, a number, or nothing.
Cell = str | int | float | Decimal | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a cell: the start, or after a separator or a line break,
# before a formula character (a lookahead, so "\t\t=" gets a quote before each).
SEPARATORS = ";,\t\r\n"
CELL_START_FORMULA = re.compile(
    f"(^|[{re.escape(SEPARATORS)}])(?=[{re.escape(''.join(FORMULA_STARTS))}])"
)


def spreadsheet_safe(value: Cell) -> str | int | float | Decimal:
    """A cell's value as written: None as empty, text that could run as a formula quoted
    wherever a spreadsheet might start a cell in it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return CELL_START_FORMULA.sub(r"\1'", value)
    return value


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


class _Line:
    """The file csv.writer writes to: hands back what it was given."""

    def write(self, text: str) -> str:
        return text


class CsvLines:
    """Rows as CSV text (RFC 4180, CRLF), every cell made spreadsheet-safe."""

    def __init__(self) -> None:
        self.writer = csv.writer(_Line())

    def row(self, cells: Iterable[Any]) -> str:
        # csv.writer returns what the file's write() returned: _Line hands the text back.
        line: str = self.writer.writerow([spreadsheet_safe(cell) for cell in cells])
        return line

    def rows(self, rows: Iterable[Iterable[Any]]) -> str:
        return "".join(self.row(cells) for cells in rows)


def csv_chunks(
    header: Iterable[str],
    row_batches: Iterable[Iterable[Iterable[Any]]],
    *,
    byte_order_mark: bool = True,
    flush_at: int = 64 * 1024,
) -> Iterator[bytes]:
    """A CSV file's bytes, about `flush_at` at a time: the header, then each batch of rows.

    The byte-order mark tells Excel the file is UTF-8 (REDCap's importer wants none).
    """
    lines = CsvLines()
    pending = [("\ufeff" if byte_order_mark else "") + lines.row(header)]
    size = 0
    for rows in row_batches:
        text = lines.rows(rows)
        pending.append(text)
        size += len(text)
        if size >= flush_at:
            yield "".join(pending).encode()
            pending, size = [], 0
    yield "".join(pending).encode()
