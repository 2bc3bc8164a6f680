"""The today board: each injection against its 20–30 minute window, most urgent first."""

from datetime import date, timedelta

from django.shortcuts import render
from django.utils import timezone

from .. import board, display
from ..access import staff_required
from ..diary.schedule import completeness
from .queries import todays_injections


def chosen_day(request, today):
    """The day asked for with ?day=YYYY-MM-DD (today when absent or unreadable)."""
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return today


@staff_required
def today_board(request):
    now = timezone.now()
    today = timezone.localdate(now)
    day = chosen_day(request, today)
    rows = []
    for injection in todays_injections(now, day):
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
            "day": day,
            "is_today": day == today,
            "yesterday": day - timedelta(days=1),
            "tomorrow": day + timedelta(days=1) if day < today else None,
            "zone": display.zone_label(now),
        },
    )
