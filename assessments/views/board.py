"""The today board: each injection against its 20–30 minute window, most urgent first.

The cards are the costly part (queries, then a template per card), and a busy board is
opened many times a minute by several people. So each process keeps the rendered cards for
the current data version (models/version.py: every write moves it on), the day and what the
role may do, until the next minute or the next status change, whichever comes first; after
that the countdowns and statuses are out of date and the cards are made again.
"""

import threading
from datetime import date, timedelta

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import board, display
from ..access import staff_required
from ..diary.schedule import completeness
from ..models import DataVersion
from .queries import todays_injections

CACHED_BOARDS = 32  # versions × days × roles kept per process; the oldest goes first


class CardCache:
    """Rendered cards by key, each until its own moment; a small, per-process dict."""

    def __init__(self, size):
        self.size = size
        self.entries = {}
        self.lock = threading.Lock()

    def get(self, key, now):
        found = self.entries.get(key)
        if found is None or found[1] <= now:
            return None
        return found[0]

    def put(self, key, html, until):
        with self.lock:
            self.entries[key] = (html, until)
            while len(self.entries) > self.size:
                del self.entries[next(iter(self.entries))]

    def clear(self):
        with self.lock:
            self.entries.clear()


cards_cache = CardCache(CACHED_BOARDS)


def chosen_day(request, today):
    """The day asked for with ?day=YYYY-MM-DD (today when absent or unreadable)."""
    try:
        return date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return today


def board_rows(now, day):
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
    return rows


def board_cards(request, now, day, is_today):
    """The cards' HTML, from the cache when nothing was written and no status has changed."""
    user = request.user
    key = (
        DataVersion.current(),
        str(timezone.get_default_timezone()),
        day,
        is_today,
        user.has_perm("assessments.add_painreading"),
        user.has_perm("assessments.add_injection"),
    )
    cards = cards_cache.get(key, now)
    if cards is not None:
        return cards
    rows = board_rows(now, day)
    next_minute = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    changes = [row[1].changes_at for row in rows if row[1].changes_at and row[1].changes_at > now]
    cards = render_to_string(
        "assessments/_board_cards.html", {"rows": rows, "is_today": is_today}, request=request
    )
    cards_cache.put(key, cards, min([next_minute, *changes]))
    return cards


@staff_required
def today_board(request):
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
