"""The outcome statistics in Chromium: chart, tables and filters fit a desktop and a phone."""

from datetime import datetime, time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.forms.statistics import month_back
from tests import builders
from tests.browser.pages import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    log_in,
    shot,
    sideways_overflow,
    wide_elements,
)

pytestmark = pytest.mark.usefixtures("transactional_db")

RESULTS = [[(-5, 8), (25, 1)], [(-5, 8), (25, 3)], [(-5, 8), (25, 7)], [(-5, 8), (60, 2)]]


@pytest.fixture
def clinic():
    """Thirty patients over the three complete months before this one (on the 10th, so in
    those months at any hour), two guidances, two agents."""
    proceduralist = builders.create_user(first_name="Ada", last_name="Quill")
    this_month = timezone.localdate().replace(day=1)
    for number in range(30):
        month = month_back(this_month, 1 + number % 3)
        builders.create_injection(
            RESULTS[number % 4],
            proceduralist=proceduralist,
            performed_at=timezone.make_aware(
                datetime.combine(month.replace(day=10), time(12, number))
            ),
            guidance=("fluoroscopy", "ct")[number % 2],
            anaesthetic_agent=("lidocaine", "bupivacaine")[number // 15],
        )
    return builders.create_role_user("Auditor")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_statistics_page_fits_and_shows_its_chart(page_for, live_server, clinic, size):
    page = page_for(*(DESKTOP if size == "desktop" else PHONE), mobile=size == "phone")
    log_in(page, live_server, clinic, "/stats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome statistics")
    expect(page.locator("svg.outcome-chart")).to_be_visible()
    expect(page.get_by_role("img", name="Results by month under Patient leaflet")).to_be_visible()
    shot(page, f"statistics-{size}")
    page.screenshot(path=str(SCREENSHOTS / f"statistics-{size}.png"), full_page=True)
    assert sideways_overflow(page) <= 0, wide_elements(page)
    page.fill("#id_start", "2026-03")
    page.fill("#id_end", "2026-02")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#id_end_error")).to_contain_text("The last month is before the first")
    page.screenshot(path=str(SCREENSHOTS / f"statistics-{size}-bad-range.png"), full_page=True)
