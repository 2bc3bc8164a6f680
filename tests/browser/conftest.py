"""Real browser tests: Debian's Chromium driven by Playwright, against Django's live server.

Skipped, with the reason printed by `pytest -ra`, when Chromium is not installed
(`apt-get install chromium`). Screenshots land in screenshots/ (git-ignored).
"""

import os
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from assessments.models import Injection

CHROMIUM = shutil.which("chromium")
MISSING = "Chromium not found: browser tests skipped (apt-get install chromium)"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=en-GB",  # Date boxes as a UK clinic sees them.
]


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(autouse=True)
def clinic_zone(settings):
    # The live server runs in this process, so it sees the override too.
    settings.TIME_ZONE = "Europe/Paris"


@pytest.fixture(scope="module")
def async_unsafe_orm():
    """Let the ORM run while Playwright's sync API keeps an event loop in this thread.

    The ORM calls made here between browser steps are plain synchronous ones. Set only while
    the browser is open, so it does not leak into other tests' subprocesses.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(async_unsafe_orm):
    args = CHROMIUM_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield chromium
        chromium.close()


@pytest.fixture
def page_for(browser):
    """page_for(width, height, mobile): a page in a fresh context (its own cookies)."""
    contexts = []

    def open_page(width=1366, height=900, mobile=False):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            is_mobile=mobile,
            has_touch=mobile,
            locale="en-GB",
            timezone_id=settings.TIME_ZONE,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def nurse(make_role_user):
    return make_role_user("Nurse")


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
