"""The diary schedule, from the injection time: pure Python, no clock of its own.

Slots at set minutes after the injection (every 15 minutes for the first hour, then hourly
to 8 hours, by default) cover the local anaesthetic's hours; then one slot a day on days 1–7
at a set local time. A reading fills the slot nearest to it (half-way to each neighbour); any
reading on a follow-up day fills that day. Extra, unscheduled entries are always welcome.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

DEFAULT_MINUTES = (15, 30, 45, 60, 120, 180, 240, 300, 360, 420, 480)
DEFAULT_DAYS = 7
DEFAULT_DAILY_AT = time(18, 0)


@dataclass(frozen=True)
class Slot:
    at: datetime  # aware, in the clinic's zone
    minutes: int | None = None  # an anaesthetic-hours slot: minutes after the injection
    day: int | None = None  # a daily slot: the follow-up day
    filled: bool = False


@dataclass(frozen=True)
class Completeness:
    hours_filled: int
    hours_total: int
    days_filled: int
    days_total: int

    @property
    def text(self) -> str:
        """ "9 of 11 anaesthetic-hour slots, 6 of 7 days"."""
        return (
            f"{self.hours_filled} of {self.hours_total} anaesthetic-hour slots, "
            f"{self.days_filled} of {self.days_total} days"
        )


def bounds(minutes: Sequence[int]) -> list[tuple[float, float]]:
    """Each slot's catchment: from half-way to the previous slot to half-way to the next."""
    edges = []
    for index, slot in enumerate(minutes):
        before = minutes[index - 1] if index else 0
        after = minutes[index + 1] if index + 1 < len(minutes) else slot + (slot - before)
        edges.append((slot - (slot - before) / 2, slot + (after - slot) / 2))
    return edges


def schedule(
    performed_at: datetime,
    readings: Iterable[datetime],
    *,
    zone: tzinfo,
    minutes: Sequence[int] = DEFAULT_MINUTES,
    days: int = DEFAULT_DAYS,
    daily_at: time = DEFAULT_DAILY_AT,
) -> list[Slot]:
    """Every slot of the diary, with whether a reading (aware datetimes) fills it."""
    moments = list(readings)
    after = [(m - performed_at).total_seconds() / 60 for m in moments]
    slots = []
    for slot, (low, high) in zip(minutes, bounds(minutes), strict=True):
        filled = any(low <= value < high for value in after)
        at = (performed_at + timedelta(minutes=slot)).astimezone(zone)
        slots.append(Slot(at, minutes=slot, filled=filled))
    performed_day = performed_at.astimezone(zone).date()
    local_days = {m.astimezone(zone).date() for m in moments}
    for day in range(1, days + 1):
        the_date = performed_day + timedelta(days=day)
        at = datetime.combine(the_date, daily_at, tzinfo=zone)
        slots.append(Slot(at, day=day, filled=the_date in local_days))
    return slots


def completeness(slots: Iterable[Slot]) -> Completeness:
    slots = list(slots)
    hours = [slot for slot in slots if slot.minutes is not None]
    days = [slot for slot in slots if slot.day is not None]
    return Completeness(
        sum(slot.filled for slot in hours),
        len(hours),
        sum(slot.filled for slot in days),
        len(days),
    )


def due_slot(slots: Iterable[Slot], now: datetime) -> Slot | None:
    """The slot to ask about now: the latest one that has come, if it is still empty; else
    the next empty one. An older empty slot is not asked about: days later, nobody can say
    what the pain was at 1 a.m. on the first night."""
    slots = sorted(slots, key=lambda slot: slot.at)
    come = [slot for slot in slots if slot.at <= now]
    if come and not come[-1].filled:
        return come[-1]
    return next((slot for slot in slots if slot.at > now and not slot.filled), None)


def follow_up_date(performed_at: datetime, day: int, zone: tzinfo) -> date:
    return performed_at.astimezone(zone).date() + timedelta(days=day)
