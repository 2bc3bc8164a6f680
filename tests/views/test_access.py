"""Every bedside page: who may open it, and what every page carries (no inline script)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders import local_input
from tests.views.pages import (
    BOARD_URL,
    NEW_URL,
    detail_url,
    quick_url,
    week_url,
)


@pytest.fixture
def page_urls(make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=3 * 24 * 60)
    return [BOARD_URL, NEW_URL, quick_url(injection), week_url(injection), detail_url(injection)]


def test_every_page_renders_for_staff(nurse_client, page_urls):
    for url in page_urls:
        response = nurse_client.get(url)
        assert response.status_code == 200, url
        assert b'name="viewport"' in response.content
        assert b"vendor/bootstrap/bootstrap.min.css" in response.content


def test_anonymous_users_are_sent_to_the_login_page(client, page_urls):
    login = reverse("admin:login")
    for url in page_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(f"{login}?next=")


def test_signed_in_non_staff_are_refused(client, make_user, page_urls):
    client.force_login(make_user("visitor", is_staff=False))
    for url in page_urls:
        assert client.get(url).status_code == 403, url
    assert client.post(NEW_URL, {}).status_code == 403


def test_pages_carry_no_inline_script(nurse_client, page_urls):
    for url in page_urls:
        html = nurse_client.get(url).content.decode()
        assert "<script>" not in html
        assert " onclick=" not in html and " onload=" not in html


def test_an_auditor_sees_the_pages_but_cannot_record(client, make_role_user, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    client.force_login(make_role_user("Auditor"))
    assert client.get(reverse("assessments:board")).status_code == 200
    assert client.get(quick_url(injection)).status_code == 200
    body = {"score": "2", "recorded_at": local_input(timezone.now()), "context": "rest"}
    assert client.post(quick_url(injection), body).status_code == 403
    assert client.get(reverse("assessments:new_injection")).status_code == 403
    assert injection.readings.count() == 1


def test_a_staff_user_without_permissions_is_refused(client, make_user, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=25)
    client.force_login(make_user("no-perms"))
    assert client.get(reverse("assessments:board")).status_code == 403
    assert (
        client.get(reverse("assessments:injection_detail", args=[injection.pk])).status_code == 403
    )
