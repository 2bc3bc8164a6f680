"""The today board (views/board.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.views.pages import (
    BOARD_QUERIES,
    BOARD_URL,
    CACHED_BOARD_QUERIES,
    quick_url,
)


def test_board_lists_todays_injections_by_urgency(
    clinic_clock, nurse_client, make_injection, make_patient
):
    due = make_injection([(-5, 8)], minutes_ago=25, patient=make_patient(mrn="DUE-1"))
    waiting = make_injection([(-5, 8)], minutes_ago=5, patient=make_patient(mrn="WAIT-1"))
    done = make_injection([(-5, 8), (22, 1)], minutes_ago=40, patient=make_patient(mrn="DONE-1"))
    missed = make_injection([(-5, 6)], minutes_ago=45, patient=make_patient(mrn="MISS-1"))
    make_injection([(-5, 8)], minutes_ago=3 * 24 * 60, patient=make_patient(mrn="OLD-1"))

    response = nurse_client.get(BOARD_URL)

    rows = response.context["rows"]
    assert [row[0].pk for row in rows] == [due.pk, waiting.pk, missed.pk, done.pk]
    html = response.content.decode()
    assert "OLD-1" not in html
    assert "Due now" in html and "closes in 5 min" in html
    assert "opens in 15 min" in html
    assert "closed 15 min ago" in html
    assert "1/10" in html and "Positive" in html
    assert f'href="{quick_url(due)}"' in html


def test_board_shows_an_in_window_result_as_provisional_not_done(nurse_client, make_injection):
    injection = make_injection([(-5, 8), (21, 1)], minutes_ago=25)

    html = nurse_client.get(BOARD_URL).content.decode()

    card = html[html.index(f'id="injection-{injection.pk}"') :]
    card = card[: card.index("</article>")]
    assert 'data-status="recorded"' in card and "In window" in card
    assert "provisional" in card and "Done" not in card


def test_board_says_pending_never_non_diagnostic_before_the_window(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=5)
    html = nurse_client.get(BOARD_URL).content.decode()
    card = html[html.index(f'id="injection-{injection.pk}"') :]
    card = card[: card.index("</article>")]
    assert "Non-diagnostic" not in card and "Waiting" in card


def test_board_gives_the_browser_iso_times_to_count_down_from(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    html = nurse_client.get(BOARD_URL).content.decode()
    closes = injection.window_closes_at.isoformat(timespec="milliseconds")
    assert f'data-countdown-to="{closes}"' in html
    assert 'data-countdown="closes in {n} min"' in html
    assert "data-server-now=" in html


def test_board_shows_window_times_in_clinic_time_with_zone(nurse_client, make_injection):
    performed = timezone.now() - timedelta(minutes=10)
    injection = make_injection([(-5, 8)], performed_at=performed)
    html = nurse_client.get(BOARD_URL).content.decode()
    closes = timezone.localtime(injection.window_closes_at)
    assert closes.strftime("%H:%M %Z") in html
    assert closes.strftime("%Z") in ("CET", "CEST")


def test_board_flags_a_missing_baseline(nurse_client, make_injection):
    make_injection([], minutes_ago=5)
    assert "Not recorded" in nurse_client.get(BOARD_URL).content.decode()


@pytest.mark.parametrize("count", [10, 50])
def test_board_runs_a_constant_number_of_queries(
    clinic_clock, nurse_client, make_injection, make_user, count, django_assert_max_num_queries
):
    # The clock is stopped: on a busy machine a window opening between the two visits would
    # rightly make the board again.
    proceduralist = make_user()
    for number in range(count):
        make_injection(
            [(-5, 8), (25, 2)] if number % 2 else [(-5, 7)],
            minutes_ago=number % 180,
            proceduralist=proceduralist,
        )
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = nurse_client.get(BOARD_URL)
    assert len(response.context["rows"]) == count
    with django_assert_max_num_queries(CACHED_BOARD_QUERIES):
        cached = nurse_client.get(BOARD_URL)
    assert cached.content.count(b'class="card h-100 board-card') == count
