"""The records every role-matrix test reads and writes: one patient with an unusual name, a
real object for every URL parameter, a signed-in client per role (made once per module)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments import signing
from assessments.models import (
    DataExport,
    DiaryLink,
    EnrolmentCode,
    Patient,
    Reminder,
    ReminderSend,
    ReportAccess,
    WorkUp,
)
from tests import builders

FAMILY_NAME = "Zyxwvutsson"


GIVEN_NAME = "Qoppavelia"


MRN = "QX-40917"


PATIENT_DATA = (FAMILY_NAME, GIVEN_NAME, MRN)


ROLES = ("anonymous", "outsider", "nurse", "clinician", "auditor", "superuser")


# A 302 to the login page; any other redirect is written as 302.
LOGIN = "login"


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """One transaction for the whole module, rolled back at its end; each test runs in a
    savepoint inside it (as Django's setUpTestData does). The world, the records and the
    signed-in users are made once instead of once per test: about 30 s less."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def private_media_root(module_db, settings):
    # The module's archived PDFs, made once, in one folder (instead of conftest's per test).
    settings.MEDIA_ROOT = module_db


@pytest.fixture(scope="module")
def signed_in(module_db):
    """A user per role, made and signed in once (no session for "anonymous")."""
    users = {
        "outsider": builders.create_user(is_staff=False),
        "superuser": builders.create_user(is_superuser=True),
        **{role: builders.create_role_user(role.capitalize()) for role in ROLES[2:5]},
    }
    return users


@pytest.fixture
def role_client(db, signed_in):
    """role_client(role): a client signed in as one of ROLES."""

    def make(role):
        client = Client()
        if role != "anonymous":
            client.force_login(signed_in[role])
        return client

    return make


@pytest.fixture(scope="module")
def world(module_db, signed_in):
    """One real object for every URL parameter, with an unusually named patient."""
    bystander = builders.create_user("bystander")
    patient = builders.create_patient(family_name=FAMILY_NAME, given_name=GIVEN_NAME, mrn=MRN)
    injection = builders.create_injection(
        [(-5, 8), (25, 2)], patient=patient, minutes_ago=3 * 24 * 60
    )
    # Signed, so the archived PDF exists; unsigned ones are in WRITE_MATRIX.
    signing.sign_off(injection.pk, builders.create_role_user("Clinician"))
    device = TOTPDevice.objects.create(user=bystander, name="phone")
    attempt = {"user_agent": "test", "ip_address": "10.0.0.1", "username": "someone"}
    attempt.update(http_accept="*/*", path_info="/admin/login/")
    link = DiaryLink.issue(injection)
    return {
        "patient": patient.pk,
        "patient_id": patient.pk,
        "work_up_id": WorkUp.objects.create(
            patient=patient, side="left", examined_on=timezone.localdate()
        ).pk,
        "patient_history": patient.history.latest().history_id,
        "injection": injection.pk,
        "reading_pk": injection.readings.get(recorded_at__gt=injection.performed_at).pk,
        "injection_history": injection.history.latest().history_id,
        "version": 1,
        "reportaccess": ReportAccess.objects.create(
            injection=injection, user=bystander, actor="bystander", kind="view"
        ).pk,
        "dataexport": DataExport.objects.create(
            user=bystander, actor="bystander", format="csv", selection="all", injections=1
        ).pk,
        "user": bystander.pk,
        "token": link.token,
        "remindersend": ReminderSend.objects.create(
            reminder=Reminder.objects.create(
                diary_link=link,
                slot_day=1,
                slot_at=injection.performed_at + timedelta(days=1),
                status="sent",
                claimed_at=injection.performed_at + timedelta(days=1),
                channel="email",
            ),
            channel="email",
            recipient="patient@example.org",
            delivered=True,
            sender="test:1",
        ).pk,
        "enrolmentcode": EnrolmentCode.issue(bystander)[0].pk,
        "group": Group.objects.get(name="Nurse").pk,
        "totpdevice": device.pk,
        "accessattempt": AccessAttempt.objects.create(
            **attempt, get_data="", post_data="", failures_since_start=1
        ).pk,
        "accesslog": AccessLog.objects.create(**attempt).pk,
        "accessfailurelog": AccessFailureLog.objects.create(**attempt).pk,
        "ct": ContentType.objects.get_for_model(Patient).pk,
        "format": "csv",
    }


# The autocomplete view answers only with these parameters; they search for our patient.
QUERIES = {
    "/patients/": {"q": MRN},
    "/admin/autocomplete/": {
        "app_label": "assessments",
        "model_name": "injection",
        "field_name": "patient",
        "term": MRN,
    },
}


def fill(key, world):
    return re.sub(r"<(\w+)>", lambda match: str(world[match.group(1)]), key)


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return LOGIN
    return response.status_code


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def management(*prefixes):
    """Empty inline formset management forms: the change is to the parent record only."""
    fields = {}
    for prefix in prefixes:
        fields.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return fields


def local_text(moment, format="%Y-%m-%dT%H:%M:%S"):
    return timezone.localtime(moment).strftime(format)


def admin_injection_body(patient, proceduralist, performed_at):
    return builders.injection_post(
        patient, proceduralist, performed_at, side="right", notes="changed through the admin"
    )


def admin_patient_body(mrn):
    return {
        "mrn": mrn,
        "family_name": "Newperson",
        "given_name": "Nia",
        "date_of_birth": "1980-05-05",
        "sex": "female",
        **management("injections", "work_ups"),
    }


@pytest.fixture(scope="module")
def records(module_db, signed_in):
    """The objects a write needs: a draft and a signed injection, a patient with history.
    Each write is rolled back (post_as), and each test's own savepoint too."""
    proceduralist = builders.create_user("proceduralist")
    patient = builders.create_patient(family_name=FAMILY_NAME, given_name=GIVEN_NAME)
    patient.given_name = "Renamed"
    patient.save()
    three_days_ago = 3 * 24 * 60
    make = builders.create_injection
    draft = make([(-5, 8), (25, 2)], patient=patient, minutes_ago=three_days_ago)
    signed = make([(-5, 8), (25, 2)], patient=patient, minutes_ago=three_days_ago)
    signing.sign_off(signed.pk, builders.create_role_user("Clinician"))
    return {
        "proceduralist": proceduralist,
        "patient": patient,
        "lonely_patient": builders.create_patient(),
        "draft": draft,
        "empty_draft": make(patient=patient),
        "signed": signed,
    }
