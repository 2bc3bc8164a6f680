"""Small builders shared by the tests. Each returns saved, valid rows."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import TransactionTestCase
from django.utils import timezone

from assessments import services, triggers
from assessments.models import Injection, PainReading, Patient
from tests import builders

_numbers = count(1)
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
def fresh_board_cache():
    # Each test's database starts again from version 0 (rolled back): no cards carried over.
    from assessments.views.board import cards_cache

    cards_cache.clear()


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    # Archived PDFs land in a per-test folder, never in the project's var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_role_user(db, make_user):
    """A staff user in one of the setup_roles groups (Clinician, Nurse, Auditor)."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    def make(role, username=None, **fields):
        if not Group.objects.filter(name=role).exists():
            call_command("setup_roles", stdout=StringIO())
        user = make_user(username or f"{role.lower()}{next(_numbers)}", **fields)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def make_user(db):
    def make(username=None, **fields):
        fields.setdefault("is_staff", True)
        user = get_user_model().objects.create_user(
            username or f"user{next(_numbers)}", password="pw-for-tests-1", **fields
        )
        return user

    return make


@pytest.fixture
def nurse_client(client, make_role_user):
    """A client signed in as a nurse called "ward-nurse"."""
    client.force_login(make_role_user("Nurse", "ward-nurse"))
    return client


@pytest.fixture
def staff_user(make_user):
    return make_user("nurse", is_superuser=True)


@pytest.fixture
def make_patient(db):
    def make(**fields):
        number = next(_numbers)
        fields.setdefault("mrn", f"T{number:05d}")
        fields.setdefault("family_name", "Testperson")
        fields.setdefault("given_name", "Alex")
        fields.setdefault("date_of_birth", date(1970, 1, 1))
        return Patient.objects.create(**fields)

    return make


@pytest.fixture
def make_injection(db, make_patient, make_user):
    def make(readings=(), *, patient=None, minutes_ago=24 * 60, **fields):
        """readings: (minutes after the injection, score[, context]); negative minutes are
        baselines. The context defaults to "provoked", as the protocol asks."""
        fields.setdefault("performed_at", timezone.now() - timedelta(minutes=minutes_ago))
        fields.setdefault("side", "left")
        fields.setdefault("guidance", "fluoroscopy")
        fields.setdefault("anaesthetic_agent", "lidocaine")
        fields.setdefault("anaesthetic_concentration", Decimal("2"))
        fields.setdefault("anaesthetic_volume_ml", Decimal("2"))
        if "proceduralist" not in fields:
            fields["proceduralist"] = make_user()
        injection = Injection.objects.create(patient=patient or make_patient(), **fields)
        for minutes, score, *context in readings:
            PainReading.objects.create(
                injection=injection,
                recorded_at=injection.performed_at + timedelta(seconds=int(minutes * 60)),
                score=score,
                context=context[0] if context else "provoked",
            )
        services.refresh_evaluation(injection.pk)
        injection.refresh_from_db()
        return injection

    return make


@pytest.fixture
def new_injection_body(make_user):
    """new_injection_body(**overrides): a valid bedside new-injection POST."""
    proceduralist = make_user("dr-who")
    return lambda **overrides: builders.new_injection_body(proceduralist, **overrides)
