"""The outcome statistics: which profiles can be shown, the figures per group.

The figures come from one aggregate query (sql.py) over the stored evaluation, so the number
of queries and the rows fetched do not grow with the data. The result in force is
models/result.py's SQL (`with_result`): a signed outcome wins, pending is not a result.
Ranges are whole clinic months, and every figure is a sum of monthly cells released on
their own month's data (suppression.py), so no difference of two ranges is a small group.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.expressions import Combinable
from django.utils import timezone

from .. import display, rules
from ..display import local_midnight
from ..models import Injection, primary_profile
from ..models.result import InjectionQuerySet
from ..rules import profiles
from ..rules.profiles import Profile
from .groups import CAUSES, FINAL, GROUPINGS, Group, MonthlyCells
from .sql import RELIEF, Row, grouped_counts
from .suppression import SMALL, SUPPRESSED, WITHHELD

__all__ = [
    "CAUSES",
    "FINAL",
    "GROUPINGS",
    "SMALL",
    "SUPPRESSED",
    "WITHHELD",
    "Group",
    "Statistics",
    "statistics",
]


def computable_profiles() -> list[Profile]:
    """The profiles whose results the stored columns give exactly (the primary first)."""
    return profiles.computable_profiles(primary_profile())


def outcome_under(profile: Profile) -> dict[str, Combinable]:
    """The outcome `profile` gives, in SQL, from the stored primary-profile evaluation.

    Only for a profile decided by the same reading (computable_profiles): a non-diagnostic
    block stays non-diagnostic, otherwise the bands are the rule's integer arithmetic on
    the stored baseline and decisive scores (evaluation.read_result).
    """
    drop_100 = (F("baseline_score") - F("decisive_score")) * 100
    meets = (
        Q(drop_100__gte=F("threshold_100"))
        if profile.inclusive
        else Q(drop_100__gt=F("threshold_100"))
    )
    return {
        "drop_100": drop_100,
        "threshold_100": F("baseline_score") * profile.threshold,
        "negative_100": F("baseline_score") * profile.band,
        "profile_outcome": Case(
            When(
                Q(outcome=rules.Outcome.NON_DIAGNOSTIC) | Q(decisive_score__isnull=True),
                then=Value(rules.Outcome.NON_DIAGNOSTIC.value),
            ),
            # Rule 2.1: negative only when every counted reading was; the stored outcome says.
            When(Q(outcome=rules.Outcome.NEGATIVE), then=Value(rules.Outcome.NEGATIVE.value)),
            When(meets, then=Value(rules.Outcome.POSITIVE.value)),
            default=Value(rules.Outcome.INDETERMINATE.value),
        ),
    }


def with_profile_result(
    queryset: InjectionQuerySet, profile: Profile, now: datetime
) -> InjectionQuerySet:
    """`stats_result`: the result in force (`with_result`) under the primary profile, where
    a signed outcome wins. Under another profile, the rule's outcome for every injection
    (the clinician signed the primary profile's reading), pending while `with_result` says
    the window waits for a reading."""
    queryset = queryset.with_result(now)
    if profile == primary_profile():
        return queryset.annotate(stats_result=F("result_in_force"))
    pending = rules.Outcome.PENDING.value
    return queryset.annotate(**outcome_under(profile)).annotate(
        stats_result=Case(
            When(result_in_force=pending, then=Value(pending)),
            default=F("profile_outcome"),
        )
    )


@dataclass
class Statistics:
    start: date  # the first day of the first month
    end: date  # the first day of the last month
    profile: Profile
    primary: bool
    total: Group
    groupings: dict[str, list[Group]] = field(default_factory=dict)
    causes: list[tuple[str, str, str, bool]] = field(default_factory=list)
    left_out_months: list[str] = field(default_factory=list)  # fewer than SMALL patients


def months(start: date, end: date) -> list[date]:
    first, last = start.replace(day=1), end.replace(day=1)
    found = []
    while first <= last:
        found.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return found


def median_of_counts(counts: Iterable[tuple[int, int]]) -> Decimal | None:
    """The median of values given as (value, how many), as Decimal."""
    counts = sorted(counts)
    total = sum(n for _, n in counts)
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    values, seen = [], 0
    for value, n in counts:
        values += [value for position in middle if seen <= position < seen + n]
        seen += n
    return Decimal(sum(values)) / 2


def relief_medians(rows: list[Row]) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """Per anaesthetic: the medians of when relief was last seen and first gone, from the
    query's counts of injections per whole minute (sql.RELIEF)."""
    counts: dict[str, dict[str, list[tuple[int, int]]]] = {column: {} for column in RELIEF}
    for row in rows:
        if row["grouping_name"] in counts:
            per_agent = counts[row["grouping_name"]].setdefault(row["group_key"], [])
            per_agent.append((row["group_value"], row["injections"]))
    last_met, first_failed = (counts[column] for column in RELIEF)
    return {
        agent: (median_of_counts(values), median_of_counts(first_failed[agent]))
        for agent, values in last_met.items()
    }


def group_label(grouping: str, key: str, people: dict[int, str]) -> tuple[object, str]:
    """(key, label) of a group from the query's text key."""
    if grouping == "month":
        month = date(int(key[:4]), int(key[5:7]), 1)
        return month, display.month_text(month)
    if grouping == "proceduralist":
        return int(key), people.get(int(key), f"user #{key}")
    choices = choices_of(grouping)
    return key, str(choices.get(key, key))


def choices_of(name: str) -> dict[str, str]:
    """The choices of one of Injection's columns: value → label, in their order."""
    column = Injection._meta.get_field(name)
    if not isinstance(column, models.Field):
        raise TypeError(f"Injection.{name} is not a column")
    return {str(value): str(label) for value, label in column.flatchoices}


def sort_order(grouping: str) -> Callable[[Group], tuple[str, str] | int]:
    if grouping in ("month", "proceduralist"):
        return lambda group: (group.label.casefold(), str(group.key))
    order = list(choices_of(grouping))
    return lambda group: order.index(group.key) if group.key in order else len(order)


def proceduralists(in_range: InjectionQuerySet) -> dict[int, str]:
    """Names of the staff who performed injections in the range (one query, always)."""
    performed = in_range.filter(proceduralist=OuterRef("pk"))
    users = get_user_model().objects.filter(Exists(performed))
    return {user.pk: display.person(user) for user in users}


def statistics(start: date, end: date, profile: Profile, now: datetime | None = None) -> Statistics:
    """The dashboard's figures for injections performed in the clinic months from `start`'s
    to `end`'s (whole months, whatever the days given) under `profile`, one of
    computable_profiles(). Two queries, whatever the data: the staff's names and
    sql.grouped_counts. Every figure adds up monthly cells released on their own month's
    data (suppression.py); the months of fewer than SMALL patients are left out."""
    now = now or timezone.now()
    start, end = start.replace(day=1), end.replace(day=1)
    in_range = Injection.objects.filter(
        performed_at__gte=local_midnight(start),
        performed_at__lt=local_midnight(next_month(end)),
    )
    primary = profile == primary_profile()
    people = proceduralists(in_range)
    rows = grouped_counts(with_profile_result(in_range, profile, now), now, months(start, end))
    cells = MonthlyCells(rows)
    total = Group(None, "All injections", cells.total())
    total.suppressed = not cells.released
    medians = relief_medians(rows) if primary else {}
    groupings = {}
    for grouping in GROUPINGS:
        groups = [
            cells.group_row(grouping, row, group_label(grouping, row["group_key"], people))
            for row in cells.range_rows(grouping)
        ]
        groups.sort(key=sort_order(grouping))
        if grouping == "month":
            groups = fill_months(groups, start, end, total.counts)
        if grouping == "anaesthetic_agent":
            for group in groups:
                if cells.relief_shown(group):
                    group.relief = medians.get(str(group.key))
        groupings[grouping] = [
            replace(g, suppressed=True) if total.suppressed else g for g in groups
        ]
    return Statistics(
        start,
        end,
        profile,
        primary,
        total,
        groupings,
        causes=[] if total.suppressed else cells.causes(),
        left_out_months=[display.month_text(month_of(key)) for key in cells.left_out],
    )


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def month_of(key: str) -> date:
    return date(int(key[:4]), int(key[5:7]), 1)


def fill_months(groups: list[Group], start: date, end: date, names: Iterable[str]) -> list[Group]:
    """Every month of the range, those without injections as empty rows."""
    found: dict[str, Group | None] = {display.month_text(m): None for m in months(start, end)}
    for group in groups:
        found[group.label] = group
    empty = {name: 0 for name in names if name not in ("grouping_name", "group_key")}
    return [group or Group(label, label, dict(empty)) for label, group in found.items()]
