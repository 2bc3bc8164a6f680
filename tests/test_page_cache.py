"""The kept pages in Django's cache (views/fragments.py): what keys them, which cache the
settings choose, and a cache that does not answer."""

import re
import runpy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from assessments.views import fragments
from tests import builders

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "clinic" / "settings.py"
# A port nothing listens on: connecting is refused at once.
NOBODY_ANSWERS = "redis://127.0.0.1:9/0"


def page_of(injection):
    return reverse("assessments:injection_detail", args=[injection.pk])


def test_the_cache_is_each_process_memory_without_redis_url(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    caches = runpy.run_path(str(SETTINGS_FILE))["CACHES"]
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_shares_one_redis_through_djangos_own_backend(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://cache.example.org:6379/2")
    default = runpy.run_path(str(SETTINGS_FILE))["CACHES"]["default"]
    assert default["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert default["LOCATION"] == "redis://cache.example.org:6379/2"


def test_an_unreadable_redis_url_stops_start_up(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "cache.example.org:6379")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must start with redis://"):
        runpy.run_path(str(SETTINGS_FILE))


def test_the_injection_page_is_kept_in_the_cache(nurse_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=40)
    nurse_client.get(page_of(injection))
    kept = [key for key in cache._cache if f":injection:{injection.pk}:" in key]
    assert len(kept) == 1


def test_a_changed_setting_is_never_served_from_a_page_kept_before_it(
    nurse_client, make_injection, settings
):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    assert b"Rule profile LEAFLET" in nurse_client.get(page_of(injection)).content
    settings.SI_PROFILE = "CMS-LCD-2023"
    assert b"Rule profile CMS-LCD-2023" in nurse_client.get(page_of(injection)).content


def test_the_release_follows_the_settings(settings):
    name, before = settings.CLINIC_NAME, fragments.release()
    settings.CLINIC_NAME = "Another clinic"
    assert fragments.release() != before
    settings.CLINIC_NAME = name
    assert fragments.release() == before


def test_pages_are_made_afresh_when_redis_does_not_answer(
    nurse_client, make_injection, settings, caplog
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": NOBODY_ANSWERS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=60)
    for page in (page_of(injection), reverse("assessments:board")):
        response = nurse_client.get(page)
        assert response.status_code == 200
    assert b"8/10" in nurse_client.get(page_of(injection)).content
    assert "The page cache did not answer" in caplog.text


CHANGELIST = reverse("admin:assessments_injection_changelist")
TABLE = re.compile(r'<table id="result_list">.*</table>', re.DOTALL)


def table_of(client, **query):
    return TABLE.search(client.get(CHANGELIST, query).content.decode())[0]


@pytest.fixture
def superuser_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_the_kept_changelist_shows_a_new_reading_at_once(superuser_client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=60)
    assert "87.5" not in table_of(superuser_client)
    builders.add_reading(injection, 25, 1)
    assert "87.5" in table_of(superuser_client)


def test_the_kept_changelist_turns_final_the_moment_a_window_closes(
    superuser_client, make_injection, monkeypatch
):
    # Two visits in the same minute, either side of the window's close.
    moment = timezone.now().replace(second=10, microsecond=0) - timedelta(minutes=1)
    make_injection([(-5, 8), (25, 1)], performed_at=moment - timedelta(minutes=29, seconds=55))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert "provisional" in table_of(superuser_client)
    monkeypatch.setattr(timezone, "now", lambda: moment + timedelta(seconds=20))
    assert "provisional" not in table_of(superuser_client)


def test_each_query_string_has_its_own_kept_table(superuser_client, make_injection):
    make_injection([(-5, 8), (25, 1)], side="left")
    make_injection([(-5, 8), (25, 8)], side="right")
    everything = table_of(superuser_client)
    assert "87.5" in everything and "0.0" in everything
    left = table_of(superuser_client, side="left")
    assert "87.5" in left and "0.0" not in left


def test_the_kept_count_and_date_range_follow_a_new_injection(
    clinic_clock, superuser_client, make_injection
):
    last_year = timezone.localdate().year - 1
    make_injection([(-5, 8)], performed_at=datetime(last_year, 6, 15, 12, tzinfo=UTC))
    page = superuser_client.get(CHANGELIST).content.decode()
    assert "1 injection" in page and f"?performed_at__year={last_year + 1}" not in page
    make_injection([(-5, 8)], minutes_ago=60)
    page = superuser_client.get(CHANGELIST).content.decode()
    assert "2 injections" in page
    assert f"?performed_at__year={last_year}" in page
    assert f"?performed_at__year={last_year + 1}" in page
