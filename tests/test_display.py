"""assessments/display.py: how every page, report and export writes times, people and figures."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from assessments import display


@pytest.fixture(autouse=True)
def paris(settings):
    settings.TIME_ZONE = "Europe/Paris"


def test_a_time_always_carries_the_clinic_zone():
    winter, summer = (
        datetime(2026, 3, 3, 13, 5, tzinfo=UTC),
        datetime(2026, 7, 3, 13, 5, tzinfo=UTC),
    )
    assert display.date_time(winter) == "3 Mar 2026, 14:05 CET"
    assert display.date_time(summer) == "3 Jul 2026, 15:05 CEST"
    assert display.short_date_time(winter) == "3 Mar, 14:05 CET"
    assert display.clock(None) == display.date_time(None) == "—"


def test_a_birth_date_has_no_weekday_and_a_board_day_has_one():
    assert display.day_text(date(1968, 3, 14)) == "14 Mar 1968"
    assert display.day_text(date(2026, 11, 26), weekday=True) == "Thu 26 Nov 2026"


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("66.66666666666666666666666667"), "66.7\u00a0%"),
        (Decimal("75"), "75.0\u00a0%"),
        (Decimal("87.45"), "87.5\u00a0%"),  # Half up, as the rule rounds.
        (None, "—"),
    ],
)
def test_a_reduction_is_one_decimal_and_never_split_from_its_sign(value, shown):
    assert display.percent(value) == shown


def test_figures_stay_together_when_a_sentence_wraps():
    text = display.keep_together("reading at 21 min, 1/10, is 87.5 % (> 75 %, ≥ 75 %)")
    assert text == (
        "reading at 21\u00a0min, 1/10, is 87.5\u00a0% (>\u00a075\u00a0%, ≥\u00a075\u00a0%)"
    )


@pytest.mark.parametrize("minutes, words", [(25, "25 min"), (60, "1 h"), (130, "2 h 10 min")])
def test_minutes_after_the_injection_read_as_people_say_them(minutes, words):
    assert display.duration(minutes) == words


def test_people_are_named_by_full_name(django_user_model):
    assert display.person(django_user_model(username="u1", first_name="Ada", last_name="Ok")) == (
        "Ada Ok"
    )
    assert display.person(django_user_model(username="u2")) == "u2"
    assert display.person(None) == "—"


@pytest.mark.parametrize(
    "value, text",
    [(Decimal("40.0"), "40"), (Decimal("10"), "10"), (Decimal("1.50"), "1.5"), (None, None)],
)
def test_amounts_have_no_trailing_zeros_and_no_exponent(value, text):
    assert display.amount(value) == text
