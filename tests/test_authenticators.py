"""Authenticators (TOTP): a device enrolled without an enrolment code does not carry over a
promotion to clinician, and the admin's device pages show no secret and never answer 500."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import EnrolmentCode
from tests.builders import PASSWORD

ENROL_URL = reverse("two_factor_enrol")
LOGIN_URL = reverse("admin:login")


@pytest.fixture(autouse=True)
def no_token_throttling(settings):
    # django-otp delays retries after a wrong code; the tests try a right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def token(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def next_step(device):
    """Let the device take the current code again, as it would 30 s later (a code once
    accepted is refused within its step)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


def sign_in(client, user, device=None, **extra):
    data = {"username": user.get_username(), "password": PASSWORD, "next": "/admin/"}
    data["otp_token"] = token(device) if device else ""
    return client.post(LOGIN_URL, {**data, **extra}, REMOTE_ADDR="10.0.0.7")


def enrol_without_code(client, user):
    """What a nurse does at /account/two-factor/: scan, confirm one code."""
    client.force_login(user)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(ENROL_URL, {"token": token(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def promote(user):
    user.groups.set([Group.objects.get(name="Clinician")])
    return type(user).objects.get(pk=user.pk)  # permissions are cached on the instance


@pytest.fixture
def promoted_nurse(client, make_role_user, settings):
    """A nurse enrolled a device without a code (nurses need none), then became a
    clinician; returns (user, that device) with the client signed out."""
    settings.OTP_REQUIRED = True
    nurse = make_role_user("Nurse", "nurse-to-be-promoted")
    device = enrol_without_code(client, nurse)
    client.logout()
    return promote(nurse), device


def test_a_session_verified_by_a_nurses_device_is_held_after_promotion(
    client, make_role_user, settings
):
    settings.OTP_REQUIRED = True
    nurse = make_role_user("Nurse", "nurse-promoted-while-signed-in")
    enrol_without_code(client, nurse)
    assert client.get("/admin/").status_code == 200

    promote(nurse)

    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(ENROL_URL)
    page = client.get(ENROL_URL).content.decode()
    assert "Enrolment code from your administrator" in page


def test_the_nurses_device_does_not_sign_a_promoted_clinician_in(client, promoted_nurse):
    clinician, device = promoted_nurse

    # The password alone passes the first step, then the enrolment page holds the session.
    assert sign_in(client, clinician).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(ENROL_URL)
    assert "Enrolment code from your administrator" in client.get(ENROL_URL).content.decode()


def test_naming_the_nurses_device_in_the_login_post_does_not_verify(client, promoted_nurse):
    clinician, device = promoted_nurse

    sign_in(client, clinician, next_step(device), otp_device=device.persistent_id)

    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/admin/").url.startswith(ENROL_URL)


def test_re_enrolling_with_a_code_replaces_the_old_device(client, promoted_nurse):
    clinician, old = promoted_nurse
    _, code = EnrolmentCode.issue(clinician)
    client.force_login(clinician)

    assert client.post(ENROL_URL, {"code": code}).status_code == 302
    new = TOTPDevice.objects.get(user=clinician, confirmed=False)
    assert client.post(ENROL_URL, {"token": token(new)}).status_code == 302

    assert list(TOTPDevice.objects.filter(user=clinician)) == [new]
    assert EnrolmentCode.objects.get(user=clinician).device_id == new.pk
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert sign_in(client, clinician, next_step(new)).status_code == 302
    assert client.get(reverse("whoami")).json()["verified"]


def test_a_clinicians_device_enrolled_with_a_code_keeps_working(client, make_role_user, settings):
    settings.OTP_REQUIRED = True
    clinician = make_role_user("Clinician", "dr-with-code")
    _, code = EnrolmentCode.issue(clinician)
    client.force_login(clinician)
    client.post(ENROL_URL, {"code": code})
    device = TOTPDevice.objects.get(user=clinician)
    client.post(ENROL_URL, {"token": token(device)})
    client.logout()

    assert sign_in(client, clinician).status_code == 200  # a code is asked for
    assert sign_in(client, clinician, next_step(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_without_otp_required_every_confirmed_device_counts(client, make_role_user):
    nurse = make_role_user("Nurse", "nurse-no-otp-required")
    device = enrol_without_code(client, nurse)
    client.logout()
    clinician = promote(nurse)

    assert sign_in(client, clinician).status_code == 200  # the device asks for its code
    assert sign_in(client, clinician, next_step(device)).status_code == 302


def test_the_migration_links_used_codes_to_the_devices_they_enrolled(make_role_user):
    migration = importlib.import_module("assessments.migrations.0020_hardening")
    clinician, other = make_role_user("Clinician"), make_role_user("Clinician")
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    unused = TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    used, _ = EnrolmentCode.issue(clinician)
    EnrolmentCode.objects.filter(pk=used.pk).update(used_at=timezone.now())
    open_code, _ = EnrolmentCode.issue(other)

    migration.link_codes_to_their_devices(apps, None)

    assert EnrolmentCode.objects.get(pk=used.pk).device_id == device.pk
    assert EnrolmentCode.objects.get(pk=open_code.pk).device_id is None
    assert not hasattr(TOTPDevice.objects.get(pk=unused.pk), "enrolment_code")


# --- the admin's device pages --------------------------------------------------------------


@pytest.fixture
def superuser_client(client, make_user):
    client.force_login(make_user("root", is_superuser=True))
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("page", ["config", "qrcode"])
@pytest.mark.parametrize("exists", [True, False], ids=["existing", "missing"])
def test_the_secret_showing_device_pages_are_gone(superuser_client, make_user, page, exists):
    device = TOTPDevice.objects.create(user=make_user(), name="phone", confirmed=True)
    device_id = device.pk if exists else device.pk + 1000

    response = superuser_client.get(f"/admin/otp_totp/totpdevice/{device_id}/{page}/", follow=True)

    assert response.status_code == 200
    assert "otpauth://" not in response.content.decode()
    assert device.key not in response.content.decode()


def test_the_device_list_says_which_were_enrolled_with_a_code(superuser_client, make_role_user):
    clinician = make_role_user("Clinician", "dr-listed")
    device = TOTPDevice.objects.create(user=clinician, name="phone", confirmed=True)
    code, _ = EnrolmentCode.issue(clinician)
    EnrolmentCode.objects.filter(pk=code.pk).update(used_at=timezone.now(), device=device)

    page = superuser_client.get(reverse("admin:otp_totp_totpdevice_changelist"))

    assert page.status_code == 200
    text = page.content.decode()
    assert "dr-listed" in text and "Enrolled with a code" in text
    assert device.key not in text


def test_devices_are_not_added_or_edited_in_the_admin_but_a_lost_one_is_deleted(
    superuser_client, make_user
):
    device = TOTPDevice.objects.create(user=make_user(), name="phone", confirmed=True)
    add = reverse("admin:otp_totp_totpdevice_add")
    change = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])

    assert superuser_client.get(add).status_code == 403
    view = superuser_client.get(change)
    assert view.status_code == 200 and device.key not in view.content.decode()
    assert superuser_client.post(change, {"name": "renamed"}).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
