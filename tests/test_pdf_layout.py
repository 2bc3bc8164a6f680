"""The handout and the reports, read back as text boxes: no two overlap, and a typical
report fits one page (the week table and disclaimer under the readings)."""

from io import StringIO
from itertools import combinations

import pypdfium2
import pytest
from django.core.management import call_command

from assessments.models import DiaryLink, Injection
from assessments.reports import render_report
from assessments.reports.handout import handout_facts, render_handout

# Boxes may touch (a line's descender meets the next line's ascender): overlap is counted
# beyond this many points in both directions.
TOLERANCE = 0.6


def text_boxes(pdf):
    """Per page, pdfium's text rectangles (left, bottom, right, top) with their text."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for page in document:
        text = page.get_textpage()
        boxes = []
        for index in range(text.count_rects()):
            left, bottom, right, top = text.get_rect(index)
            words = text.get_text_bounded(left, bottom, right, top).strip()
            if words:
                boxes.append((left, bottom, right, top, words))
        pages.append(boxes)
    return pages


def overlapping(pages):
    found = []
    for number, boxes in enumerate(pages, 1):
        for a, b in combinations(boxes, 2):
            wide = min(a[2], b[2]) - max(a[0], b[0])
            high = min(a[3], b[3]) - max(a[1], b[1])
            if wide > TOLERANCE and high > TOLERANCE:
                found.append((number, a[4], b[4]))
    return found


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())
    return Injection.objects.select_related("patient").order_by("patient__mrn")


def test_the_handout_has_no_overlapping_text(demo):
    injection = demo.filter(patient__mrn="DEMO-001").latest("performed_at")
    link = DiaryLink.current(injection) or DiaryLink.issue(injection)
    pdf = render_handout(handout_facts(injection, "https://si.example.org/diary/x/", link))

    pages = text_boxes(pdf)

    assert "Day 7" in " ".join(box[4] for page in pages for box in page)  # The table was read.
    assert overlapping(pages) == []


def test_a_typical_report_fits_one_page(demo):
    # DEMO-001's first block: a baseline, the window, a few diary days, the coverage line.
    typical = demo.filter(patient__mrn="DEMO-001").earliest("performed_at")
    pages = text_boxes(render_report(typical))

    assert len(pages) == 1, [box[4] for box in pages[-1]]


def test_a_typical_report_has_no_overlapping_text(demo):
    pages = text_boxes(render_report(demo.filter(patient__mrn="DEMO-001").latest("performed_at")))

    assert any("Follow-up week" in box[4] for page in pages for box in page)
    assert overlapping(pages) == []


def test_most_demo_reports_fit_one_page(demo):
    lengths = {f"{i.patient.mrn} #{i.pk}": len(text_boxes(render_report(i))) for i in demo}
    one_page = sorted(name for name, pages in lengths.items() if pages == 1)
    print(
        f"demo reports on one page: {len(one_page)} of {len(lengths)}; longer: "
        + ", ".join(f"{mrn} ({n})" for mrn, n in lengths.items() if n > 1)
    )

    # 7 of 23 before issue 22; 17 after; with the coverage line (issue 21) about half:
    # the rest hold many readings, a week of diary entries or long notes.
    assert len(one_page) * 2 >= len(lengths)
