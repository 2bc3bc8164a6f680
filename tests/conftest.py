"""Fixtures shared by the tests: the row builders (tests/builders.py), signed-in clients,
and the per-test settings every test gets."""

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import TransactionTestCase

from assessments import signing, triggers
from assessments.models import Injection
from tests import builders
from tests.clock import AT_ANY_HOUR, CLINIC_TIME, stop_the_clock

# The SMTP server, the Madrid clinic and the patient who agreed to reminders.
pytest_plugins = ["tests.reminder_fixtures"]

_flush_tables = TransactionTestCase._fixture_teardown


def _flush_with_guards_lifted(self):
    """A transactional test empties every table afterwards, append-only ones included.

    The guards refuse exactly that (DELETE on SQLite, TRUNCATE on PostgreSQL), so they are
    lifted for the flush and put back before the next test.
    """
    aliases = self._databases_names(include_mirrors=False)
    for alias in aliases:
        triggers.uninstall(connections[alias])
    try:
        _flush_tables(self)
    finally:
        for alias in aliases:
            triggers.install(connections[alias], Injection)


TransactionTestCase._fixture_teardown = _flush_with_guards_lifted


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_download_streaming():
    # A streamed download a test never read to its end keeps its slot (keyed by thread):
    # the next test in this worker would find every slot taken.
    from assessments.exports import slots

    slots._holders.clear()


@pytest.fixture(autouse=True)
def fresh_page_cache(settings):
    # Each test's database starts again from version 0 (rolled back): no page carried over.
    # Each test process keeps its own (never a Redis that REDIS_URL names: others use it).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    # Archived PDFs land in a per-test folder, never in the project's var/.
    settings.MEDIA_ROOT = tmp_path / "media"


def builder(name, function):
    """A fixture `name` handing out a tests/builders.py function, with the database on."""

    def fixture(db):
        return function

    fixture.__doc__ = function.__doc__
    return pytest.fixture(fixture, name=name)


make_user = builder("make_user", builders.create_user)
make_role_user = builder("make_role_user", builders.create_role_user)
make_patient = builder("make_patient", builders.create_patient)
make_injection = builder("make_injection", builders.create_injection)


@pytest.fixture
def nurse_client(client, make_role_user):
    """A client signed in as a nurse called "ward-nurse"."""
    client.force_login(make_role_user("Nurse", "ward-nurse"))
    return client


@pytest.fixture
def clinician(make_role_user):
    return make_role_user("Clinician")


@pytest.fixture
def signed(make_injection, clinician):
    """An injection signed off by `clinician` (locked)."""
    injection = make_injection([(-5, 8), (25, 2)])
    signing.sign_off(injection.pk, clinician)
    injection.refresh_from_db()
    return injection


@pytest.fixture
def staff_user(make_user):
    return make_user("nurse", is_superuser=True)


@pytest.fixture
def new_injection_body(make_user):
    """new_injection_body(**overrides): a valid bedside new-injection POST."""
    proceduralist = make_user("dr-who")
    return lambda **overrides: builders.new_injection_body(proceduralist, **overrides)


# --- the clock (tests/clock.py) -----------------------------------------------------------


@pytest.fixture
def clinic_clock(settings):
    """The clock stopped at 10:30 clinic time on Tuesday 10 March 2026."""
    with stop_the_clock(settings, CLINIC_TIME) as traveller:
        yield traveller


@pytest.fixture(
    params=AT_ANY_HOUR,
    ids=[f"{zone or 'clinic'}-{clock:%H%M}" for zone, clock in AT_ANY_HOUR],
)
def any_hour(request, settings):
    """The clock stopped at 00:30, 03:30 and 23:30, in the clinic's zone, Pacific/Auckland and
    America/Los_Angeles: one run each. List it before the fixtures that make records."""
    zone, clock = request.param
    with stop_the_clock(settings, clock, zone) as traveller:
        yield traveller
