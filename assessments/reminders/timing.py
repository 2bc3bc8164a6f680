"""When a reminder is due: pure Python, the clock and the zone are inputs.

The slot to remind about is the diary's due slot (assessments/rules/schedule.py) once its
time has come: the latest slot that has come, while it is empty. Nothing in the quiet hours
(the next reminder waits until morning), and nothing once the follow-up week is over.
"""

from collections.abc import Iterable
from datetime import datetime, time, timedelta, tzinfo

from ..rules.schedule import Slot, due_slot


def in_quiet_hours(clock: time, quiet: tuple[time, time]) -> bool:
    """Whether a local clock time falls in the quiet hours [start, end), which may span
    midnight (21:00-08:00)."""
    start, end = quiet
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def week_over(slots: Iterable[Slot], now: datetime, zone: tzinfo) -> bool:
    """The diary's last day (clinic time) has ended."""
    last = max(slot.at for slot in slots).astimezone(zone).date()
    return now >= datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)


def slot_to_remind(
    slots: Iterable[Slot], now: datetime, *, zone: tzinfo, quiet: tuple[time, time]
) -> Slot | None:
    """The slot a reminder asks about now, or None: quiet hours, week over, nothing due."""
    slots = list(slots)
    if not slots or in_quiet_hours(now.astimezone(zone).time(), quiet):
        return None
    if week_over(slots, now, zone):
        return None
    slot = due_slot(slots, now)
    if slot is None or slot.at > now:
        return None
    return slot


def same_slot(slot: Slot, minutes: int | None, day: int | None) -> bool:
    return (slot.minutes, slot.day) == (minutes, day)
