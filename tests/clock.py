"""The tests' clock: a test whose result depends on the day, the hour or the month stops it.

- `clinic_clock` (conftest.py): 10:30 clinic time on Tuesday 10 March 2026.
- `any_hour` (conftest.py): 00:30, 03:30 and 23:30, in the clinic's zone, Pacific/Auckland and
  America/Los_Angeles, one run each: the small hours and midnight, far from UTC.
- `frozen()`: 15 June 2026 at noon UTC, for modules whose figures are by month (statistics).

The database keeps its own clock: the follow-up week's lock compares with it. So a test that
adds follow-up readings to a signed record runs on the real clock, placing records days (never
hours) from now; Debian's `faketime` moves both clocks together.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

CLINIC_DAY = date(2026, 3, 10)  # a Tuesday, two weeks from any clock change in these zones
CLINIC_TIME = time(10, 30)
AT_ANY_HOUR = [
    (zone, clock)
    for zone in (None, "Pacific/Auckland", "America/Los_Angeles")
    for clock in (time(0, 30), time(3, 30), time(23, 30))
]
# Mid-month, mid-day and in the past: records placed hours or days before it stay in the
# month (and the day) a test means, at whatever hour the suite runs.
FROZEN_AT = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def stop_the_clock(settings, clock, zone=None):
    """The clock stopped at `clock` on CLINIC_DAY, in `zone` (set as the clinic's) or the
    clinic's own zone."""
    if zone is not None:
        settings.TIME_ZONE = zone
    moment = datetime.combine(CLINIC_DAY, clock, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return time_machine.travel(moment, tick=False)


def frozen():
    """The clock stands still at FROZEN_AT inside this context."""
    return time_machine.travel(FROZEN_AT, tick=False)
