"""The today board: each injection against its 20–30 minute window, most urgent first.

The cards are the costly part (queries, then a template per card), and a busy board is
opened many times a minute by several people, so the rendered cards are kept
(views/fragments.py) per day and what the role may do, until the next minute or the next
status change, whichever comes first.
"""

from datetime import date, datetime, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import board, display
from ..access import AuthenticatedHttpRequest, staff_required
from ..models import Injection, PainReading, Result
from ..rules.schedule import Completeness, completeness
from .fragments import kept, next_minute
from .queries import todays_injections

# One card: the injection, its window, the readings after it, its result, its diary.
BoardRow = tuple[Injection, board.WindowStatus, list[PainReading], Result, Completeness]


def chosen_day(request: HttpRequest, today: date) -> date:
    """The day asked for with ?day=YYYY-MM-DD (today when absent or unreadable)."""
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return today


def board_rows(now: datetime, day: date) -> list[BoardRow]:
    rows: list[BoardRow] = []
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
    return rows


def board_cards(request: AuthenticatedHttpRequest, now: datetime, day: date, is_today: bool) -> str:
    """The cards' HTML, kept while nothing is written and no status changes."""
    user = request.user
    key = (
        "board",
        str(timezone.get_default_timezone()),
        day,
        is_today,
        user.has_perm("assessments.add_painreading"),
        user.has_perm("assessments.add_injection"),
    )

    def cards() -> tuple[str, datetime]:
        rows = board_rows(now, day)
        changes = [
            moment for row in rows if (moment := row[1].changes_at) is not None and moment > now
        ]
        html = render_to_string(
            "assessments/_board_cards.html", {"rows": rows, "is_today": is_today}, request=request
        )
        return html, min([next_minute(now), *changes])

    return kept(key, now, cards)


@staff_required
def today_board(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    day = chosen_day(request, today)
    is_today = day == today
    return render(
        request,
        "assessments/board.html",
        {
            "cards": mark_safe(board_cards(request, now, day, is_today)),  # noqa: S308 - rendered
            "now": now,
            "day": day,
            "is_today": is_today,
            "yesterday": day - timedelta(days=1),
            "tomorrow": day + timedelta(days=1) if day < today else None,
            "zone": display.zone_label(now),
        },
    )
