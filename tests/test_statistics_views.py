"""The /stats/ page and its CSV: who may see them, the form, suppression, queries, the SVG.

The clock is frozen (tests/clock.py, 15 June 2026): the page shows complete months only, so
the records are placed in May, the last complete month, whatever the real date."""

import csv
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.forms.statistics import last_twelve_months
from assessments.rules.profiles import LEAFLET
from assessments.statistics.figures import statistics
from tests import builders
from tests.clock import FROZEN_AT, frozen

URL = "/stats/"
CSV_URL = "/stats/table.csv"
LAST_MONTH = 36 * 24 * 60  # minutes before 15 June 12:00: 10 May
MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)


@pytest.fixture(autouse=True)
def clock():
    with frozen():
        yield FROZEN_AT


def client_for(client, role):
    client.force_login(builders.create_role_user(role))
    return client


def make_injections(count, *, patients=None, **fields):
    """`count` positive injections spread over `patients` patients (default: one each)."""
    fields.setdefault("proceduralist", builders.create_user())
    fields.setdefault("minutes_ago", LAST_MONTH)
    people = [builders.create_patient() for _ in range(patients or count)]
    return [
        builders.create_injection([(-5, 8), (25, 1)], patient=people[i % len(people)], **fields)
        for i in range(count)
    ]


def test_the_statistics_urls_are_named():
    assert reverse("assessments:statistics") == URL
    assert reverse("assessments:statistics_csv") == CSV_URL


def test_nurse_is_refused_and_auditor_sees_the_page(client, db):
    assert client_for(client, "Nurse").get(URL).status_code == 403
    client.logout()
    assert client_for(client, "Auditor").get(URL).status_code == 200


def test_anonymous_goes_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_navbar_links_the_page_only_with_the_permission(client, db):
    assert b'href="/stats/"' in client_for(client, "Clinician").get("/").content
    client.logout()
    assert b'href="/stats/"' not in client_for(client, "Nurse").get("/").content


def test_default_range_is_the_last_twelve_complete_months(client, db):
    form = client_for(client, "Auditor").get(URL).context["form"]
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (date(2025, 6, 1), MAY)


@pytest.mark.parametrize(
    "query, field",
    [
        ({"start": "2026-03", "end": "2026-02"}, "end"),
        ({"start": "2026-13"}, "start"),
        ({"end": "yesterday"}, "end"),
        ({"start": "0001-01"}, "start"),
        ({"end": "9999-12"}, "end"),
        # Days, not months: two ranges a day apart would give back that day's injections.
        ({"start": "2026-03-01"}, "start"),
        ({"start": "2026-04", "end": "2026-05-31"}, "end"),
        # The month in progress changes every day: it is shown once it has ended.
        ({"end": "2026-06"}, "end"),
        ({"profile": "CMS-LCD-2023@2"}, "profile"),
        ({"profile": "\x00'; DROP TABLE x"}, "profile"),
    ],
)
def test_a_bad_filter_is_an_error_on_its_field(client, db, query, field):
    response = client_for(client, "Clinician").get(URL, query)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert b"invalid-feedback" in response.content
    assert client.get(CSV_URL, query).status_code == 400


def test_cleared_dates_take_the_default_range_and_the_csv_link_carries_only_the_filters(client, db):
    response = client_for(client, "Clinician").get(URL, {"start": "", "end": "", "junk": "x" * 500})
    assert response.status_code == 200
    start, end = last_twelve_months(timezone.localdate())
    assert (start, end) == (date(2025, 6, 1), MAY)
    assert response.context["query"] == "start=2025-06&end=2026-05&profile=LEAFLET%403"
    assert b"x" * 500 not in response.content


def suppressed_page(client, patients, injections):
    make_injections(injections, patients=patients)
    return client_for(client, "Clinician").get(URL).content.decode()


def test_four_patients_show_nothing(client, db):
    page = suppressed_page(client, patients=4, injections=4)
    assert "Fewer than 5 patients in every month of this range" in page
    assert "<svg" not in page


def test_five_patients_show_the_figures(client, db):
    page = suppressed_page(client, patients=5, injections=5)
    assert "Fewer than 5 patients" not in page
    assert re.search(r'stats-figure">100.0\xa0%', page)


def test_suppression_counts_patients_not_injections(client, db):
    page = suppressed_page(client, patients=4, injections=8)
    assert "Fewer than 5 patients in every month of this range" in page


def test_a_small_group_is_hidden_with_the_next_smallest(db):
    proceduralist = builders.create_user()
    for guidance, patients in (("ct", 4), ("fluoroscopy", 6), ("ultrasound", 7)):
        make_injections(patients, guidance=guidance, proceduralist=proceduralist)
    groups = statistics(MAY, MAY, LEAFLET).groupings["guidance"]
    shown = {group.key: group.cells["injections"] for group in groups}
    assert shown == {"ct": "< 5", "fluoroscopy": "hidden", "ultrasound": "7"}
    by_key = {group.key: group for group in groups}
    assert all(cell == "< 5" for cell in by_key["ct"].cells.values())
    assert all(cell == "hidden" for cell in by_key["fluoroscopy"].cells.values())


def test_small_groups_are_hidden_until_together_they_are_not_small(db):
    from assessments.statistics.figures import Group
    from assessments.statistics.suppression import suppress

    def group(key, patients):
        return Group(key, key, {"injections": patients, "patients": patients})

    groups = [group("a", 1), group("b", 2), group("c", 9), group("d", 20)]
    assert [g.suppressed for g in suppress(groups)] == [True, True, True, False]
    # 3 + 4 patients may be the same 4 (a patient in two months): not enough to hide behind.
    groups = [group("a", 3), group("b", 4), group("c", 9), group("d", 20)]
    assert [g.suppressed for g in suppress(groups)] == [True, True, True, False]
    groups = [group("a", 0), group("c", 9)]
    assert [g.suppressed for g in suppress(groups)] == [False, False]


@pytest.mark.parametrize(
    "counts, hidden",
    [
        ([8, 13, 2], [True, False, True]),  # 2 alone would be the total minus 21
        ([8, 13, 2, 4], [False, False, True, True]),  # two hidden, 6 together
        ([8, 13, 1, 2], [True, False, True, True]),  # two hidden, but only 3 together
        ([8, 13], [False, False]),
        ([3], [True]),
    ],
)
def test_causes_hide_the_next_smallest_while_a_hidden_count_could_be_worked_out(counts, hidden):
    from assessments.statistics.suppression import suppressed_counts

    assert suppressed_counts(counts) == hidden


def test_the_csv_is_the_table_with_formula_cells_neutralised(client, db):
    proceduralist = builders.create_user(first_name="=HYPERLINK(1)", last_name="")
    make_injections(5, proceduralist=proceduralist)
    response = client_for(client, "Auditor").get(CSV_URL)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="si-statistics-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    total = rows[0]
    assert (total["grouping"], total["group"]) == ("all", "All injections")
    assert total["injections"] == "5"
    assert total["positive (%)"] == "100.0" and total["non_diagnostic (%)"] == "0.0"
    people = [row for row in rows if row["grouping"] == "proceduralist"]
    assert [row["group"] for row in people] == ["'=HYPERLINK(1)"]
    months = [row for row in rows if row["grouping"] == "month"]
    assert len(months) == 12


def page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_page_makes_the_same_queries_for_little_and_more_data(client, db):
    client = client_for(client, "Clinician")
    make_injections(1)
    page_queries(client)  # The first request of a session also writes the session.
    few = page_queries(client)
    for guidance, sedation, agent in (
        ("ct", "minimal", "bupivacaine"),
        ("ultrasound", "moderate", "ropivacaine"),
        ("fluoroscopy", "none", "lidocaine"),
    ):
        make_injections(6, guidance=guidance, sedation=sedation, anaesthetic_agent=agent)
    make_injections(5, minutes_ago=100 * 24 * 60)
    make_injections(2, minutes_ago=70 * 24 * 60)  # a month left out
    assert page_queries(client) == few


# The staff's names and the one aggregate query; on PostgreSQL also the planner settings,
# in a transaction (a savepoint and its release, inside the test's transaction).
FIGURES_QUERIES = {"sqlite": 2, "postgresql": 5}


@pytest.mark.parametrize("extra", [0, 12])
def test_the_figures_take_the_same_few_queries_whatever_the_data(
    db, django_assert_num_queries, extra
):
    make_injections(1 + extra, minutes_ago=70 * 24 * 60)
    make_injections(extra, guidance="ct", sedation="deep", patients=3)
    with django_assert_num_queries(FIGURES_QUERIES[connection.vendor]):
        statistics(date(2025, 6, 1), MAY, LEAFLET)


def test_the_chart_is_inline_svg_with_title_and_no_style_attributes(client, db):
    make_injections(5)
    response = client_for(client, "Clinician").get(URL)
    page = response.content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert '<title id="outcome-chart-title">' in svg and "<desc" in svg
    assert 'class="bar-positive"' in svg
    assert "style=" not in page and "<script>" not in page
    assert "script-src" in response["Content-Security-Policy"]


def test_the_widest_range_answers(client, db):
    make_injections(5)
    response = client_for(client, "Auditor").get(URL, {"start": "2000-01", "end": "2026-05"})
    assert response.status_code == 200
    assert len(response.context["figures"].groupings["month"]) == 26 * 12 + 5


def test_another_profile_is_labelled_as_derived_from_the_stored_scores(client, db):
    make_injections(5)
    client = client_for(client, "Clinician")
    primary = client.get(URL).content.decode()
    assert "The clinic's primary profile" in primary and "Relief ended</th>" in primary
    other = client.get(URL, {"profile": "ASPN-2024@2"}).content.decode()
    assert "Not the clinic's primary profile" in other
    assert "ASPN guideline (2024)" in other and "Relief ended</th>" not in other


def test_the_chart_starts_at_the_first_month_with_injections(client, db):
    make_injections(5)  # All in May 2026; the default range runs from June 2025.
    page = client_for(client, "Clinician").get(URL).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    labels = re.findall(r'text-anchor="middle">([A-Z][a-z]{2})<', svg)

    assert labels == ["May"]
    assert "Jun 2025" in page  # The table still lists every month.


def test_a_table_with_a_hidden_group_says_once_why_it_is_hidden(client, db):
    proceduralist = builders.create_user()
    for guidance, patients in (("ct", 4), ("fluoroscopy", 6), ("ultrasound", 7)):
        make_injections(patients, guidance=guidance, proceduralist=proceduralist)

    page = client_for(client, "Clinician").get(URL, {"start": "2026-05", "end": "2026-05"})

    html = page.content.decode()
    guidance = html[html.index('id="table-') : html.index("causes-heading")]
    assert guidance.count("withheld-note") == 1
    assert "could otherwise be worked out from the total" in guidance
