"""No patient is recovered by subtracting one range's statistics from another's.

The red team's attack: two ranges one day apart, both shown (five patients or more each),
differ by one injection — its outcome, sign-off, proceduralist and technique. Ranges are now
whole clinic months up to the last complete one, and every figure adds up monthly cells
released on their own month's data, so ranges differ by released cells only. The clock is
frozen at 15 June 2026 (tests/clock.py): March, April and May are complete months.
"""

import csv
import io
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from assessments.rules.profiles import LEAFLET
from assessments.statistics.figures import CAUSES, GROUPINGS, statistics
from assessments.statistics.suppression import SMALL
from tests import builders
from tests.clock import FROZEN_AT, frozen

CSV_URL = "/stats/table.csv"
MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)
POSITIVE, NEGATIVE = [(-5, 8), (25, 1)], [(-5, 8), (25, 7)]
# The figures that add up (patients do not: one patient can come in two months).
ADDITIVE = ["injections", "pending", "positive", "indeterminate", "negative", "non_diagnostic"]
ADDITIVE += ["signed", "overridden", "diary_filled", "diary_slots", "other_rule"]


@pytest.fixture(autouse=True)
def clock():
    with frozen():
        yield FROZEN_AT


def on(day: date, hour=10, minute=0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def injections(count, day, readings=POSITIVE, **fields):
    """`count` injections on `day`, one new patient each."""
    return [
        builders.create_injection(readings, performed_at=on(day, minute=i), **fields)
        for i in range(count)
    ]


def csv_total(client, start, end):
    response = client.get(CSV_URL, {"start": start, "end": end})
    if response.status_code != 200:
        return response.status_code
    return next(csv.DictReader(io.StringIO(response.content.decode())))


def test_two_ranges_a_day_apart_are_refused_so_no_day_can_be_subtracted(client, db):
    proceduralist = builders.create_user()
    injections(6, date(2026, 5, 12), proceduralist=proceduralist)
    injections(1, date(2026, 5, 20), NEGATIVE, proceduralist=proceduralist)  # the target
    client.force_login(builders.create_role_user("Auditor"))

    # The attack as the red team ran it: both ranges of days.
    assert csv_total(client, "2026-05-01", "2026-05-20") == 400
    assert csv_total(client, "2026-05-01", "2026-05-19") == 400
    # Whole months are the finest difference: May as a whole (7 patients) is what shows.
    may = csv_total(client, "2026-05", "2026-05")
    assert (may["injections"], may["negative (%)"]) == ("7", "14.3")


def test_the_function_reads_any_days_as_their_whole_months(db):
    proceduralist = builders.create_user()
    injections(6, date(2026, 5, 12), proceduralist=proceduralist)
    injections(1, date(2026, 5, 20), NEGATIVE, proceduralist=proceduralist)

    longer = statistics(date(2026, 5, 1), date(2026, 5, 20), LEAFLET)
    shorter = statistics(date(2026, 5, 1), date(2026, 5, 19), LEAFLET)

    assert longer.total.counts == shorter.total.counts
    assert longer.total.negative == 1 and longer.total.injections == 7


@pytest.fixture
def small_april(db):
    """March and May have six patients each; April one, whose block was negative."""
    proceduralist = builders.create_user()
    injections(6, date(2026, 3, 10), proceduralist=proceduralist)
    target = injections(1, date(2026, 4, 14), NEGATIVE, proceduralist=proceduralist)[0]
    injections(6, date(2026, 5, 10), proceduralist=proceduralist)
    return target


def test_a_month_of_one_patient_is_left_out_of_every_range(small_april):
    with_april = statistics(MARCH, APRIL, LEAFLET)
    without = statistics(MARCH, MARCH, LEAFLET)
    around = statistics(MARCH, MAY, LEAFLET)
    may = statistics(MAY, MAY, LEAFLET)

    assert with_april.left_out_months == around.left_out_months == ["Apr 2026"]
    for name in ADDITIVE:
        assert with_april.total.counts[name] == without.total.counts[name], name
        assert around.total.counts[name] == (without.total.counts[name] + may.total.counts[name]), (
            name
        )
    assert around.total.negative == 0


@pytest.fixture
def small_proceduralist(db):
    """May: Dr Large injected six patients, Dr Small one (negative). March: six, Dr Large."""
    large = builders.create_user(first_name="Dr", last_name="Large")
    small = builders.create_user(first_name="Dr", last_name="Small")
    injections(6, date(2026, 3, 10), proceduralist=large)
    injections(6, date(2026, 5, 10), proceduralist=large)
    injections(1, date(2026, 5, 11), NEGATIVE, proceduralist=small)
    return large, small


def rows_by_key(figures, grouping):
    return {group.key: group for group in figures.groupings[grouping]}


def test_a_small_proceduralist_in_a_shown_month_cannot_be_subtracted_out(small_proceduralist):
    large, small = small_proceduralist
    march_to_may = statistics(MARCH, MAY, LEAFLET)
    march = statistics(MARCH, MARCH, LEAFLET)

    # The attacker: (all − every shown proceduralist) over March–May, minus the same over
    # March, would be Dr Small's May injection. It comes out as May's whole hidden part:
    # Dr Small's cell, and Dr Large's hidden with it.
    def residual(figures, name):
        shown = [g for g in figures.groupings["proceduralist"] if not g.suppressed]
        return figures.total.counts[name] - sum(g.counts[name] for g in shown)

    assert residual(march_to_may, "injections") - residual(march, "injections") == 7
    assert residual(march_to_may, "negative") - residual(march, "negative") == 1
    rows = rows_by_key(march_to_may, "proceduralist")
    assert rows[small.pk].suppressed and rows[small.pk].hidden_as == "< 5"
    assert (rows[large.pk].injections, rows[large.pk].left_out) == (6, 1)


def random_clinic(seed):
    """Three months of a small clinic: months, proceduralists, techniques and agents of every
    size, patients who come back, signed overrides and non-diagnostic blocks."""
    pick = random.Random(seed)
    staff = [builders.create_user() for _ in range(3)]
    patients = [builders.create_patient() for _ in range(14)]
    clinician = builders.create_role_user("Clinician")
    readings = [POSITIVE, NEGATIVE, [(-5, 8), (25, 3)], [(25, 2)], [(-5, 8), (60, 2)]]
    for month, size in zip((MARCH, APRIL, MAY), pick.sample([3, 8, 12], 3), strict=True):
        for number in range(size):
            injection = builders.create_injection(
                pick.choice(readings),
                patient=pick.choice(patients),
                proceduralist=pick.choice(staff),
                guidance=pick.choice(["fluoroscopy", "ct"]),
                anaesthetic_agent=pick.choice(["lidocaine", "bupivacaine"]),
                performed_at=on(month + timedelta(days=number), hour=9),
            )
            if pick.random() < 0.3:
                from assessments import signing

                signing.sign_off(injection.pk, clinician, outcome="positive", reason="Seen.")


def shown(group, name):
    """A count as the page and the CSV give it away (its rates are made of it): nothing
    when the row is hidden."""
    return 0 if group.suppressed else group.counts.get(name, 0)


def figure_vector(figures):
    """Every additive figure the page and the CSV show, by (grouping, group, name)."""
    found = {("all", None, name): shown(figures.total, name) for name in ADDITIVE}
    for grouping in GROUPINGS:
        for group in figures.groupings[grouping]:
            for name in ADDITIVE:
                found[(grouping, str(group.key), name)] = shown(group, name)
    causes = {words: count for words, count, _, _ in figures.causes}
    for words in CAUSES.values():
        count = causes.get(words, "0")
        found[("cause", words, "count")] = int(count) if count.isdigit() else 0
    return found


@pytest.mark.parametrize("seed", range(3))
def test_every_range_is_the_sum_of_its_months_so_a_difference_is_whole_months(db, seed):
    """Any range's figures add up the same months' figures taken one by one, so subtracting
    ranges (in any combination) gives back only months as shown on their own."""
    random_clinic(seed)
    months = [MARCH, APRIL, MAY]
    alone = {month: figure_vector(statistics(month, month, LEAFLET)) for month in months}
    for first in range(3):
        for last in range(first, 3):
            spanned = figure_vector(statistics(months[first], months[last], LEAFLET))
            for key, value in spanned.items():
                if key[0] == "month":
                    continue  # a month's own row is the same in every range
                added = sum(alone[month].get(key, 0) for month in months[first : last + 1])
                assert value == added, (months[first], months[last], key)


@pytest.mark.parametrize("seed", range(3))
def test_no_single_month_shows_a_group_of_fewer_than_five_patients(db, seed):
    random_clinic(seed)
    for month in (MARCH, APRIL, MAY):
        figures = statistics(month, month, LEAFLET)
        if figures.total.suppressed:
            continue
        for grouping in GROUPINGS:
            for group in figures.groupings[grouping]:
                if not group.suppressed and group.injections:
                    assert group.patients >= SMALL, (month, grouping, group.key)
