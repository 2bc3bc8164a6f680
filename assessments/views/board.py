"""The today board: each injection against its 20–30 minute window, most urgent first."""

from django.shortcuts import render
from django.utils import timezone

from .. import board, display
from ..access import staff_required
from ..diary.schedule import completeness
from .queries import todays_injections


@staff_required
def today_board(request):
    now = timezone.now()
    rows = []
    for injection in todays_injections(now):
        window = board.window_status(
            injection.performed_at,
            now,
            window_reading_recorded=injection.decisive_score is not None,
        )
        readings = list(injection.readings.all())
        after = [reading for reading in readings if not reading.is_baseline]
        diary = completeness(injection.diary(readings))
        rows.append((injection, window, after, injection.result(now), diary))
    rows.sort(key=lambda row: board.urgency_key(row[1], row[0].performed_at))
    return render(
        request,
        "assessments/board.html",
        {
            "rows": rows,
            "now": now,
            "today": timezone.localdate(now),
            "zone": display.zone_label(now),
        },
    )
