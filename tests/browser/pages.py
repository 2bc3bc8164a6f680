"""Steps shared by the browser tests: signing in, screenshots, measuring the layout, and the
pages each role opens."""

import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.builders import PASSWORD

SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
DESKTOP = (1366, 900)
PHONE = (390, 844)


def shot(page, name, full_page=True):
    """A screenshot to look at, in screenshots/ (JPEG: a full page encodes several times
    faster than PNG, which kept the browser tests waiting)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(SCREENSHOTS / f"{name}.jpg"),
        type="jpeg",
        quality=80,
        full_page=full_page,
        animations="disabled",
    )


def log_in(page, live_server, user, next_path="/"):
    page.goto(f"{live_server.url}{next_path}")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}{next_path}")


def sideways_overflow(page):
    """Pixels the page is wider than the screen (0 when it fits).

    Measured against the viewport asked for, not innerWidth: a phone browser widens its
    layout viewport (and innerWidth) to a page that does not fit, zooming it out.
    """
    width = page.evaluate("Math.max(document.documentElement.scrollWidth, window.innerWidth)")
    return width - page.viewport_size["width"]


WIDEST = """width => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 0.5)
  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 0.5)
  .slice(0, 5)
  .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}#${e.id}`
            + ` right=${Math.round(e.getBoundingClientRect().right)}`)"""


def wide_elements(page):
    """The outermost elements reaching past the screen's right edge: what to fix."""
    return page.evaluate(WIDEST, page.viewport_size["width"])


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
        "work-up": f"/patients/{diarised.patient_id}/work-up/",
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


# Pages a role is refused (the permission matrix has them all): the styled 403 must fit too.
REFUSED = {
    ("auditor", "refused"),
    ("auditor", "paper-diary"),
    ("auditor", "calls"),
    ("nurse", "statistics"),
    ("clinician", "admin-access-log"),
}


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
