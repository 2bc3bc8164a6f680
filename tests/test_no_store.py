"""Pages with patient data say `Cache-Control: no-store`; static files and /health/ keep
their own headers. (The role matrix checks every URL a signed-in role opens.)"""

from django.test import Client
from django.urls import reverse

from assessments.models import DiaryLink


def test_a_signed_in_page_and_its_pdf_are_not_stored(client, signed, make_role_user):
    client.force_login(make_role_user("Nurse"))
    for url in (
        reverse("assessments:injection_detail", args=[signed.pk]),
        reverse("assessments:injection_report", args=[signed.pk]),
        reverse("admin:assessments_injection_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert response["Pragma"] == "no-cache", url


def test_the_patients_diary_page_is_not_stored(client, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=60)
    link = DiaryLink.issue(injection)

    response = client.get(reverse("diary:entry", args=[link.token]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and response["Pragma"] == "no-cache"


def test_anonymous_pages_static_files_and_health_keep_their_headers(staff_user, settings):
    # WhiteNoise serves from the source folders, as under DEBUG (read when it starts).
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    assert "Pragma" not in client.get(reverse("admin:login"))
    client.force_login(staff_user)
    script = client.get("/static/assessments/bedside.js")
    assert script.status_code == 200 and "Pragma" not in script
    assert "no-store" not in script.get("Cache-Control", "")
    client.logout()
    health = client.get("/health/")
    assert health["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "Pragma" not in health
