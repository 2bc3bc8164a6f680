"""Idle logout with the real session store, the clock moved instead of waited for."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

WHOAMI_URL = reverse("whoami")
IDLE_LIMIT = timedelta(minutes=30)


class Clock:
    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def signed_in(client, make_user, clock):
    """A signed-in client whose session was just written by a request."""
    client.force_login(make_user("idle-nurse"))
    assert client.get(WHOAMI_URL).status_code == 200
    return client


def session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def session_writes(queries):
    return [
        query["sql"]
        for query in queries
        if "django_session" in query["sql"] and not query["sql"].startswith("SELECT")
    ]


def test_a_request_within_the_minute_does_not_write_the_session(signed_in, clock):
    expiry = session_expiry(signed_in)
    clock.advance(seconds=59)
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(WHOAMI_URL).status_code == 200
    assert session_writes(queries) == []
    assert session_expiry(signed_in) == expiry


def test_a_request_after_the_minute_renews_the_session(signed_in, clock):
    clock.advance(seconds=61)
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(WHOAMI_URL).status_code == 200
    assert len(session_writes(queries)) == 1
    assert session_expiry(signed_in) == clock.now + IDLE_LIMIT


def test_activity_keeps_the_session_well_past_the_idle_limit(signed_in, clock):
    for _ in range(3 * 30):
        clock.advance(seconds=50)
        assert signed_in.get(WHOAMI_URL).status_code == 200
    assert session_expiry(signed_in) > clock.now + IDLE_LIMIT - timedelta(minutes=1)


@pytest.mark.parametrize(
    "idle, signed_in_after",
    [
        (timedelta(minutes=29, seconds=59), True),
        (timedelta(minutes=30, seconds=1), False),
    ],
)
def test_a_session_idle_past_the_limit_since_its_last_write_is_logged_out(
    signed_in, clock, idle, signed_in_after
):
    written_at = clock.now
    # Activity that did not write: the limit still counts from the write, never later.
    clock.advance(seconds=40)
    assert signed_in.get(WHOAMI_URL).status_code == 200
    clock.now = written_at + idle
    response = signed_in.get(WHOAMI_URL)
    assert (response.status_code == 200) is signed_in_after
    if not signed_in_after:
        assert response.url.startswith(reverse("admin:login"))


def test_signing_in_stamps_the_session_so_the_next_request_does_not_write(client, make_user, clock):
    make_user("stamped")
    credentials = {"username": "stamped", "password": "pw-for-tests-1", "next": "/"}
    assert client.post(reverse("admin:login"), credentials).status_code == 302
    clock.advance(seconds=30)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(WHOAMI_URL).status_code == 200
    assert session_writes(queries) == []


def test_an_anonymous_request_creates_no_session(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


def test_logging_out_ends_the_session(signed_in, clock):
    clock.advance(seconds=61)
    signed_in.post(reverse("admin:logout"))
    assert not Session.objects.exists()
    assert signed_in.get(WHOAMI_URL).status_code == 302
