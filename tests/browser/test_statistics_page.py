"""The outcome statistics in Chromium: chart, tables and filters fit a desktop and a phone."""

import pytest
from playwright.sync_api import expect

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
    """Thirty patients over six months, two guidances, two agents."""
    proceduralist = builders.create_user(first_name="Ada", last_name="Quill")
    for number in range(30):
        builders.create_injection(
            RESULTS[number % 4],
            proceduralist=proceduralist,
            minutes_ago=(1 + number % 6 * 30) * 24 * 60,
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
    page.fill("#id_start", "2026-03-01")
    page.fill("#id_end", "2026-02-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#id_end_error")).to_contain_text("The end is before the start")
    page.screenshot(path=str(SCREENSHOTS / f"statistics-{size}-bad-range.png"), full_page=True)
