"""Where each of today's injections stands against its 20–30 minute window.

Pure Python and no clock of its own: the caller passes `now`, so the boundaries
(19.9 / 20 / 29.9 / 30 minutes) are plain unit tests. The window is open from 20 minutes
until 30 (a reading timed 30:00 still counts, as the rule says); an injection is "done" only
once it has closed with a counted reading. The browser only counts down to the moments
this module names; it never re-classifies.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from . import rules

WINDOW_OPENS_AFTER = timedelta(minutes=rules.WINDOW_START_MINUTES)
WINDOW_CLOSES_AFTER = timedelta(minutes=rules.WINDOW_END_MINUTES)


class Status(IntEnum):
    """Board states; the value is the sort order, most urgent first."""

    DUE = 0
    RECORDED = 1
    WAITING = 2
    MISSED = 3
    DONE = 4

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def slug(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class WindowStatus:
    status: Status
    opens_at: datetime
    closes_at: datetime
    # The moment the countdown runs to (waiting, due) or from (missed); None when done.
    countdown_to: datetime | None = None
    countdown_from: datetime | None = None
    minutes: int | None = None

    @property
    def countdown_text(self) -> str:
        return countdown_text(self.status, self.minutes)

    @property
    def countdown_format(self) -> str:
        """The countdown with {n} for the minutes, for the browser to keep current."""
        return COUNTDOWN_FORMATS.get(self.status, "")

    @property
    def before_close(self) -> bool:
        """Waiting, due or in the window: the moment for the 20–30 minute score."""
        return self.status in (Status.WAITING, Status.DUE, Status.RECORDED)

    @property
    def changes_at(self) -> datetime | None:
        """When the status changes by the clock alone; the board reloads then."""
        if self.status is Status.WAITING:
            return self.opens_at
        if self.status in (Status.DUE, Status.RECORDED):
            return self.closes_at
        return None


STATUS_LABELS = {
    Status.DUE: "Due now",
    Status.RECORDED: "In window",
    Status.WAITING: "Waiting",
    Status.MISSED: "Missed",
    Status.DONE: "Done",
}

COUNTDOWN_FORMATS = {
    Status.WAITING: "opens in {n} min",
    Status.DUE: "closes in {n} min",
    Status.RECORDED: "closes in {n} min",
    Status.MISSED: "closed {n} min ago",
}


def minutes_until(interval: timedelta) -> int:
    """Minutes left, rounded up and never 0: "closes in 1 min" until it has closed."""
    return max(1, math.ceil(interval.total_seconds() / 60))


def minutes_since(interval: timedelta) -> int:
    """Minutes gone, rounded down and never 0. The browser's countdown rounds the same way."""
    return max(1, math.floor(interval.total_seconds() / 60))


def countdown_text(status: Status, minutes: int | None) -> str:
    if status is Status.DONE:
        return ""
    return COUNTDOWN_FORMATS[status].format(n=minutes)


def window_status(
    performed_at: datetime, now: datetime, *, window_reading_recorded: bool
) -> WindowStatus:
    """Classify one injection at `now` (both aware datetimes).

    `window_reading_recorded`: a reading in the window counts for the rule (in the
    baseline's context), so the injection has a result, provisional until the window closes.
    """
    opens_at = performed_at + WINDOW_OPENS_AFTER
    closes_at = performed_at + WINDOW_CLOSES_AFTER
    if now < opens_at:
        status, clock = Status.WAITING, {"countdown_to": opens_at}
        minutes = minutes_until(opens_at - now)
    elif now < closes_at:
        status = Status.RECORDED if window_reading_recorded else Status.DUE
        clock, minutes = {"countdown_to": closes_at}, minutes_until(closes_at - now)
    elif window_reading_recorded:
        status, clock, minutes = Status.DONE, {}, None
    else:
        status, clock = Status.MISSED, {"countdown_from": closes_at}
        minutes = minutes_since(now - closes_at)
    return WindowStatus(status, opens_at, closes_at, minutes=minutes, **clock)


def urgency_key(window: WindowStatus, performed_at: datetime) -> tuple[Status, float]:
    """Due now (closing soonest first), in window, waiting (opening soonest), missed
    (latest first), done."""
    if window.status in (Status.DUE, Status.RECORDED):
        return (window.status, window.closes_at.timestamp())
    if window.status is Status.WAITING:
        return (window.status, window.opens_at.timestamp())
    return (window.status, -performed_at.timestamp())
