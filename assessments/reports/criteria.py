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
                Paragraph(markup(criterion.tested), style["cell"]),
                Paragraph(markup(display.keep_together(why)), style["cell"]),
            ]
        )
    widths = [48, 84, 130]
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
    key = Paragraph(
        "Each row tests only the 20–30 minute reduction under that rule; it is not a finding "
        "that a payer's or a guideline's other criteria are met.",
        style["small"],
    )
    return [KeepTogether([heading, table, Spacer(0, 2), key]), Spacer(0, 6)]
