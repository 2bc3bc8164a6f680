"""Every page, as each role sees it, at 1366×900 and on a 390×844 phone.

Each page must fit its width (nothing scrolls sideways), and a screenshot of each is saved in
screenshots/screens-<role>-<size>-<page>.png to look at. An auditor sees no write control.
"""

from datetime import timedelta
from io import StringIO
from pprint import pformat

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import DiaryLink, Injection
from tests.browser.pages import DESKTOP, PHONE, log_in, shot, sideways_overflow, wide_elements

pytestmark = pytest.mark.usefixtures("transactional_db")

SIZES = {"desktop": DESKTOP, "phone": PHONE}
# Buttons and links that write; none may show for an auditor.
WRITE_WORDS = ("Enter score", "New injection", "Add", "Save", "Sign", "Record", "Register")


@pytest.fixture
def clinic(make_role_user):
    """The demo clinic (22 scenarios, two of them signed) and one user per role."""
    call_command("seed_demo", stdout=StringIO())
    users = {role: make_role_user(role.title()) for role in ("nurse", "clinician", "auditor")}
    users["administrator"] = make_role_user("Clinician", is_superuser=True)
    records = {mrn: Injection.objects.get(patient__mrn=mrn) for mrn in ("DEMO-001", "DEMO-011")}
    due = Injection.objects.get(patient__mrn="DEMO-021")
    return users, records["DEMO-001"], records["DEMO-011"], due


def bedside_pages(diarised, signed, due):
    yesterday = timezone.localdate() - timedelta(days=1)
    return {
        "board": "/",
        "board-yesterday": f"/?day={yesterday.isoformat()}",
        "patients": "/patients/?q=DEMO-00",
        "injection": f"/injections/{diarised.pk}/",
        "injection-signed": f"/injections/{signed.pk}/",
        "quick": f"/injections/{due.pk}/reading/",
        "week": f"/injections/{diarised.pk}/week/",
        "paper-diary": f"/injections/{diarised.pk}/paper-diary/",
        "new-injection": "/injections/new/",
        "calls": "/follow-up/",
        "not-found": "/injections/999999/",
    }


def admin_pages(diarised, signed):
    base = "/admin/assessments/injection"
    return {
        "admin-index": "/admin/",
        "admin-injections": f"{base}/",
        "admin-injection": f"{base}/{diarised.pk}/change/",
        "admin-injection-signed": f"{base}/{signed.pk}/change/",
        "admin-audit-trail": f"{base}/{diarised.pk}/history/",
        "admin-patients": "/admin/assessments/patient/",
        "admin-access-log": "/admin/assessments/reportaccess/",
    }


def visit_all(page, live_server, role, size, pages):
    """Open each page, screenshot it, and return those that scroll sideways."""
    too_wide = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
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
    pages = bedside_pages(diarised, signed, due)
    if role != "nurse":
        pages |= admin_pages(diarised, signed)
    too_wide = visit_all(page, live_server, role, size, pages)
    assert not too_wide, pformat(too_wide, width=100)


@pytest.mark.parametrize("size", SIZES)
def test_the_readings_table_shows_every_score(page_for, live_server, clinic, size):
    users, diarised, _, _ = clinic
    page = page_for(*SIZES[size], mobile=size == "phone")
    log_in(page, live_server, users["clinician"], f"/injections/{diarised.pk}/")
    scores = page.locator(".timeline .reading-score")
    expect(scores.first).to_be_visible()
    assert scores.count() == diarised.readings.count()
    for index in range(scores.count()):
        box = scores.nth(index).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= SIZES[size][0]


@pytest.mark.parametrize("size", SIZES)
def test_an_auditor_sees_no_write_control(page_for, live_server, clinic, size):
    users, diarised, signed, due = clinic
    page = page_for(*SIZES[size], mobile=size == "phone")
    log_in(page, live_server, users["auditor"])
    pages = bedside_pages(diarised, signed, due)
    del pages["quick"], pages["new-injection"], pages["not-found"]  # Refused: see below.
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        main = page.locator("main")
        assert main.locator("form[method=post]").count() == 0, name
        for word in WRITE_WORDS:
            controls = main.locator("a.btn, button, input[type=submit]").filter(has_text=word)
            assert controls.count() == 0, (name, word)
    expect(page.get_by_role("link", name="New injection")).to_have_count(0)


@pytest.mark.parametrize("size", SIZES)
def test_a_refused_page_is_the_styled_one(page_for, live_server, clinic, size):
    users, _, _, due = clinic
    page = page_for(*SIZES[size], mobile=size == "phone")
    log_in(page, live_server, users["auditor"])
    response = page.goto(f"{live_server.url}/injections/new/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Your role cannot do this")
    expect(page.locator("nav.navbar")).to_be_visible()  # The site's layout, not a bare page.
    expect(page.get_by_role("link", name="Back to the board")).to_be_visible()
    assert sideways_overflow(page) <= 0
    shot(page, f"screens-auditor-{size}-refused")


@pytest.mark.parametrize("size", SIZES)
def test_the_patients_diary_fits(page_for, live_server, clinic, size):
    _, diarised, _, _ = clinic
    link = DiaryLink.issue(diarised)
    page = page_for(*SIZES[size], mobile=size == "phone")
    page.goto(f"{live_server.url}{link.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adaeze")
    assert sideways_overflow(page) <= 0
    shot(page, f"screens-patient-{size}-diary")
