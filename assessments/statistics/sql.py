"""The dashboard's one aggregate query: every grouping and the relief counts in one scan.

The per-injection values come from the ORM (the queryset carries `stats_result`, from
figures.with_profile_result over models/result.py's `with_result`), compiled to SQL and used
as a materialized common table expression, so the injections in the range are read once and
the decision about the result in force stays in one place. They are counted into cells, and
each grouping adds up cells (GROUP BY, joined with UNION ALL). Plain SQL that SQLite (3.35+)
and PostgreSQL (12+) read the same way: SUM(CASE ...), COUNT(DISTINCT ...), a window COUNT.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Combinable

from .. import rules
from ..display import local_midnight
from ..models import Injection, evaluated_rule
from ..models.result import InjectionQuerySet

# A row of the aggregate query: its figure columns are named at run time (figure_columns).
Row = dict[str, Any]

# The grouping's name → its column in the per-injection rows.
KEYS = {
    "month": "month",
    "proceduralist": "proceduralist_key",
    "guidance": "guidance_key",
    "anaesthetic_agent": "agent_key",
    "sedation": "sedation_key",
}
RELIEF = ("last_met", "first_failed")  # when relief ended: between these (minutes)
PLANNER_SETTINGS = "SET LOCAL work_mem = '32MB'; SET LOCAL jit = off"
OUTCOMES = [outcome.value for outcome in rules.Outcome]
ND = rules.Outcome.NON_DIAGNOSTIC.value


def flag(condition: Q) -> "ExpressionWrapper[Q]":
    return ExpressionWrapper(condition, output_field=BooleanField())


def month_key(months: list[date]) -> Combinable:
    """The clinic month ("2026-03") an injection was performed in, for `months` (first days,
    in order, covering the range): a balanced CASE on the months' local midnights, so it is
    a few comparisons a row on both databases, with no time zone arithmetic in SQL (SQLite
    would call Python for each row)."""

    def tree(low: int, high: int) -> Combinable:
        if high - low == 1:
            return Value(f"{months[low]:%Y-%m}")
        middle = (low + high) // 2
        return Case(
            When(performed_at__lt=local_midnight(months[middle]), then=tree(low, middle)),
            default=tree(middle, high),
            output_field=CharField(),
        )

    return tree(0, len(months))


def per_injection(
    queryset: InjectionQuerySet, now: datetime, months: list[date]
) -> "QuerySet[Injection, Any]":
    """One row per injection: its group keys, result in force and what the figures add up."""
    diary_ended = now - timedelta(days=settings.DIARY_DAYS + 1)
    signed = Q(locked_at__isnull=False)
    return queryset.values(
        who=F("patient_id"),
        patient_injections=Window(Count("pk"), partition_by=[F("patient_id")]),
        month=month_key(months),
        proceduralist_key=F("proceduralist_id"),
        guidance_key=F("guidance"),
        agent_key=F("anaesthetic_agent"),
        sedation_key=F("sedation"),
        result=F("stats_result"),
        computed=F("outcome"),
        cause=F("non_diagnostic_cause"),
        is_signed=flag(signed),
        is_overridden=flag(signed & ~Q(signed_outcome=F("outcome"))),
        diary_ended=flag(Q(performed_at__lt=diary_ended)),
        filled=F("diary_slots_filled"),
        slots=F("diary_slots"),
        last_met=F("relief_last_met"),
        first_failed=F("relief_first_failed"),
        assessed=flag(Q(relief_last_met__isnull=False)),
        other_rule=flag(~Q(evaluated_rule=evaluated_rule())),
    ).order_by()


def counted(condition: str) -> str:
    """Injections of the cells meeting `condition` (a cell holds `n` injections)."""
    return f"SUM(CASE WHEN {condition} THEN n ELSE 0 END)"


def figure_columns() -> tuple[dict[str, str], list[str]]:
    """{name: SQL over the cells} and its parameters: the additive figures of one group."""
    columns: dict[str, str] = {}
    params: list[str] = []

    def add(name: str, expression: str, *values: str) -> None:
        columns[name] = expression
        params.extend(values)

    add("injections", "SUM(n)")
    for outcome in OUTCOMES:
        add(outcome, counted("result = %s"), outcome)
    for cause in rules.NON_DIAGNOSTIC_CAUSES:
        add(
            f"cause_{cause}", counted("result = %s AND computed = %s AND cause = %s"), ND, ND, cause
        )
    add("cause_signed", counted("result = %s AND computed <> result"), ND)
    add("cause_not_recorded", counted("result = %s AND computed = %s AND cause = ''"), ND, ND)
    add("signed", counted("is_signed"))
    add("overridden", counted("is_overridden"))
    add("diary_filled", "SUM(CASE WHEN diary_ended THEN filled ELSE 0 END)")
    add("diary_slots", "SUM(CASE WHEN diary_ended THEN slots ELSE 0 END)")
    add("relief_assessed", counted("assessed"))
    add("other_rule", counted("other_rule"))
    add("patients", counted("solo"))
    add("relief_patients", counted("solo AND assessed"))
    return columns, params


SOLO = "(patient_injections = 1)"
CELL_KEYS = [
    *KEYS.values(),
    "result",
    "computed",
    "cause",
    "is_signed",
    "is_overridden",
    "diary_ended",
    "assessed",
    "other_rule",
]


@contextmanager
def planner_settings() -> Iterator[None]:
    """On PostgreSQL, for this transaction only: sorts of a year's injections fit in memory,
    and no JIT compilation of the query's expressions (chosen for its row estimate, it costs
    more than running them)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(PLANNER_SETTINGS)
        yield


def grouped_counts(queryset: InjectionQuerySet, now: datetime, months: list[date]) -> list[Row]:
    """Rows of {grouping_name, group_key, group_value, group_month, figures...}: "all" (the
    whole range), each grouping of KEYS (group_key: the group as text) over the range and,
    but for "month", per clinic month too (group_month: "2026-03"; NULL over the range), and
    each of RELIEF (group_key: the agent, group_value: whole minutes, injections: how many
    ended there).

    Injections are first counted into cells (one per combination of the group keys and the
    values the figures test; hash aggregation, no sort), so each grouping adds up cells
    instead of re-testing every injection. Distinct patients cannot be added up: they are
    counted per grouping from the (group, patient) pairs.
    """
    rows_sql, rows_params = per_injection(queryset, now, months).query.sql_with_params()
    figures, figure_params = figure_columns()
    names = list(figures)
    parts: list[str] = []
    params: list[str] = []

    def part(
        grouping: str,
        key: str,
        source: str,
        group_by: str,
        *,
        value: str = "NULL",
        month: str = "NULL",
        where: str = "",
        **given: str,
    ) -> None:
        listed = ", ".join(
            f"{given.get(name, 'NULL')} AS {name}" if name in given else f"NULL AS {name}"
            for name in names
        )
        # Names and expressions are this module's constants; values go as parameters.
        parts.append(
            f"SELECT %s AS grouping_name, CAST({key} AS TEXT) AS group_key, "  # noqa: S608
            f"CAST({value} AS INTEGER) AS group_value, CAST({month} AS TEXT) AS group_month, "
            f"{listed} FROM {source} {where} {group_by}"
        )
        params.append(grouping)

    def figures_of(grouping: str, key: str, *, month: str = "NULL") -> None:
        columns = [column for column in (month, key) if column != "NULL"]
        group_by = f"GROUP BY {', '.join(columns)}" if columns else ""
        part(grouping, key, "cells", group_by, month=month, **figures)
        params.extend(figure_params)

    def patients_of(grouping: str, key: str, *, month: str = "NULL") -> None:
        # Patients with one injection in the range are counted in the cells; only those
        # with several need COUNT(DISTINCT), over their few rows.
        columns = [column for column in (month, key) if column != "NULL"]
        part(
            grouping,
            key,
            "injection_rows",
            f"GROUP BY {', '.join(columns)}" if columns else "",
            month=month,
            where="WHERE patient_injections > 1",
            patients="COUNT(DISTINCT who)",
            relief_patients="COUNT(DISTINCT CASE WHEN assessed THEN who END)",
        )

    figures_of("all", "NULL")
    patients_of("all", "NULL")
    for grouping, column in KEYS.items():
        figures_of(grouping, column)
        patients_of(grouping, column)
        if grouping != "month":
            # The same per clinic month: suppression decides month by month (figures.py).
            figures_of(grouping, column, month=KEYS["month"])
            patients_of(grouping, column, month=KEYS["month"])
    for column in RELIEF:
        part(
            column,
            "agent_key",
            "injection_rows",
            f"GROUP BY agent_key, {column}",
            value=column,
            where=f"WHERE {column} IS NOT NULL",
            injections="COUNT(*)",
        )
    keys = ", ".join(CELL_KEYS)
    # This module's names only; the ORM's SQL keeps its values apart, as parameters.
    cells = (
        f"SELECT {keys}, {SOLO} AS solo, COUNT(*) AS n, SUM(filled) AS filled, "  # noqa: S608
        f"SUM(slots) AS slots FROM injection_rows GROUP BY {keys}, {SOLO}"
    )
    sql = (
        f"WITH injection_rows AS MATERIALIZED ({rows_sql}), cells AS MATERIALIZED ({cells}) "
        + " UNION ALL ".join(parts)
    )
    with planner_settings(), connection.cursor() as cursor:
        cursor.execute(sql, [*rows_params, *params])
        columns = [column[0] for column in cursor.description]
        found = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return merged(found, names)


def merged(found: list[Row], names: list[str]) -> list[Row]:
    """One row per group: its figures, with the patients of several injections added."""
    rows: dict[tuple[Any, ...], Row] = {}
    for row in found:
        key = (row["grouping_name"], row["group_key"], row["group_value"], row["group_month"])
        into = rows.setdefault(key, {**row, **dict.fromkeys(names, 0)})
        for name in names:
            into[name] += int(row[name] or 0)  # PostgreSQL sums as numeric
    return list(rows.values())
