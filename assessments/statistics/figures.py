"""The outcome statistics: which profiles can be shown, the figures per group, suppression.

The figures come from one aggregate query (sql.py) over the stored evaluation, so the number
of queries and the rows fetched do not grow with the data. The result in force is
models/result.py's SQL (`with_result`): a signed outcome wins, pending is not a result.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from .. import display, rules
from ..display import local_midnight
from ..models import Injection, primary_profile
from ..rules.profiles import BUILT_IN, Profile, decided_by_the_same_reading
from .sql import RELIEF, grouped_counts

SMALL = 5  # a group with fewer patients than this is shown as "< 5"
SUPPRESSED = f"< {SMALL}"
# A group of 5 patients or more hidden so that a smaller one cannot be worked out.
WITHHELD = "hidden"
FINAL = rules.FINAL_OUTCOMES  # the columns, in the rule's order
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
            # Rule 2.1: negative only when every counted reading was; the stored outcome says.
            When(Q(outcome=rules.Outcome.NEGATIVE), then=Value(rules.Outcome.NEGATIVE.value)),
            When(meets, then=Value(rules.Outcome.POSITIVE.value)),
            default=Value(rules.Outcome.INDETERMINATE.value),
        ),
    }


def with_profile_result(queryset, profile: Profile, now: datetime):
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
    def cells(self) -> dict[str, str]:
        """The row's figures as the page and the CSV write them ("< 5" or "hidden" when
        suppressed)."""
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
            return dict.fromkeys(figures, self.hidden_as)
        return figures

    @property
    def hidden_as(self) -> str:
        """What a suppressed group shows: "< 5", or "hidden" for a larger group hidden with
        a small one."""
        return SUPPRESSED if self.patients < SMALL else WITHHELD


@dataclass
class Statistics:
    start: date
    end: date
    profile: Profile
    primary: bool
    total: Group
    groupings: dict[str, list[Group]] = field(default_factory=dict)

    @property
    def causes(self) -> list[tuple[str, str, str]]:
        """(words, count, share of the non-diagnostic) of each cause met in the range; a
        count under SMALL injections shows as "< 5", with no share, and so does the next
        smallest while the hidden ones could be worked out from the total."""
        if self.total.suppressed:
            return []
        total = self.total.counts[rules.Outcome.NON_DIAGNOSTIC.value]
        found = [(words, self.total.counts[f"cause_{key}"]) for key, words in CAUSES.items()]
        found = [(words, n) for words, n in found if n]
        hide = suppressed_counts([n for _, n in found])
        return [
            (words, SUPPRESSED, "—") if hidden else (words, str(n), display.rate(n, total))
            for (words, n), hidden in zip(found, hide, strict=True)
        ]


def months(start: date, end: date) -> list[date]:
    first, last = start.replace(day=1), end.replace(day=1)
    found = []
    while first <= last:
        found.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    return found


def suppress(groups: list[Group]) -> list[Group]:
    """Hide every group of fewer than SMALL patients; then, while the hidden groups together
    may hold fewer than SMALL patients, hide the smallest shown one too, so the whole range
    minus the shown groups does not give a small number back. A patient can be in several
    hidden groups (two months, two techniques), so the hidden groups together are only
    known to hold as many patients as the largest of them."""
    hidden = [g for g in groups if g.injections and g.patients < SMALL]
    shown = sorted(
        (g for g in groups if g.patients >= SMALL), key=lambda g: (g.patients, g.injections)
    )
    while hidden and shown and max(g.patients for g in hidden) < SMALL:
        hidden.append(shown.pop(0))
    return [replace(g, suppressed=any(g is h for h in hidden)) for g in groups]


def suppressed_counts(counts: list[int]) -> list[bool]:
    """Which of these counts (parts of a known total) to hide: every one under SMALL, then,
    while one alone is hidden or the hidden ones sum to under SMALL, the smallest shown one
    too, so no hidden count is the total minus the shown ones."""
    hidden = {i for i, n in enumerate(counts) if 0 < n < SMALL}
    shown = sorted((n, i) for i, n in enumerate(counts) if n >= SMALL)
    while hidden and shown and (len(hidden) < 2 or sum(counts[i] for i in hidden) < SMALL):
        hidden.add(shown.pop(0)[1])
    return [i in hidden for i in range(len(counts))]


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


def relief_medians(rows: list[dict]) -> dict[str, tuple[Decimal, Decimal]]:
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
    choices = dict(Injection._meta.get_field(grouping).choices)
    return key, str(choices.get(key, key))


def sort_order(grouping: str):
    if grouping in ("month", "proceduralist"):
        return lambda group: (group.label.casefold(), str(group.key))
    order = [value for value, _ in Injection._meta.get_field(grouping).choices]
    return lambda group: order.index(group.key) if group.key in order else len(order)


def proceduralists(in_range) -> dict[int, str]:
    """Names of the staff who performed injections in the range (one query, always)."""
    performed = in_range.filter(proceduralist=OuterRef("pk"))
    users = get_user_model().objects.filter(Exists(performed))
    return {user.pk: display.person(user) for user in users}


def statistics(start: date, end: date, profile: Profile, now: datetime | None = None):
    """The dashboard's figures for injections performed from `start` to `end` (clinic days,
    both included) under `profile`, one of computable_profiles(). Two queries, whatever
    the data: the staff's names and sql.grouped_counts."""
    now = now or timezone.now()
    in_range = Injection.objects.filter(
        performed_at__gte=local_midnight(start),
        performed_at__lt=local_midnight(end + timedelta(days=1)),
    )
    primary = profile == primary_profile()
    people = proceduralists(in_range)
    rows = grouped_counts(with_profile_result(in_range, profile, now), now, months(start, end))
    total = Group(None, "All injections", next(r for r in rows if r["grouping_name"] == "all"))
    total.suppressed = total.patients < SMALL
    medians = relief_medians(rows) if primary else {}
    groupings = {}
    for grouping in GROUPINGS:
        groups = [
            Group(*group_label(grouping, row["group_key"], people), row)
            for row in rows
            if row["grouping_name"] == grouping
        ]
        groups.sort(key=sort_order(grouping))
        if grouping == "month":
            groups = fill_months(groups, start, end, total.counts)
        if grouping == "anaesthetic_agent":
            for group in groups:
                if group.relief_patients >= SMALL:
                    group.relief = medians.get(group.key)
        groupings[grouping] = [
            replace(g, suppressed=True) if total.suppressed else g for g in suppress(groups)
        ]
    return Statistics(start, end, profile, primary, total, groupings)


def fill_months(groups: list[Group], start: date, end: date, names: Iterable[str]) -> list[Group]:
    """Every month of the range, those without injections as empty rows."""
    found: dict[str, Group | None] = {display.month_text(m): None for m in months(start, end)}
    for group in groups:
        found[group.label] = group
    empty = {name: 0 for name in names if name not in ("grouping_name", "group_key")}
    return [group or Group(label, label, dict(empty)) for label, group in found.items()]
