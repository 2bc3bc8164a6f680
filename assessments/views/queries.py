"""Querysets and dates the bedside pages share."""

from datetime import datetime, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from .. import board
from ..models import Injection, PainReading


def local_midnight(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def injections_with_readings():
    return Injection.objects.select_related("patient").prefetch_related(
        Prefetch("readings", queryset=PainReading.objects.order_by("recorded_at", "pk"))
    )


def todays_injections(now, day=None):
    """Injections performed on `day` (default today, clinic zone), and any whose window is
    still open."""
    today = day or timezone.localdate(now)
    performed_today = Q(
        performed_at__gte=local_midnight(today),
        performed_at__lt=local_midnight(today + timedelta(days=1)),
    )
    window_open = Q(performed_at__gt=now - board.WINDOW_CLOSES_AFTER, performed_at__lte=now)
    return injections_with_readings().filter(performed_today | window_open)
