"""Login throttling with two limits: per account and address, and per account overall.

django-axes compares one limit with the largest failure count over its lockout parameters.
Here each parameter set has its own limit (AXES_FAILURE_LIMITS, in the same order): a
username is locked from one address after 5 failures, and from every address after 20,
so a new forged X-Forwarded-For on each attempt no longer buys unlimited guesses.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class PerParameterLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        # axes locks when this number reaches its single limit, so answer with the limit
        # when any parameter set has reached its own, and with less than it otherwise.
        limit = get_failure_limit(request, credentials)
        reached = any(
            count >= own for count, own in zip(counts, settings.AXES_FAILURE_LIMITS, strict=True)
        )
        return max(limit, counts[0]) if reached else min(counts[0], limit - 1)
