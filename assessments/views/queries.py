"""Querysets and dates the bedside pages share."""

from datetime import date, datetime, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from .. import board
from ..display import local_midnight
from ..models import Injection, PainReading
from ..models.result import InjectionQuerySet


def injections_with_readings() -> InjectionQuerySet:
    """Injections with their readings that stand (`readings`), for the bedside pages that
    list them; a page that reads the result draws from the read model (record.py)."""
    live = PainReading.objects.live().order_by("recorded_at", "pk")
    return Injection.objects.select_related("patient").prefetch_related(
        Prefetch("readings", queryset=live)
    )


def todays_injections(now: datetime, day: date | None = None) -> InjectionQuerySet:
    """Injections performed on `day` (default today, clinic zone); today's board also keeps
    any whose window is still open (one given just before midnight)."""
    today = timezone.localdate(now)
    day = day or today
    wanted = Q(
        performed_at__gte=local_midnight(day),
        performed_at__lt=local_midnight(day + timedelta(days=1)),
    )
    if day == today:
        wanted |= Q(performed_at__gt=now - board.WINDOW_CLOSES_AFTER, performed_at__lte=now)
    return injections_with_readings().filter(wanted)
