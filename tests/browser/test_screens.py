"""Every page, as each role sees it, at 1366×900 and on a 390×844 phone.

Each page must fit its width (nothing scrolls sideways), and a screenshot of each is saved in
screenshots/screens-<role>-<size>-<page>.jpg to look at. An auditor sees no write control on
any bedside page and a refusal is the styled page; every score of the readings table shows.
"""

from pprint import pformat

import pytest
from playwright.sync_api import expect

from assessments.models import DiaryLink
from tests.browser.pages import (
    DESKTOP,
    PHONE,
    REFUSED,
    log_in,
    pages_for,
    shot,
    sideways_overflow,
    wide_elements,
)

pytestmark = pytest.mark.usefixtures("transactional_db")

SIZES = {"desktop": DESKTOP, "phone": PHONE}
# Buttons and links that write; none may show for an auditor.
WRITE_WORDS = ("Enter score", "New injection", "Add", "Save", "Sign", "Record", "Register")


def check_page(page, role, name):
    """What each role must see on a page, beyond fitting it."""
    main = page.locator("main")
    if role == "auditor" and not name.startswith("admin") and name != "not-found":
        assert main.locator("form[method=post]").count() == 0, name
        for word in WRITE_WORDS:
            controls = main.locator("a.btn, button, input[type=submit]").filter(has_text=word)
            assert controls.count() == 0, (name, word)
    if (role, name) in REFUSED:
        expect(page.get_by_role("heading", level=1)).to_have_text("Your role cannot do this")
        expect(page.locator("nav.navbar")).to_be_visible()  # The site's layout.
        expect(page.get_by_role("link", name="Back to the board")).to_be_visible()
    if name == "admin-injections":
        # The result column is on the screen, phone included.
        box = page.locator("#result_list td.field-result_display").first.bounding_box()
        assert box and box["x"] + box["width"] <= page.viewport_size["width"], box
    if name == "injection":
        # Every score of the readings table is on the screen, phone included.
        scores = page.locator(".timeline .reading-score")
        assert scores.count() > 5
        width = page.viewport_size["width"]
        for index in range(scores.count()):
            box = scores.nth(index).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, index


def visit_all(page, live_server, role, size, pages):
    """Open each page, check it, screenshot it; return those that scroll sideways."""
    too_wide = {}
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        expected = 404 if name == "not-found" else 403 if (role, name) in REFUSED else 200
        assert response.status == expected, (name, response.status)
        check_page(page, role, name)
        shot(page, f"screens-{role}-{size}-{name}")
        overflow = sideways_overflow(page)
        if overflow > 0:
            too_wide[name] = (overflow, wide_elements(page))
    return too_wide


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["nurse", "clinician", "auditor", "administrator"])
def test_every_page_fits_each_role_at_desktop_and_phone_width(
    page_for, live_server, clinic, role, size
):
    users, diarised, signed, due = clinic
    page = page_for(*SIZES[size], mobile=size == "phone")
    log_in(page, live_server, users[role])
    too_wide = visit_all(page, live_server, role, size, pages_for(role, diarised, signed, due))
    assert not too_wide, pformat(too_wide, width=100)
    if role == "auditor":
        expect(page.get_by_role("link", name="New injection")).to_have_count(0)


@pytest.mark.parametrize("size", SIZES)
def test_the_patients_diary_fits(page_for, live_server, clinic, size):
    _, diarised, _, _ = clinic
    link = DiaryLink.issue(diarised)
    page = page_for(*SIZES[size], mobile=size == "phone")
    page.goto(f"{live_server.url}{link.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adaeze")
    assert "Okafor" not in page.content() and "DEMO-001" not in page.content()
    assert sideways_overflow(page) <= 0
    shot(page, f"screens-patient-{size}-diary")
