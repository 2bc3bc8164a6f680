"""The monitoring endpoint, the whoami page, and PostgreSQL's persistent connections."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

HEALTH_URL = reverse("health")
WHOAMI_URL = reverse("whoami")
SETTINGS_FILE = Path(django_settings.BASE_DIR) / "clinic" / "settings.py"


def refuse_queries(execute, sql, params, many, context):
    raise OperationalError("database is unavailable")


def test_health_answers_ok_after_one_database_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(HEALTH_URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


def test_health_answers_503_when_the_database_fails(client, db):
    with connection.execute_wrapper(refuse_queries):
        response = client.get(HEALTH_URL)
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
    assert "no-store" in response.headers["Cache-Control"]


def test_health_answers_head_and_refuses_writes(client, db):
    assert client.head(HEALTH_URL).status_code == 200
    assert client.post(HEALTH_URL).status_code in (403, 405)


def test_whoami_sends_anonymous_users_to_the_login_page(client, db):
    response = client.get(WHOAMI_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_whoami_names_the_user_of_an_unverified_session(client, make_user):
    client.force_login(make_user("whoami-nurse"))
    response = client.get(WHOAMI_URL)
    assert response.json() == {"username": "whoami-nurse", "verified": False}
    assert "no-store" in response.headers["Cache-Control"]


def test_whoami_says_when_the_session_is_verified_by_an_authenticator(client, make_user):
    user = make_user("whoami-doctor")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(WHOAMI_URL).json() == {"username": "whoami-doctor", "verified": True}


@pytest.mark.parametrize("conn_max_age, kept_for", [(None, 600), ("0", 0), ("60", 60)])
def test_postgresql_connections_are_kept_and_checked_before_reuse(
    monkeypatch, conn_max_age, kept_for
):
    monkeypatch.setenv("DATABASE_URL", "postgres://clinic@db.example.org:5432/si")
    if conn_max_age is None:
        monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    else:
        monkeypatch.setenv("CONN_MAX_AGE", conn_max_age)
    database = runpy.run_path(str(SETTINGS_FILE))["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == kept_for
    assert database["CONN_HEALTH_CHECKS"] is True
