"""Every page, as each role sees it, at 1366×900 and on a 390×844 phone.

Each page must fit its width (nothing scrolls sideways), and a screenshot of each is saved in
screenshots/screens-<role>-<size>-<page>.jpg to look at. An auditor sees no write control on
any bedside page and a refusal is the styled page; every score of the readings table shows.
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
    # DEMO-001's latest block (it confirms an earlier one).
    records = {
        mrn: Injection.objects.filter(patient__mrn=mrn).latest("performed_at")
        for mrn in ("DEMO-001", "DEMO-011")
    }
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
        "statistics": "/stats/",
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
    if name == "injection":
        # Every score of the readings table is on the screen, phone included.
        scores = page.locator(".timeline .reading-score")
        assert scores.count() > 5
        width = page.viewport_size["width"]
        for index in range(scores.count()):
            box = scores.nth(index).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, index


# Pages a role is refused (the permission matrix has them all): the styled 403 must fit too.
REFUSED = {
    ("auditor", "refused"),
    ("auditor", "paper-diary"),
    ("auditor", "calls"),
    ("nurse", "statistics"),
    ("clinician", "admin-access-log"),
}


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


def pages_for(role, diarised, signed, due):
    """Clinicians and auditors: every page. Nurses: the bedside. Administrators: the admin."""
    bedside = bedside_pages(diarised, signed, due)
    admin = admin_pages(diarised, signed)
    if role == "nurse":
        return bedside
    if role == "administrator":
        return admin
    if role == "auditor":
        del bedside["quick"], bedside["new-injection"]  # Read-only quick page; 403 below.
        return bedside | {"refused": "/injections/new/"} | admin
    return bedside | admin


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
