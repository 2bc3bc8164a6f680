import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.builders import PASSWORD

LOGIN_URL = reverse("admin:login")
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "si.example.org",
    "HTTPS": "1",
    "SECURE_PROXY_SSL_HEADER": "1",
}


def test_check_deploy_is_clean_with_the_production_variables():
    skipped = {"HTTPS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skipped}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_responses_carry_csp_frame_and_referrer_headers(client):
    response = client.get(LOGIN_URL)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_sessions_expire_after_idle_minutes(settings):
    # The behaviour is in test_idle_sessions.py; this pins the wiring it relies on.
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ACTIVITY_WRITE_SECONDS <= 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    middleware = settings.MIDDLEWARE
    sessions = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    renewal = middleware.index("assessments.idle_sessions.ActivityRenewsSessionMiddleware")
    assert renewal > sessions


def login(client, username, password, token="", ip="10.0.0.1"):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "otp_token": token, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_five_failed_logins_lock_that_user_at_that_address(client, make_user):
    make_user("locky")
    for _ in range(4):
        assert login(client, "locky", "wrong").status_code == 200
    assert login(client, "locky", "wrong").status_code == 429
    locked = login(client, "locky", "pw-for-tests-1")
    assert locked.status_code == 429
    assert "Sign-in temporarily locked" in locked.content.decode()
    # Another address is not locked out for the same user.
    assert login(client, "locky", "pw-for-tests-1", ip="10.0.0.2").status_code == 302


def test_lockout_uses_the_forwarded_address_behind_a_trusted_proxy(client, make_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("proxied")
    for _ in range(5):
        client.post(
            LOGIN_URL,
            {"username": "proxied", "password": "bad"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    other_client = client.post(
        LOGIN_URL,
        {"username": "proxied", "password": "pw-for-tests-1", "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert other_client.status_code == 302


@pytest.fixture(autouse=True)
def no_token_throttling(settings):
    # django-otp delays retries after a wrong code; the tests try a right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def enrolled(make_user):
    user = make_user("doc", is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def current_token(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_user_with_an_authenticator_needs_a_valid_code(client, enrolled):
    user, device = enrolled
    response = login(client, "doc", "pw-for-tests-1")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert login(client, "doc", "pw-for-tests-1", token="000000").status_code == 200
    assert login(client, "doc", "pw-for-tests-1", token=current_token(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/"])
def test_otp_required_holds_an_unenrolled_superuser_on_enrolment(client, make_user, settings, path):
    settings.OTP_REQUIRED = True
    client.force_login(make_user("boss", is_superuser=True))
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_enrol"))


def test_otp_required_does_not_hold_a_nurse(client, make_role_user, settings):
    settings.OTP_REQUIRED = True
    client.force_login(make_role_user("Nurse"))
    assert client.get("/admin/").status_code == 200


def test_enrolment_confirms_a_device_and_verifies_the_session(client, make_user):
    user = make_user("newdoc", is_staff=True)
    client.force_login(user)
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post(reverse("two_factor_enrol"), {"token": "123"})
    assert "That code is not valid" in bad.content.decode()
    response = client.post(reverse("two_factor_enrol"), {"token": current_token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


ENROL_URL = reverse("two_factor_enrol")


def test_a_stolen_password_cannot_enrol_a_clinicians_first_authenticator(
    client, make_role_user, settings
):
    """Finding 6: with OTP_REQUIRED, the secret appears only after an administrator's code."""
    settings.OTP_REQUIRED = True
    clinician = make_role_user("Clinician", "dr-new")
    client.force_login(clinician)

    page = client.get(ENROL_URL).content.decode()

    assert "Enrolment code from your administrator" in page
    assert "data:image/svg+xml" not in page
    assert not TOTPDevice.objects.filter(user=clinician).exists()
    wrong = client.post(ENROL_URL, {"code": "AAAA-BBBB-CCCC"})
    assert "not valid" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=clinician).exists()


def test_an_enrolment_code_unlocks_enrolment_once(client, make_role_user, make_user, settings):
    from assessments.models import EnrolmentCode

    settings.OTP_REQUIRED = True
    clinician = make_role_user("Clinician", "dr-new")
    row, code = EnrolmentCode.issue(clinician, issued_by=make_user("admin", is_superuser=True))
    client.force_login(clinician)

    assert client.post(ENROL_URL, {"code": code.lower()}).status_code == 302
    page = client.get(ENROL_URL).content.decode()
    assert "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    assert client.post(ENROL_URL, {"token": current_token(device)}).status_code == 302

    row.refresh_from_db()
    assert row.used_at is not None and not row.is_usable
    assert EnrolmentCode.valid_for(clinician, code) is None
    assert client.get("/admin/").status_code == 200


def test_an_enrolment_code_expires_and_a_new_one_replaces_the_old(make_role_user, settings):
    from datetime import timedelta

    from django.utils import timezone

    from assessments.models import EnrolmentCode

    clinician = make_role_user("Clinician")
    first, first_code = EnrolmentCode.issue(clinician)
    second, second_code = EnrolmentCode.issue(clinician)
    assert EnrolmentCode.valid_for(clinician, first_code) is None
    assert EnrolmentCode.valid_for(clinician, second_code) == second
    EnrolmentCode.objects.filter(pk=second.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1), issued_at=timezone.now() - timedelta(1)
    )
    assert EnrolmentCode.valid_for(clinician, second_code) is None


def test_wrong_enrolment_codes_count_towards_the_lockout(client, make_role_user, settings):
    settings.OTP_REQUIRED = True
    clinician = make_role_user("Clinician", "dr-guess")
    client.force_login(clinician)
    for _ in range(4):
        assert client.post(ENROL_URL, {"code": "AAAA-BBBB-CCCC"}).status_code == 200
    assert client.post(ENROL_URL, {"code": "AAAA-BBBB-CCCC"}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_superuser_issues_a_code_in_the_admin_and_sees_it_once(client, make_user, make_role_user):
    from assessments.models import EnrolmentCode

    admin_user = make_user("root", is_superuser=True)
    clinician = make_role_user("Clinician", "dr-issue")
    client.force_login(admin_user)

    response = client.post(reverse("admin:assessments_enrolmentcode_add"), {"user": clinician.pk})

    assert response.status_code == 200
    code = response.context["code"]
    assert code in response.content.decode()
    row = EnrolmentCode.objects.get(user=clinician)
    assert row.issued_by == admin_user and EnrolmentCode.valid_for(clinician, code) == row
    listing = client.get(reverse("admin:assessments_enrolmentcode_changelist")).content.decode()
    assert "dr-issue" in listing and code not in listing


def test_only_a_superuser_issues_enrolment_codes(client, make_role_user):
    client.force_login(make_role_user("Clinician"))
    url = reverse("admin:assessments_enrolmentcode_add")
    assert client.get(url).status_code == 403


def test_enrolment_code_command_prints_a_working_code(make_role_user):
    from io import StringIO

    from django.core.management import call_command

    from assessments.models import EnrolmentCode

    clinician = make_role_user("Clinician", "dr-cli")
    out = StringIO()
    call_command("enrolment_code", "dr-cli", stdout=out)
    code = out.getvalue().strip().splitlines()[-1]
    assert EnrolmentCode.valid_for(clinician, code) is not None


# --- login throttling and generic errors ---------------------------------------------------


@pytest.mark.parametrize("failures, answer", [(20, 429), (19, 302)])
def test_forged_forwarded_addresses_hit_the_per_account_limit(
    client, make_user, settings, failures, answer
):
    """Finding 5: a new X-Forwarded-For on every attempt is still locked after 20 failures;
    19 from many addresses (a user mistyping) do not lock the account."""
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("target")
    for number in range(failures):
        client.post(
            LOGIN_URL,
            {"username": "target", "password": "guess"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    fresh = client.post(
        LOGIN_URL,
        {"username": "target", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.250",
    )
    assert fresh.status_code == answer


def login_error(response):
    return [str(error) for error in response.context["form"].non_field_errors()]


def test_wrong_password_and_wrong_code_get_the_same_message(client, enrolled, make_user):
    user, device = enrolled
    make_user("nocode")
    wrong_password = login(client, "doc", "wrong", token=current_token(device))
    wrong_code = login(client, "doc", "pw-for-tests-1", token="000000")
    missing_code = login(client, "doc", "pw-for-tests-1")
    no_such_user = login(client, "nobody", "wrong")
    messages = {
        tuple(login_error(r)) for r in [wrong_password, wrong_code, missing_code, no_such_user]
    }
    assert len(messages) == 1
    assert "authenticator code" in messages.pop()[0]


def test_wrong_codes_count_towards_the_lockout(client, enrolled):
    user, device = enrolled
    for _ in range(4):
        assert login(client, "doc", "pw-for-tests-1", token="000000").status_code == 200
    assert login(client, "doc", "pw-for-tests-1", token="000000").status_code == 429
    right = login(client, "doc", "pw-for-tests-1", token=current_token(device))
    assert right.status_code == 429


@pytest.mark.parametrize(
    "bind, warned",
    [("0.0.0.0:8000", True), ("10.0.0.5:8000", True), ("127.0.0.1:8000", False), ("", False)],
)
def test_check_deploy_warns_when_the_proxy_count_meets_a_public_bind(bind, warned):
    skipped = {"HTTPS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "BIND"}
    env = {k: v for k, v in os.environ.items() if k not in skipped}
    env.update(PRODUCTION_ENV, TRUSTED_PROXY_COUNT="1")
    if bind:
        env["BIND"] = bind
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ("assessments.W001" in result.stdout + result.stderr) is warned


def test_pages_have_no_inline_script_or_style_the_policy_would_block(
    client, staff_user, make_injection
):
    import re

    injection = make_injection([(-5, 8), (25, 1)])
    client.force_login(staff_user)
    pages = [
        reverse("admin:assessments_injection_change", args=[injection.pk]),
        reverse("admin:assessments_injection_add"),
        reverse("admin:assessments_injection_changelist"),
        reverse("admin:assessments_injection_history", args=[injection.pk]),
        reverse("assessments:board"),
        reverse("assessments:injection_detail", args=[injection.pk]),
        reverse("assessments:follow_up_week", args=[injection.pk]),
        reverse("assessments:quick_reading", args=[injection.pk]),
        reverse("assessments:new_injection"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert ' style="' not in html, url
        assert not re.search(r" on[a-z]+=\"", html), url
        for script in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in script or "nonce=" in script or "json" in script, (url, script)


def test_the_access_log_leaves_out_query_strings_which_may_hold_a_searched_name():
    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    log_format = config["access_log_format"]
    assert "%(U)s" in log_format
    assert not any(field in log_format for field in ("%(r)s", "%(q)s", "%({raw_uri}e)s"))


def access_log_line(environ, headers=()):
    """The line gunicorn.conf.py's logger writes for one request."""
    from datetime import timedelta

    from gunicorn.config import Config

    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    logger = config["logger_class"](Config())
    response = type("Response", (), {"status": "200 OK", "sent": 12, "headers": []})()
    request = type("Request", (), {"headers": list(headers)})()
    environ = {
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "QUERY_STRING": environ["RAW_URI"].partition("?")[2],
        "PATH_INFO": environ["RAW_URI"].partition("?")[0],
        **environ,
    }
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    return config["access_log_format"] % logger.atoms_wrapper_class(atoms)


def test_the_access_log_writes_a_diary_link_without_its_token():
    token = "AbC123.signed-nonce_XYZ"
    line = access_log_line({"RAW_URI": f"/diary/{token}/thanks/"})
    assert token not in line
    assert '"GET /diary/…/thanks/ HTTP/1.1" 200' in line


def test_the_access_log_scrubs_the_referring_page_of_tokens_and_searches():
    # The diary page's style sheet is requested with the diary link as its Referer; the next
    # page after a search with the search in it.
    token = "AbC123.signed-nonce_XYZ"
    for referer in (f"https://si.example.org/diary/{token}/", "https://si.example.org/?q=Smith"):
        line = access_log_line(
            {"RAW_URI": "/static/assessments/bedside.css", "HTTP_REFERER": referer},
            headers=[("REFERER", referer)],
        )
        assert token not in line and "Smith" not in line
        assert '"https://si.example.org/diary/…/"' in line or '"https://si.example.org/"' in line
