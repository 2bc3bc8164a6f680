"""The outcome statistics: grouped aggregate SQL over the stored evaluation, then suppression.

Every figure is a conditional COUNT or SUM with GROUP BY over the injection table (one query
per grouping, one for the whole range); the medians of relief come from per-value counts of
two small columns (at most 481 values per agent), so the number of queries and the rows
fetched do not grow with the data. The result in force is models/result.py's SQL
(`with_result`): a signed outcome wins, pending is not a result.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .. import display, rules
from ..models import Injection, evaluated_rule, primary_profile
from ..models.result import WINDOW_LENGTH
from ..rules.profiles import BUILT_IN, Profile, decided_by_the_same_reading

SMALL = 5  # a group with fewer patients than this is shown as "< 5"
SUPPRESSED = "< 5"
FINAL = (
    rules.Outcome.POSITIVE,
    rules.Outcome.INDETERMINATE,
    rules.Outcome.NEGATIVE,
    rules.Outcome.NON_DIAGNOSTIC,
)
CAUSES = {
    **rules.NON_DIAGNOSTIC_CAUSES,
    "signed": "signed non-diagnostic against the computed result",
    "not_recorded": "cause not recorded",
}
GROUPINGS = {
    "month": "Month",
    "proceduralist": "Proceduralist",
    "guidance": "Image guidance",
    "anaesthetic_agent": "Anaesthetic",
    "sedation": "Sedation",
}


def computable_profiles() -> list[Profile]:
    """The profiles whose results the stored columns give exactly (the primary first)."""
    primary = primary_profile()
    others = [p for p in BUILT_IN if p != primary and decided_by_the_same_reading(primary, p)]
    return [primary, *others]


def outcome_under(profile: Profile):
    """The outcome `profile` gives, in SQL, from the stored primary-profile evaluation.

    Only for a profile decided by the same reading (computable_profiles): a non-diagnostic
    block stays non-diagnostic, otherwise the bands are the rule's integer arithmetic on
    the stored baseline and decisive scores (evaluation.read_result).
    """
    negative_below = profile.negative_below
    if negative_below is None:
        negative_below = min(rules.DEFAULT_NEGATIVE_BELOW, profile.threshold)
    drop_100 = (F("baseline_score") - F("decisive_score")) * 100
    meets = (
        Q(drop_100__gte=F("threshold_100"))
        if profile.inclusive
        else Q(drop_100__gt=F("threshold_100"))
    )
    return {
        "drop_100": drop_100,
        "threshold_100": F("baseline_score") * profile.threshold,
        "negative_100": F("baseline_score") * negative_below,
        "profile_outcome": Case(
            When(
                Q(outcome=rules.Outcome.NON_DIAGNOSTIC) | Q(decisive_score__isnull=True),
                then=Value(rules.Outcome.NON_DIAGNOSTIC.value),
            ),
            When(
                Q(drop_100__lte=0) | Q(drop_100__lt=F("negative_100")),
                then=Value(rules.Outcome.NEGATIVE.value),
            ),
            When(meets, then=Value(rules.Outcome.POSITIVE.value)),
            default=Value(rules.Outcome.INDETERMINATE.value),
        ),
    }


def with_profile_result(queryset, profile: Profile, now: datetime):
    """`result_in_force` under `profile`: the signed outcome wins under the primary profile
    only (the clinician signed that profile's interpretation); under another profile every
    injection reads as the rule says, pending while its window waits for a reading."""
    if profile == primary_profile():
        return queryset.with_result(now)
    waiting = Q(
        locked_at__isnull=True,
        awaits_window_reading=True,
        performed_at__gt=now - WINDOW_LENGTH,
    )
    return queryset.annotate(**outcome_under(profile)).annotate(
        result_in_force=Case(
            When(waiting, then=Value(rules.Outcome.PENDING.value)),
            default=F("profile_outcome"),
        )
    )


def aggregates(now: datetime) -> dict:
    """The conditional counts of one group (the queryset carries result_in_force)."""
    result = {outcome.value: Count("pk", filter=Q(result_in_force=outcome)) for outcome in FINAL}
    non_diagnostic = Q(result_in_force=rules.Outcome.NON_DIAGNOSTIC)
    computed_nd = non_diagnostic & Q(outcome=rules.Outcome.NON_DIAGNOSTIC)
    causes = {
        f"cause_{key}": Count("pk", filter=computed_nd & Q(non_diagnostic_cause=key))
        for key in rules.NON_DIAGNOSTIC_CAUSES
    }
    causes["cause_signed"] = Count("pk", filter=non_diagnostic & ~Q(outcome=F("result_in_force")))
    causes["cause_not_recorded"] = Count("pk", filter=computed_nd & Q(non_diagnostic_cause=""))
    signed = Q(locked_at__isnull=False)
    diary_over = Q(performed_at__lt=now - timedelta(days=settings.DIARY_DAYS + 1))
    assessed = Q(relief_last_met__isnull=False)
    return {
        "injections": Count("pk"),
        "patients": Count("patient", distinct=True),
        "pending": Count("pk", filter=Q(result_in_force=rules.Outcome.PENDING)),
        **result,
        **causes,
        "signed": Count("pk", filter=signed),
        "overridden": Count("pk", filter=signed & ~Q(signed_outcome=F("outcome"))),
        "diary_filled": Sum("diary_slots_filled", filter=diary_over, default=0),
        "diary_slots": Sum("diary_slots", filter=diary_over, default=0),
        "relief_assessed": Count("pk", filter=assessed),
        "relief_patients": Count("patient", distinct=True, filter=assessed),
        "other_rule": Count("pk", filter=~Q(evaluated_rule=evaluated_rule())),
    }


@dataclass
class Group:
    """One row: a month, a proceduralist, a guidance, an agent or a sedation level."""

    key: object
    label: str
    counts: dict
    suppressed: bool = False
    relief: tuple[Decimal, Decimal] | None = None  # median end of relief: (from, to) minutes

    def __getattr__(self, name):
        counts = self.__dict__.get("counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    @property
    def decided(self) -> int:
        return self.injections - self.pending

    def rate(self, name: str) -> str:
        return display.rate(self.counts[name], self.decided)

    @property
    def outcome_cells(self) -> list[str]:
        cells = self.cells
        return [cells[outcome.value] for outcome in FINAL]

    @property
    def cells(self) -> dict[str, str]:
        """The row's figures as the page and the CSV write them ("< 5" when suppressed)."""
        figures = {
            "injections": str(self.injections),
            "pending": str(self.pending),
            **{outcome.value: self.rate(outcome.value) for outcome in FINAL},
            "signed": display.rate(self.signed, self.injections),
            "overridden": display.rate(self.overridden, self.signed),
            "diary": display.rate(self.diary_filled, self.diary_slots),
        }
        if self.relief is not None:
            low, high = self.relief
            figures["relief"] = f"{display.duration(low)}–{display.duration(high)}"
        else:
            figures["relief"] = "—"
        if self.suppressed:
            return dict.fromkeys(figures, SUPPRESSED)
        return figures


@dataclass
class Statistics:
    start: date
    end: date
    profile: Profile
    primary: bool
    total: Group
    groupings: dict[str, list[Group]] = field(default_factory=dict)

    @property
    def causes(self) -> list[tuple[str, int, str]]:
        """(words, count, share of the non-diagnostic) of each cause met, for the range."""
        if self.total.suppressed:
            return []
        total = self.total.counts[rules.Outcome.NON_DIAGNOSTIC.value]
        found = [(words, self.total.counts[f"cause_{key}"]) for key, words in CAUSES.items()]
        return [(words, n, display.rate(n, total)) for words, n in found if n]


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def months(start: date, end: date) -> list[date]:
    first, last = start.replace(day=1), end.replace(day=1)
    found = []
    while first <= last:
        found.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return found


def suppress(groups: list[Group]) -> list[Group]:
    """Hide every group of fewer than SMALL patients; if that hides exactly one group with
    others shown, hide the smallest other too, so the total minus the shown groups does not
    give the hidden one back."""
    small = [g for g in groups if g.injections and g.patients < SMALL]
    shown = [g for g in groups if g.patients >= SMALL]
    hidden = {id(g) for g in small}
    if len(small) == 1 and shown:
        hidden.add(id(min(shown, key=lambda g: (g.patients, g.injections))))
    return [replace(g, suppressed=id(g) in hidden) for g in groups]


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


def relief_medians(queryset) -> dict[str, tuple[Decimal, Decimal]]:
    """Per anaesthetic: the median of when relief was last seen and first gone, each from
    one query counting injections per value (bounded: whole minutes from 0 to 480)."""
    assessed = queryset.filter(relief_last_met__isnull=False)
    bounds = {}
    for column in ("relief_last_met", "relief_first_failed"):
        rows = assessed.values_list("anaesthetic_agent", column).annotate(n=Count("pk"))
        per_agent: dict[str, list[tuple[int, int]]] = {}
        for agent, value, n in rows.order_by():
            per_agent.setdefault(agent, []).append((value, n))
        bounds[column] = {agent: median_of_counts(values) for agent, values in per_agent.items()}
    return {
        agent: (low, bounds["relief_first_failed"][agent])
        for agent, low in bounds["relief_last_met"].items()
    }


def label_of(grouping: str, row: dict) -> str:
    key = row["key"]
    if grouping == "month":
        month = timezone.localtime(key).date() if isinstance(key, datetime) else key
        return display.month_text(month)
    if grouping == "proceduralist":
        full = f"{row['first_name']} {row['last_name']}".strip()
        return full or row["username"]
    choices = dict(Injection._meta.get_field(grouping).choices)
    return str(choices.get(key, key))


def group_keys(grouping: str) -> dict:
    if grouping == "month":
        return {"key": TruncMonth("performed_at", tzinfo=timezone.get_default_timezone())}
    if grouping == "proceduralist":
        return {
            "key": F("proceduralist_id"),
            "first_name": F("proceduralist__first_name"),
            "last_name": F("proceduralist__last_name"),
            "username": F("proceduralist__username"),
        }
    return {"key": F(grouping)}


def statistics(start: date, end: date, profile: Profile, now: datetime | None = None):
    """The dashboard's figures for injections performed from `start` to `end` (clinic days,
    both included) under `profile`, one of computable_profiles()."""
    now = now or timezone.now()
    in_range = Injection.objects.filter(
        performed_at__gte=local_midnight(start),
        performed_at__lt=local_midnight(end + timedelta(days=1)),
    )
    primary = profile == primary_profile()
    results = with_profile_result(in_range, profile, now)
    counts = aggregates(now)
    total = Group(None, "All injections", results.aggregate(**counts))
    total.suppressed = total.patients < SMALL
    medians = relief_medians(in_range) if primary else {}
    groupings = {}
    for grouping in GROUPINGS:
        keys = group_keys(grouping)
        rows = results.values(**keys).annotate(**counts).order_by("key")
        groups = [Group(row["key"], label_of(grouping, row), row) for row in rows]
        if grouping == "month":
            groups = fill_months(groups, start, end, counts)
        if grouping == "anaesthetic_agent":
            for group in groups:
                group.relief = medians.get(group.key)
                if group.relief_patients < SMALL:
                    group.relief = None
        groupings[grouping] = [
            replace(g, suppressed=True) if total.suppressed else g for g in suppress(groups)
        ]
    total.relief = None
    return Statistics(start, end, profile, primary, total, groupings)


def fill_months(groups: list[Group], start: date, end: date, names: Iterable[str]) -> list[Group]:
    """Every month of the range, those without injections as empty rows."""
    found: dict[str, Group | None] = {display.month_text(m): None for m in months(start, end)}
    for group in groups:
        found[group.label] = group
    empty = dict.fromkeys(names, 0)
    return [group or Group(label, label, dict(empty)) for label, group in found.items()]
