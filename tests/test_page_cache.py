"""The kept pages in Django's cache (views/fragments.py): what keys them, which cache the
settings choose, and a cache that does not answer."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from assessments.views import fragments

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
    kept = [key for key in cache._cache if f":injection:{injection.pk}:" in key]  # type: ignore[attr-defined]
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
