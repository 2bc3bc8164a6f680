"""The report's criteria matrix: the 20–30 minute reduction under each published rule.

One row per built-in profile: whether the reduction meets it, what the row tested, and what
the source asks for that the row did not check (the page shows the details too). Compact on
purpose: with it the usual report still fits one page.
"""

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from .. import display
from ..rules.profiles import MATRIX_TITLE, Criterion
from .coverage import coverage_rows
from .data import ReportFacts
from .fonts import markup
from .palette import GRID

# The report's paragraph styles by name (sections.styles).
Styles = dict[str, ParagraphStyle]
CRITERION_MARKS = {"yes": "✓ yes", "no": "✗ no", "pending": "… not yet", "not-applicable": "– n/a"}


def row_text(criterion: Criterion) -> str:
    """ "✓ yes  CMS-LCD-2023@2 (≥ 75 % reduction, …): reading at 25 min, 1/10, is 87.5 %;
    duration of relief and coverage criteria are not part of this row"."""
    if not criterion.applicable:
        why = f"not applicable: {criterion.why}"
    elif criterion.not_checked:
        why = f"{criterion.why}; {criterion.not_checked}"
    else:
        why = criterion.why
    return (
        f"{CRITERION_MARKS[criterion.status]}  <b>{markup(criterion.profile.key)}</b> "
        f"({markup(display.keep_together(criterion.tested))}): "
        f"{markup(display.keep_together(why))}"
    )


def criteria_section(facts: ReportFacts, frame_width: float, style: Styles) -> list[Flowable]:
    """The criteria matrix: the 20–30 minute reduction under each built-in profile."""
    cell = ParagraphStyle("matrix", parent=style["cell"], fontSize=7.5, leading=8.8)
    heading = Paragraph(markup(MATRIX_TITLE), style["heading"])
    rows = [[Paragraph(row_text(criterion), cell)] for criterion in facts.criteria]
    rows += coverage_rows(facts, cell)
    table = Table(rows, colWidths=[frame_width])
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, GRID),
                ("LINEBELOW", (0, 0), (-1, -1), 0.35, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.4),
            ]
        )
    )
    return [KeepTogether([heading, table]), Spacer(0, 6)]
