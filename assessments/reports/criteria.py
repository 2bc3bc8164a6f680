"""The report's criteria matrix: the 20–30 minute reduction under each published rule."""

from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from .. import display
from ..rules.profiles import MATRIX_TITLE
from .fonts import BOLD, REGULAR, markup
from .palette import GRID, HEAD_FILL

CRITERION_MARKS = {"yes": "✓ yes", "no": "✗ no", "pending": "… not yet", "not-applicable": "– n/a"}


def criteria_section(facts, frame_width, style):
    """The criteria matrix: the 20–30 minute reduction under each built-in profile, one row
    each, saying what it tested and what its source asks for that it did not check."""
    heading = Paragraph(markup(MATRIX_TITLE), style["heading"])
    rows = [["Reduction", "Rule", "Tested", "Why; not checked"]]
    for criterion in facts.criteria:
        why = criterion.why
        if criterion.not_checked:
            why += f"; {criterion.not_checked}"
        elif not criterion.applicable:
            why = f"not applicable: {why}"
        rows.append(
            [
                CRITERION_MARKS[criterion.status],
                criterion.profile.key,
                Paragraph(markup(display.keep_together(criterion.tested)), style["cell"]),
                Paragraph(markup(display.keep_together(why)), style["cell"]),
            ]
        )
    widths = [44, 76, 176]
    table = Table(rows, colWidths=[*widths, frame_width - sum(widths)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.35, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
            ]
        )
    )
    key = Paragraph(markup(matrix_key(facts.criteria)), style["small"])
    return [KeepTogether([heading, table, Spacer(0, 2), key]), Spacer(0, 6)]


def matrix_key(criteria):
    """Under the matrix: a row is the reduction only; what the sources also ask for."""
    also = "; ".join(
        f"{criterion.profile.key}: {criterion.not_checked_detail}"
        for criterion in criteria
        if criterion.not_checked_detail
    )
    key = "Each row tests the 20–30 minute reduction only, not a payer's or guideline's criteria."
    return f"{key} Not checked here — {also}." if also else key
