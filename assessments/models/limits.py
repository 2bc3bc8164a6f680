"""Bounds the clinical records keep, and helpers that write them as database constraints."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

MAX_BEFORE_INJECTION = timedelta(hours=24)
MAX_AFTER_INJECTION = timedelta(days=14)
ONE_MICROSECOND = timedelta(microseconds=1)
# Clinical times are from 2000 on; birth dates from 1900. The database's bound is a day
# looser, so a local time just after midnight on 1 January 2000 east of UTC still fits.
EARLIEST_YEAR = 2000
EARLIEST_STORED = datetime(EARLIEST_YEAR - 1, 12, 31, tzinfo=UTC)
EARLIEST_BIRTH = date(1900, 1, 1)
EARLIEST_MESSAGE = f"Enter a date from 1 January {EARLIEST_YEAR} on."
# The days a date range may name (the dashboard's filters, export_data's --since/--until).
EARLIEST_DAY = date(EARLIEST_YEAR, 1, 1)
LATEST_DAY = date(2099, 12, 31)
NOTES_MAX = 10_000
REASON_MAX = 5_000
# Why a reading was withdrawn or corrected: a sentence ("typed 03:31, meant 03:51").
CORRECTION_REASON_MAX = 300


# django-simple-history keeps a change's reason in 100 characters (PostgreSQL enforces it).
CHANGE_REASON_MAX = 100


def change_reason(text: str) -> str:
    """A history row's reason: whole when it fits, else cut with an ellipsis (the full
    reason stays on the record: the amendment, or the withdrawn reading)."""
    return text if len(text) <= CHANGE_REASON_MAX else text[: CHANGE_REASON_MAX - 1] + "…"


def too_early(moment: date | datetime) -> bool:
    """Before 2000 on the clock it was typed in; checked before any comparison, since an
    aware datetime in year 1 overflows when converted to UTC."""
    return moment.year < EARLIEST_YEAR


def taken_errors(
    record: models.Model, name_field: str, time_field: str, *, what: str
) -> dict[str, str]:
    """A medicine named needs its time and a time needs the medicine; no time before 2000.
    Strips the name in place. `what` is how the form calls it ("the analgesic")."""
    name = (getattr(record, name_field) or "").strip()
    setattr(record, name_field, name)
    taken = getattr(record, time_field)
    if name and taken is None:
        return {time_field: f"Enter when {what} was taken."}
    if taken is not None and not name:
        return {name_field: f"Enter which {what.removeprefix('the ')} was taken."}
    if taken is not None and too_early(taken):
        return {time_field: EARLIEST_MESSAGE}
    return {}


def length_constraint(name: str, field: str, limit: int) -> models.CheckConstraint:
    """SQLite ignores a column's declared length; this holds it on every database."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def choice_values(choices: type[models.TextChoices]) -> list[str]:
    return [value for value, _ in choices.choices]


def choice_constraint(
    name: str, field: str, choices: type[models.TextChoices]
) -> models.CheckConstraint:
    """A CheckConstraint holding `field` to the values of a TextChoices class."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choice_values(choices)}), name=name
    )


def staff_member(**options: Any) -> "models.ForeignKey[Any, Any]":
    """A reference to the user who did something: kept while the record is (PROTECT), with
    no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", **options
    )
