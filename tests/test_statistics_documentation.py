"""Coverage documentation by month on the statistics page (statistics/documentation.py)."""

from datetime import date

import pytest

from assessments.models import CoverageStatus
from assessments.statistics.documentation import documentation_by_month
from tests.clock import frozen
from tests.test_statistics_views import LAST_MONTH, MAY, URL, client_for, make_injections


@pytest.fixture(autouse=True)
def clock():
    with frozen():
        yield


def test_incomplete_documentation_is_counted_by_month(db):
    blocks = make_injections(12)  # no work-up: incomplete
    CoverageStatus.objects.filter(injection__in=blocks[:5]).update(status="unmet")
    make_injections(6, minutes_ago=LAST_MONTH + 31 * 24 * 60)  # April
    april, may = documentation_by_month(date(2026, 4, 1), MAY)
    assert (may.blocks, may.counts["incomplete"], may.counts["unmet"]) == (12, "7", "5")
    assert may.counts["met"] == "0"
    assert (april.month, april.counts["incomplete"]) == (date(2026, 4, 1), "6")


def test_a_small_count_is_hidden_with_the_next_smallest(db):
    blocks = make_injections(7)
    CoverageStatus.objects.filter(injection__in=blocks[:2]).update(status="unmet")
    (may,) = documentation_by_month(MAY, MAY)
    assert (may.counts["incomplete"], may.counts["unmet"]) == ("hidden", "< 5")


def test_a_month_of_few_patients_is_left_out(db):
    make_injections(4)
    (may,) = documentation_by_month(MAY, MAY)
    assert may.left_out and may.blocks == 0


def test_the_count_takes_one_query_whatever_the_data(db, django_assert_num_queries):
    make_injections(6)
    with django_assert_num_queries(1):
        documentation_by_month(date(2025, 6, 1), MAY)


def test_the_page_shows_the_documentation_table(client, db):
    make_injections(6)
    page = client_for(client, "Clinician").get(URL, {"start": "2026-05", "end": "2026-05"})
    text = page.content.decode()
    assert "Coverage documentation by month" in text
    assert '<td class="incomplete">6</td>' in text
