"""PDF report benchmark: render_report against a bare-canvas floor, then a 1,000-report zip.

    SECRET_KEY=x .venv/bin/python bench/reports.py [--reports 250] [--bulk 1000]

Uses its own in-memory SQLite database, migrated and seeded here. Prints figures; it
asserts nothing (timings belong in a benchmark, not in the test suite).
"""

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from reportlab.lib.utils import simpleSplit  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from assessments import services  # noqa: E402
from assessments.models import Injection, PainReading, Patient  # noqa: E402
from assessments.reports.bundle import report_files, stream_zip  # noqa: E402
from assessments.reports.chart import PainChart  # noqa: E402
from assessments.reports.data import gather_report, report_queryset  # noqa: E402
from assessments.reports.document import MARGIN, TITLE, page_size, render_report  # noqa: E402
from assessments.reports.fonts import BOLD, REGULAR, draw_text, register_fonts  # noqa: E402

# A typical record: a provoked baseline, four readings around the window, a diary week.
READINGS = [(-15, 8), (15, 5), (22, 2), (28, 1), (45, 2), (90, 3)]
READINGS += [(day * 24 * 60 + 9 * 60, 3 + day % 3) for day in range(1, 6)]


def seed(count):
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", is_staff=True, first_name="Bench")
    patients = Patient.objects.bulk_create(
        Patient(
            mrn=f"B{n:06d}",
            family_name="Ångström-Nuñez" if n % 2 else "李",
            given_name="Zoë" if n % 2 else "小龍",
            date_of_birth=date(1960 + n % 40, 1 + n % 12, 1 + n % 28),
        )
        for n in range(count)
    )
    start = timezone.now() - timedelta(days=10)
    injections = Injection.objects.bulk_create(
        Injection(
            patient=patient,
            performed_at=start - timedelta(minutes=n),
            side="left" if n % 2 else "right",
            proceduralist=user,
            guidance="fluoroscopy",
            contrast="yes",
            anaesthetic_agent="lidocaine",
            anaesthetic_concentration=Decimal("2"),
            anaesthetic_volume_ml=Decimal("1.5"),
        )
        for n, patient in enumerate(patients)
    )
    PainReading.objects.bulk_create(
        PainReading(
            injection=injection,
            recorded_at=injection.performed_at + timedelta(minutes=minutes),
            score=score,
            context="provoked" if minutes < 60 else "rest",
            source="staff" if minutes < 120 else "patient",
        )
        for injection in injections
        for minutes, score in READINGS
    )
    for injection in injections:
        services.refresh_evaluation(injection.pk)


def draw_floor(facts):
    """The same content drawn by hand on one bare canvas: the fastest ReportLab can go."""
    register_fonts()
    width, height = page_size()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    top = height - MARGIN
    draw_text(canvas, MARGIN, top - 9, facts.clinic_name, BOLD, 11)
    draw_text(canvas, MARGIN, top - 20, facts.clinic_address, REGULAR, 8)
    canvas.setFont(REGULAR, 7.5)
    canvas.drawRightString(width - MARGIN, top - 8, f"Report {facts.report_id}")
    canvas.drawRightString(width - MARGIN, top - 18, f"Generated {facts.generated}")
    canvas.setFont(BOLD, 13.5)
    canvas.drawString(MARGIN, top - 44, TITLE)
    canvas.line(MARGIN, top - 51, width - MARGIN, top - 51)
    y = top - 70
    details = [
        ("Patient", facts.patient_name, "Performed", facts.performed_at),
        ("MRN", facts.mrn, "Side", facts.side),
        ("Date of birth", facts.date_of_birth, "Proceduralist", facts.proceduralist),
        ("Age", f"{facts.age_at_injection} years", "Guidance", facts.guidance),
        ("Sex", facts.sex, "Contrast", facts.contrast),
        ("Injection", f"#{facts.injection_id}", "Anaesthetic", facts.anaesthetic),
        ("", "", "Corticosteroid", facts.steroid),
        ("", "", "Sedation", facts.sedation),
    ]
    for row in details:
        for x, text in zip((0, 62, 256, 330), row, strict=True):
            draw_text(canvas, MARGIN + x, y, text, REGULAR, 8)
        y -= 11
    y -= 10
    evaluation = facts.evaluation
    canvas.setFont(BOLD, 11)
    canvas.drawString(MARGIN + 10, y, f"{facts.outcome_label} — {evaluation.percent_display}")
    y -= 13
    canvas.setFont(REGULAR, 8.5)
    for reason in (*evaluation.reasons, evaluation.rule_text):
        for line in simpleSplit(reason, REGULAR, 8.5, width - 2 * MARGIN - 20):
            canvas.drawString(MARGIN + 10, y, line)
            y -= 11
    chart = PainChart(facts, width - 2 * MARGIN)
    y -= chart.height + 6
    chart.drawOn(canvas, MARGIN, y)
    y -= 18
    canvas.setFont(REGULAR, 8)
    for row in facts.readings:
        cells = (row.phase, row.local_time, f"{row.score}/10", row.change_points)
        cells += (row.reduction, row.context, row.source, row.marks)
        for x, text in zip((0, 70, 154, 188, 228, 280, 334, 378), cells, strict=True):
            canvas.drawString(MARGIN + x, y, text)
        canvas.line(MARGIN, y - 3, width - MARGIN, y - 3)
        y -= 12.5
    y -= 14
    for day in facts.follow_up:
        x = MARGIN + 96 + day.day * 55
        for offset, text in enumerate((str(day.day), str(day.entries), day.mean)):
            canvas.drawCentredString(x, y - offset * 12, text)
    y -= 60
    canvas.drawString(MARGIN, y, "Interpretation signed by ______________ on __________")
    canvas.drawString(
        MARGIN, MARGIN, "Supports documentation; does not replace clinical judgement."
    )
    canvas.drawRightString(width - MARGIN, MARGIN, "Page 1 of 1")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def median_ms(function, items, warm=20):
    for item in items[:warm]:
        function(item)
    timings = []
    for item in items:
        started = time.perf_counter()
        function(item)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=250)
    parser.add_argument("--bulk", type=int, default=1000)
    args = parser.parse_args()
    seed(max(args.reports, args.bulk))

    injections = list(report_queryset().order_by("pk")[: args.reports])
    facts = [gather_report(injection) for injection in injections]
    report = median_ms(render_report, injections)
    gather = median_ms(gather_report, injections)
    floor = median_ms(draw_floor, facts)
    print(f"render_report median:   {report:6.2f} ms over {len(injections)} warm reports")
    print(f"  of which gathering:   {gather:6.2f} ms")
    print(f"bare canvas floor:      {floor:6.2f} ms (same content, same fonts)")
    print(f"ratio:                  {report / floor:6.2f}  (target <= 2.5)")

    selected = Injection.objects.order_by("pk")[: args.bulk]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as archive:
        for chunk in stream_zip(report_files(Injection.objects.filter(pk__in=selected))):
            archive.write(chunk)
        size = archive.tell()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bulk: {args.bulk} reports into a zip: {seconds:.1f} s, {size / 1e6:.1f} MB")
    print(f"peak RSS of the whole run: {peak_mb:.0f} MB (target < 200 MB)")


if __name__ == "__main__":
    main()
