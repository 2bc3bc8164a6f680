"""The report's work-up and coverage lines: the series result and each checklist, compact.

Two rows under the criteria matrix: the series and the work-up; each checklist naming only
its unmet and unknown items, and the coding hints. Compact so the usual report keeps to one
page (the page shows every item with its why).
"""

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from ..coverage_facts import Coverage
from ..rules.coverage import STATUS_WORDS, UNKNOWN, UNMET, Checklist
from .data import ReportFacts
from .fonts import markup


def series_text(coverage: Coverage, purpose: str) -> str:
    text = f"{purpose} block"
    if coverage.confirms is not None:
        text += f", confirming injection #{coverage.confirms.pk}"
    if coverage.confirmed_by:
        text += ", confirmed by " + ", ".join(f"#{later.pk}" for later in coverage.confirmed_by)
    if coverage.series:
        text += f": <b>{markup(coverage.series)}</b>"
    work_up = coverage.work_up
    if work_up is None:
        text += ". No work-up in the 12 months before the block"
    else:
        text += f". Work-up {work_up.examined_on:%d %b %Y}: provocation {work_up.provocation_text}"
    if coverage.retest:
        text += f"; {coverage.retest}"
    return text + "."


def checklist_text(checklist: Checklist) -> str:
    """ "<b>CMS-L39402@1: incomplete</b> (unknown: pain over the SI joint, …)": item labels
    only, to stay compact (the page gives each item's why)."""
    text = f"<b>{markup(checklist.policy)}: {checklist.status_words}</b>"
    groups: list[str] = []
    for status in (UNMET, UNKNOWN):
        labels = [item.label.lower() for item in checklist.items if item.status == status]
        if labels:
            groups.append(f"{STATUS_WORDS[status]}: {markup(', '.join(labels))}")
    return text + (f" ({'; '.join(groups)})" if groups else "")


def coverage_rows(facts: ReportFacts, cell: ParagraphStyle) -> list[list[Paragraph]]:
    """Rows for the criteria table (no heading of its own: the usual report keeps to one
    page): the series and work-up, then the checklists and the coding hints."""
    coverage = facts.coverage
    if coverage is None:
        return []
    checklists = "; ".join(checklist_text(checklist) for checklist in coverage.checklists)
    series = series_text(coverage, facts.purpose)
    return [
        [
            Paragraph(
                f"<b>Coverage</b> (warnings only): {series} {checklists}. "
                f"Coding hints: {markup(coverage.coding)}",
                cell,
            )
        ]
    ]
