"""The per-injection PDF report: draws the facts that data.gather_report collects.

Every ReportLab document, canvas and flowable is built inside the call, so renders in
several threads do not share state; only the parsed fonts are shared (read-only).
"""

import io
from typing import Any

from django.conf import settings
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
)

from ..models import Injection
from .data import ReportFacts, Signature, gather_report
from .fonts import BOLD, REGULAR, draw_text, register_fonts
from .palette import DRAFT_RED, GRID, INK, MUTED
from .sections import DISCLAIMER, DRAFT, story

PAGE_SIZES = {"A4": A4, "LETTER": LETTER}
MARGIN = 16 * mm
# Above and below: 12 mm, within any printer's reach, so a typical report (the week table
# and the closing note under its readings) fits one page.
EDGE = 12 * mm
FIRST_HEADER = 21 * mm
LATER_HEADER = 10 * mm
# The footer's rule sits 10 pt above the margin: 6 mm keeps the text 7 pt clear of it.
FOOTER = 6 * mm
TITLE = "SI joint diagnostic injection — pain response report"


def render_report(
    injection: Injection, *, invariant: bool = False, signature: Signature | None = None
) -> bytes:
    """The PDF of one injection's report, as bytes.

    invariant=True gives identical bytes for identical records (ReportLab's invariant
    mode, stamped with the record's last change instead of the clock): for tests and
    archives. `signature` (data.Signature) fills the signature block once
    sign-off exists; without it the report is marked as a draft.
    """
    facts = gather_report(injection, archival=invariant, signature=signature)
    return draw_report(facts, invariant=invariant)


def page_size() -> tuple[float, float]:
    return PAGE_SIZES[settings.REPORT_PAGE_SIZE]


def draw_report(facts: ReportFacts, *, invariant: bool = False) -> bytes:
    register_fonts()
    width, height = page_size()
    buffer = io.BytesIO()
    frame_width = width - 2 * MARGIN
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=EDGE,
        bottomMargin=EDGE,
        title=f"SI joint injection report {facts.report_id}",
        author=facts.clinic_name,
        subject=TITLE,
        creator="SI joint injections",
        invariant=int(invariant),
    )

    def frame(header: float) -> Frame:
        return Frame(
            MARGIN,
            EDGE + FOOTER,
            frame_width,
            height - 2 * EDGE - FOOTER - header,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def first_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        draw_first_header(canvas, facts, width, height)
        draw_footer(canvas, facts, width)

    def later_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        draw_later_header(canvas, facts, width, height)
        draw_footer(canvas, facts, width)

    doc.addPageTemplates(
        [
            PageTemplate(
                "first", [frame(FIRST_HEADER)], onPage=first_page, autoNextPageTemplate="later"
            ),
            PageTemplate("later", [frame(LATER_HEADER)], onPage=later_page),
        ]
    )
    doc.build(story(facts, frame_width), canvasmaker=NumberedCanvas)
    return buffer.getvalue()


class NumberedCanvas(Canvas):
    """Holds pages back until the end so each can say "Page N of M"."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            width = self._pagesize[0]
            self.setFont(REGULAR, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(width - MARGIN, EDGE, f"Page {number} of {total}")
            super().showPage()
        super().save()


def draw_first_header(canvas: Canvas, facts: ReportFacts, width: float, height: float) -> None:
    canvas.saveState()
    top = height - EDGE
    canvas.setFillColor(INK)
    draw_text(canvas, MARGIN, top - 9, facts.clinic_name, BOLD, 11)
    canvas.setFillColor(MUTED)
    draw_text(canvas, MARGIN, top - 20, facts.clinic_address, REGULAR, 8)
    right = width - MARGIN
    canvas.setFont(REGULAR, 7.5)
    canvas.drawRightString(right, top - 8, f"Report {facts.report_id}")
    stamp = "Record as of" if facts.archival else "Generated"
    canvas.drawRightString(right, top - 18, f"{stamp} {facts.generated}")
    if facts.signature is None:
        canvas.setFillColor(DRAFT_RED)
        canvas.setFont(BOLD, 8)
        canvas.drawRightString(right, top - 29, DRAFT)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 13.5)
    canvas.drawString(MARGIN, top - 44, TITLE)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1)
    canvas.line(MARGIN, top - 51, right, top - 51)
    canvas.restoreState()


def draw_later_header(canvas: Canvas, facts: ReportFacts, width: float, height: float) -> None:
    canvas.saveState()
    top = height - EDGE
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawString(
        MARGIN, top - 8, f"MRN {facts.mrn} · Injection #{facts.injection_id} · continued"
    )
    if facts.signature is None:
        canvas.setFillColor(DRAFT_RED)
        canvas.setFont(BOLD, 7.5)
        canvas.drawRightString(width - MARGIN, top - 8, DRAFT)
    canvas.setStrokeColor(GRID)
    canvas.line(MARGIN, top - 13, width - MARGIN, top - 13)
    canvas.restoreState()


def draw_footer(canvas: Canvas, facts: ReportFacts, width: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, EDGE + 10, width - MARGIN, EDGE + 10)
    canvas.setFillColor(MUTED)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawString(MARGIN, EDGE, f"MRN {facts.mrn} · Injection #{facts.injection_id}")
    canvas.drawCentredString(width / 2, EDGE, DISCLAIMER)
    canvas.restoreState()
