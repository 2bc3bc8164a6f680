"""A frozen clock for tests whose result depends on the day or the month. A module asks for
it with an autouse fixture: `with frozen(): yield FROZEN_AT`."""

from datetime import UTC, datetime

import time_machine

# Mid-month, mid-day and in the past: records placed hours or days before it stay in the
# month (and the day) a test means, at whatever hour the suite runs.
FROZEN_AT = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def frozen():
    """The clock stands still at FROZEN_AT inside this context."""
    return time_machine.travel(FROZEN_AT, tick=False)
