"""Every URL of the project × every role → the expected status, and who may see patient data.

The URLs come from the resolver, so a URL added to the project without a row in MATRIX fails
`test_every_url_of_the_project_is_in_the_matrix`. Parameters are filled with real objects.
No URL is skipped: logout, password change, jsi18n, the autocomplete (given a search that finds
the patient), view_on_site and the admin's catch-all are harmless to GET, so they have rows too.
"""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments import signing
from assessments.models import (
    Amendment,
    DataExport,
    DiaryLink,
    EnrolmentCode,
    FollowUpCall,
    Injection,
    PainReading,
    Patient,
    Reminder,
    ReminderSend,
    ReportAccess,
    SignOff,
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


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


APP_LABEL_CHOICE = re.compile(r"\(\?P<app_label>([^)]*)\)")


def matrix_keys(route):
    """The matrix rows of one route: "/" + its path, each parameter named by what fills it.

    A parameter is named after the path segment before it ("injection/<injection>/"), and
    simple_history's revert page after its model ("<patient>/history/<patient_history>/").
    """
    route = route.replace("/^", "/").removesuffix("$")
    # The admin's app index is one regex for every app: one row per app.
    choice = APP_LABEL_CHOICE.search(route)
    if choice:
        return [f"/{route.replace(choice.group(0), app)}" for app in choice.group(1).split("|")]
    # The admin's catch-all answers any other path under /admin/.
    route = route.replace("(?P<url>.*)", "no-such-page/")
    # view_on_site: /admin/r/<content type>/<object>/ redirects to the object's own URL.
    route = route.replace("r/<path:content_type_id>/<path:object_id>/", "r/<ct>/<patient>/")
    # simple_history's revert page is a regex of an object id and a history id.
    route = route.replace("([^/]+)/history/([^/]+)/", "<pk>/history/<history>/")
    named, model = [], ""
    for segment in route.split("/"):
        if "<" not in segment and segment != "history":
            model = "injection" if segment == "injections" else segment
        named.append(
            re.sub(
                r"<(?:\w+:)?(\w+)>", lambda match, model=model: parameter(match[1], model), segment
            )
        )
    path = "/".join(named)
    return [f"/{path}"]


def parameter(name, model):
    if name in ("pk", "object_id", "id"):
        return f"<{model}>"
    if name == "history":
        return f"<{model}_history>"
    return f"<{name}>"


def project_matrix_keys():
    return [key for route in walk(get_resolver().url_patterns) for key in matrix_keys(route)]


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


def history_count(model, pk):
    return lambda: model.history.filter(id=pk).count()


def sign_off_draft(records):
    draft = records["draft"]
    url = reverse("admin:assessments_injection_sign", args=[draft.pk])
    return url, {"outcome": draft.evaluate().outcome.value, "reason": ""}, SignOff.objects.count


def amend_signed(records):
    url = reverse("admin:assessments_injection_amend", args=[records["signed"].pk])
    return url, {"reason": "Score typed into the wrong row."}, Amendment.objects.count


def bedside_quick_reading(records):
    url = reverse("assessments:quick_reading", args=[records["draft"].pk])
    body = {"score": "3", "recorded_at": local_text(timezone.now()), "context": "rest"}
    return url, body, PainReading.objects.count


def bedside_baseline(records):
    url = reverse("assessments:baseline_reading", args=[records["draft"].pk])
    moment = records["draft"].performed_at - timedelta(minutes=20)
    body = {"score": "7", "recorded_at": local_text(moment), "context": "provoked"}
    return url, body, PainReading.objects.count


def bedside_correct_reading(records):
    draft = records["draft"]
    reading = draft.readings.get(recorded_at__gt=draft.performed_at)
    url = reverse("assessments:correct_reading", args=[draft.pk, reading.pk])
    body = {"action": "withdraw", "reason": "Typed into the wrong record."}
    return url, body, PainReading.objects.filter(withdrawn_at__isnull=False).count


def bedside_sign_off(records):
    draft = records["draft"]
    url = reverse("assessments:sign_off", args=[draft.pk])
    return url, {"outcome": draft.evaluate().outcome.value, "reason": ""}, SignOff.objects.count


def bedside_new_injection(records):
    body = builders.new_injection_body(records["proceduralist"], mrn="NEW-0001")
    return reverse("assessments:new_injection"), body, Injection.objects.count


def bedside_work_up(records):
    url = reverse("assessments:work_up", args=[records["patient"].pk])
    body = {"side": "right", "examined_on": timezone.localdate().isoformat(), "usual_pain": "6"}
    return url, body, WorkUp.objects.count


def bedside_follow_up_entry(records):
    url = reverse("assessments:follow_up_week", args=[records["draft"].pk])
    body = {"target": "d1", "d1-recorded_at": "10:00", "d1-score": "4"}
    body.update({"d1-context": "rest", "d1-source": "patient"})
    return url, body, PainReading.objects.count


def bedside_diary_link(records):
    url = reverse("assessments:diary_link", args=[records["draft"].pk])
    return url, {}, DiaryLink.objects.count


def bedside_follow_up_call(records):
    body = {"injection": records["draft"].pk, "score": "", "note": "voicemail"}
    return reverse("assessments:call_list"), body, FollowUpCall.objects.count


def admin_add_patient(records):
    return (
        reverse("admin:assessments_patient_add"),
        admin_patient_body("NEW-0002"),
        (Patient.objects.count),
    )


def admin_add_injection(records):
    body = admin_injection_body(
        records["patient"], records["proceduralist"], timezone.now() - timedelta(hours=1)
    )
    return reverse("admin:assessments_injection_add"), body, Injection.objects.count


def admin_change_patient(records):
    patient = records["patient"]
    url = reverse("admin:assessments_patient_change", args=[patient.pk])
    return url, admin_patient_body(patient.mrn), history_count(Patient, patient.pk)


def admin_change_draft_injection(records):
    draft = records["draft"]
    url = reverse("admin:assessments_injection_change", args=[draft.pk])
    body = admin_injection_body(records["patient"], records["proceduralist"], draft.performed_at)
    return url, body, history_count(Injection, draft.pk)


def admin_change_signed_injection(records):
    signed = records["signed"]
    url = reverse("admin:assessments_injection_change", args=[signed.pk])
    body = admin_injection_body(records["patient"], records["proceduralist"], signed.performed_at)
    return url, body, history_count(Injection, signed.pk)


def admin_issue_enrolment_code(records):
    url = reverse("admin:assessments_enrolmentcode_add")
    return url, {"user": records["proceduralist"].pk}, EnrolmentCode.objects.count


def admin_delete_draft_injection(records):
    url = reverse("admin:assessments_injection_delete", args=[records["empty_draft"].pk])
    return url, {"post": "yes"}, Injection.objects.count


def admin_delete_patient(records):
    url = reverse("admin:assessments_patient_delete", args=[records["lonely_patient"].pk])
    return url, {"post": "yes"}, Patient.objects.count


def admin_revert_patient(records):
    patient = records["patient"]
    first = patient.history.earliest().history_id
    url = reverse("admin:assessments_patient_simple_history", args=[patient.pk, first])
    return url, admin_patient_body(patient.mrn), history_count(Patient, patient.pk)


def admin_revert_signed_injection(records):
    signed = records["signed"]
    first = signed.history.earliest().history_id
    url = reverse("admin:assessments_injection_simple_history", args=[signed.pk, first])
    body = admin_injection_body(records["patient"], records["proceduralist"], signed.performed_at)
    return url, body, history_count(Injection, signed.pk)


# Expected status of a GET, per role. LOGIN: redirected to the login page. The injection is
# signed (so its archived PDF exists and nobody, superusers included, may delete it).
# "outsider" is a signed-in user who is not staff.
# Rows many URLs share: every signed-in staff role may open it; everyone signed in is
# redirected (the admin's bare object URLs go on to the change page).
EVERY_STAFF_ROLE = (LOGIN, LOGIN, 200, 200, 200, 200)
REDIRECTED = (LOGIN, LOGIN, 302, 302, 302, 302)
MATRIX = {
    # path:                                              (anonymous, outsider, nurse, clinician, auditor, superuser)  # noqa: E501
    "/": (LOGIN, 403, 200, 200, 200, 200),
    "/injections/new/": (LOGIN, 403, 200, 200, 403, 200),
    "/injections/<injection>/": (LOGIN, 403, 200, 200, 200, 200),
    "/injections/<injection>/reading/": (LOGIN, 403, 200, 200, 200, 200),
    "/injections/<injection>/baseline/": (LOGIN, 403, 200, 200, 200, 200),
    "/injections/<injection>/readings/<reading_pk>/correct/": (LOGIN, 403, 200, 200, 200, 200),
    # Sign-off from the injection page: clinicians (and superusers) only.
    "/injections/<injection>/sign/": (LOGIN, 403, 403, 200, 403, 200),
    "/injections/<injection>/week/": (LOGIN, 403, 200, 200, 200, 200),
    "/injections/<injection>/report.pdf": (LOGIN, 403, 200, 200, 200, 200),
    # The patient's diary, staff side: nurses and clinicians; auditors only look.
    "/injections/<injection>/handout.pdf": (LOGIN, 403, 200, 200, 403, 200),
    "/injections/<injection>/paper-diary/": (LOGIN, 403, 200, 200, 403, 200),
    "/injections/<injection>/diary-link/": (LOGIN, 403, 405, 405, 405, 405),
    "/injections/<injection>/diary-link/revoke/": (LOGIN, 403, 405, 405, 405, 405),
    "/follow-up/": (LOGIN, 403, 200, 200, 403, 200),
    "/patients/": (LOGIN, 403, 200, 200, 200, 200),
    # The work-up form: staff who see injections may look; nurses and clinicians save.
    "/patients/<patient_id>/work-up/": (LOGIN, 403, 200, 200, 200, 200),
    "/patients/<patient_id>/work-up/<work_up_id>/": (LOGIN, 403, 200, 200, 200, 200),
    # Outcome statistics: aggregate figures, for those with view_statistics.
    "/stats/": (LOGIN, 403, 403, 200, 200, 200),
    "/stats/table.csv": (LOGIN, 403, 403, 200, 200, 200),
    "/account/two-factor/": (LOGIN, 200, 200, 200, 200, 200),
    # The patient's diary: anyone with the link (the world's injection is signed on its day
    # 3: the sign-off locks the block, not the week, so the diary still takes entries).
    "/diary/<token>/": (200, 200, 200, 200, 200, 200),
    "/diary/<token>/thanks/": (200, 200, 200, 200, 200, 200),
    # Opting out of reminders: anyone with the link; a diary token is not an opt-out token.
    "/reminders/stop/<token>/": (404, 404, 404, 404, 404, 404),
    "/account/whoami/": (LOGIN, 200, 200, 200, 200, 200),
    # Monitoring: anonymous, and it says only whether the database answers.
    "/health/": (200, 200, 200, 200, 200, 200),
    "/admin/": EVERY_STAFF_ROLE,
    "/admin/login/": (200, 200, 302, 302, 302, 302),
    # Logging out takes a POST; a GET from someone not signed in to the admin goes to /admin/.
    "/admin/logout/": (302, 302, 405, 405, 405, 405),
    "/admin/password_change/": EVERY_STAFF_ROLE,
    "/admin/password_change/done/": EVERY_STAFF_ROLE,
    "/admin/autocomplete/": EVERY_STAFF_ROLE,
    "/admin/jsi18n/": EVERY_STAFF_ROLE,
    "/admin/r/<ct>/<patient>/": REDIRECTED,
    "/admin/no-such-page/": (LOGIN, LOGIN, 404, 404, 404, 404),
    "/admin/assessments/": EVERY_STAFF_ROLE,
    "/admin/assessments/patient/": EVERY_STAFF_ROLE,
    "/admin/assessments/patient/add/": (LOGIN, LOGIN, 200, 200, 403, 200),
    "/admin/assessments/patient/<patient>/": REDIRECTED,
    "/admin/assessments/patient/<patient>/change/": EVERY_STAFF_ROLE,
    "/admin/assessments/patient/<patient>/delete/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/assessments/patient/<patient>/history/": EVERY_STAFF_ROLE,
    "/admin/assessments/patient/<patient>/history/<patient_history>/": EVERY_STAFF_ROLE,
    "/admin/assessments/injection/": EVERY_STAFF_ROLE,
    "/admin/assessments/injection/add/": (LOGIN, LOGIN, 200, 200, 403, 200),
    "/admin/assessments/injection/<injection>/": REDIRECTED,
    "/admin/assessments/injection/<injection>/change/": EVERY_STAFF_ROLE,
    "/admin/assessments/injection/<injection>/delete/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/assessments/injection/<injection>/history/": EVERY_STAFF_ROLE,
    "/admin/assessments/injection/<injection>/history/<injection_history>/": EVERY_STAFF_ROLE,
    "/admin/assessments/injection/<injection>/sign/": (LOGIN, LOGIN, 403, 200, 403, 200),
    "/admin/assessments/injection/<injection>/amend/": (LOGIN, LOGIN, 403, 200, 403, 200),
    "/admin/assessments/injection/<injection>/signed/<version>.pdf": (
        LOGIN,
        LOGIN,
        403,
        200,
        200,
        200,
    ),  # noqa: E501
    # "Export these" (the changelist's filters as the query): clinicians and auditors.
    "/admin/assessments/injection/export/<format>/": (LOGIN, LOGIN, 403, 200, 200, 200),
    # Enrolment codes: issued and listed by superusers only; never changed or deleted.
    "/admin/assessments/enrolmentcode/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/assessments/enrolmentcode/add/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/assessments/enrolmentcode/<enrolmentcode>/": REDIRECTED,
    "/admin/assessments/enrolmentcode/<enrolmentcode>/change/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/assessments/enrolmentcode/<enrolmentcode>/delete/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/assessments/enrolmentcode/<enrolmentcode>/history/": (LOGIN, LOGIN, 403, 403, 403, 200),
    # The export log: auditors and superusers read it; nobody writes it.
    "/admin/assessments/dataexport/": (LOGIN, LOGIN, 403, 403, 200, 200),
    "/admin/assessments/dataexport/add/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/assessments/dataexport/<dataexport>/": REDIRECTED,
    "/admin/assessments/dataexport/<dataexport>/change/": (LOGIN, LOGIN, 403, 403, 200, 200),
    "/admin/assessments/dataexport/<dataexport>/delete/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/assessments/dataexport/<dataexport>/history/": (LOGIN, LOGIN, 403, 403, 200, 200),
    # The reminders' send log: read-only, for auditors (and superusers).
    "/admin/assessments/remindersend/": (LOGIN, LOGIN, 403, 403, 200, 200),
    "/admin/assessments/remindersend/add/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/assessments/remindersend/<remindersend>/": REDIRECTED,
    "/admin/assessments/remindersend/<remindersend>/change/": (LOGIN, LOGIN, 403, 403, 200, 200),
    "/admin/assessments/remindersend/<remindersend>/delete/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/assessments/remindersend/<remindersend>/history/": (LOGIN, LOGIN, 403, 403, 200, 200),
    "/admin/assessments/reportaccess/": (LOGIN, LOGIN, 403, 403, 200, 200),
    "/admin/assessments/reportaccess/add/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/assessments/reportaccess/<reportaccess>/": REDIRECTED,
    "/admin/assessments/reportaccess/<reportaccess>/change/": (LOGIN, LOGIN, 403, 403, 200, 200),
    "/admin/assessments/reportaccess/<reportaccess>/delete/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/assessments/reportaccess/<reportaccess>/history/": (LOGIN, LOGIN, 403, 403, 200, 200),
    # Users, groups, login throttling and authenticators: superusers only.
    "/admin/auth/": (LOGIN, LOGIN, 404, 404, 404, 200),
    "/admin/auth/group/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/group/add/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/group/<group>/": REDIRECTED,
    "/admin/auth/group/<group>/change/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/group/<group>/delete/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/group/<group>/history/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/user/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/user/add/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/user/<user>/": REDIRECTED,
    "/admin/auth/user/<user>/change/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/user/<user>/delete/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/user/<user>/history/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/auth/user/<user>/password/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/": (LOGIN, LOGIN, 404, 404, 404, 200),
    "/admin/axes/accessattempt/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accessattempt/add/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/axes/accessattempt/<accessattempt>/": REDIRECTED,
    "/admin/axes/accessattempt/<accessattempt>/change/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accessattempt/<accessattempt>/delete/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accessattempt/<accessattempt>/history/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accesslog/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accesslog/add/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/axes/accesslog/<accesslog>/": REDIRECTED,
    "/admin/axes/accesslog/<accesslog>/change/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accesslog/<accesslog>/delete/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accesslog/<accesslog>/history/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accessfailurelog/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accessfailurelog/add/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/axes/accessfailurelog/<accessfailurelog>/": REDIRECTED,
    "/admin/axes/accessfailurelog/<accessfailurelog>/change/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accessfailurelog/<accessfailurelog>/delete/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/axes/accessfailurelog/<accessfailurelog>/history/": (LOGIN, LOGIN, 403, 403, 403, 200),  # noqa: E501
    "/admin/otp_totp/": (LOGIN, LOGIN, 404, 404, 404, 200),
    "/admin/otp_totp/totpdevice/": (LOGIN, LOGIN, 403, 403, 403, 200),
    # Authenticators are enrolled by their user; a superuser looks and deletes a lost one.
    "/admin/otp_totp/totpdevice/add/": (LOGIN, LOGIN, 403, 403, 403, 403),
    "/admin/otp_totp/totpdevice/<totpdevice>/": REDIRECTED,
    "/admin/otp_totp/totpdevice/<totpdevice>/change/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/otp_totp/totpdevice/<totpdevice>/delete/": (LOGIN, LOGIN, 403, 403, 403, 200),
    "/admin/otp_totp/totpdevice/<totpdevice>/history/": (LOGIN, LOGIN, 403, 403, 403, 200),
}
# django-otp's pages showing a device's secret (a 500 for a missing id) are not served: the
# admin's catch-all redirects them to the change page, which says the device is not there.
GONE = {
    "/admin/otp_totp/totpdevice/<totpdevice>/config/": REDIRECTED,
    "/admin/otp_totp/totpdevice/<totpdevice>/qrcode/": REDIRECTED,
}

# SAVED: the write went through (a redirect, and the row counted by the case changed).
# Anything else: that status, and nothing written.
SAVED = "saved"
WRITE_MATRIX = {
    # write:                        (anonymous, outsider, nurse, clinician, auditor, superuser)
    sign_off_draft: (LOGIN, LOGIN, 403, SAVED, 403, SAVED),
    amend_signed: (LOGIN, LOGIN, 403, SAVED, 403, SAVED),
    bedside_quick_reading: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_baseline: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_correct_reading: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_sign_off: (LOGIN, 403, 403, SAVED, 403, SAVED),
    bedside_new_injection: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_work_up: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_follow_up_entry: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_diary_link: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    bedside_follow_up_call: (LOGIN, 403, SAVED, SAVED, 403, SAVED),
    admin_add_patient: (LOGIN, LOGIN, SAVED, SAVED, 403, SAVED),
    admin_add_injection: (LOGIN, LOGIN, SAVED, SAVED, 403, SAVED),
    admin_change_patient: (LOGIN, LOGIN, SAVED, SAVED, 403, SAVED),
    admin_change_draft_injection: (LOGIN, LOGIN, SAVED, SAVED, 403, SAVED),
    admin_change_signed_injection: (LOGIN, LOGIN, 403, 403, 403, 403),
    admin_delete_draft_injection: (LOGIN, LOGIN, 403, 403, 403, SAVED),
    # The code is shown once on the page that answers the POST, so no redirect.
    admin_issue_enrolment_code: (LOGIN, LOGIN, 403, 403, 403, "200, written"),
    admin_delete_patient: (LOGIN, LOGIN, 403, 403, 403, SAVED),
    # SIMPLE_HISTORY_REVERT_DISABLED is set: the history version pages are for reading only.
    admin_revert_patient: (LOGIN, LOGIN, 403, 403, 403, 403),
    admin_revert_signed_injection: (LOGIN, LOGIN, 403, 403, 403, 403),
}

# Collected from the resolver, so a new URL becomes a test that fails until it has a row.
PROJECT_KEYS = project_matrix_keys()


def test_every_url_of_the_project_is_in_the_matrix():
    assert sorted(PROJECT_KEYS) == sorted(MATRIX)
    assert len(set(PROJECT_KEYS)) == len(PROJECT_KEYS)


# The patient's own diary pages greet them by their first name, and show nothing else.
FIRST_NAME_ONLY = {"/diary/<token>/", "/diary/<token>/thanks/"}


def assert_no_patient_data(response, role, key):
    text = body(response)
    shown = (FAMILY_NAME, MRN) if key in FIRST_NAME_ONLY else PATIENT_DATA
    for value in shown:
        assert value not in text, f"{key} shows patient data to {role}"


def get_as(role_client, role, key, world):
    url = fill(key, world)
    assert "<" not in url, f"unfilled parameter in {url}"
    return role_client(role).get(url, QUERIES.get(key, {}))


@pytest.mark.parametrize("key", PROJECT_KEYS + list(GONE))
def test_url_answers_each_role_as_the_matrix_says(world, role_client, key):
    assert key in MATRIX or key in GONE, f"{key} is a new URL: add its row to MATRIX"
    expected, answered = {}, {}
    for role, status in zip(ROLES, MATRIX.get(key) or GONE[key], strict=True):
        response = get_as(role_client, role, key, world)
        expected[role], answered[role] = status, outcome(response)
        if role in ("anonymous", "outsider") or status != 200:
            assert_no_patient_data(response, role, key)
        if response.status_code == 200 and (role != "anonymous" or key.startswith("/diary/")):
            assert "no-store" in response["Cache-Control"], f"{key} may be cached for {role}"
    assert answered == expected


def missing(world):
    """The world with every record id replaced by one that does not exist."""
    absent = {
        name: 10**6 + index for index, name in enumerate(world) if isinstance(world[name], int)
    }
    return {**world, **absent, "version": 99, "token": "no-such-token", "format": "nope"}


# Every URL with a parameter, given records that do not exist (and junk for the rest).
WITH_PARAMETERS = [key for key in PROJECT_KEYS + list(GONE) if "<" in key]


@pytest.mark.parametrize("key", WITH_PARAMETERS)
def test_a_url_naming_a_missing_record_answers_no_server_error(world, role_client, key):
    answered = {}
    for role in ROLES:
        client = role_client(role)
        client.raise_request_exception = False
        answered[role] = outcome(client.get(fill(key, missing(world)), QUERIES.get(key, {})))
    assert not [role for role, status in answered.items() if status != LOGIN and status >= 500]


def test_patient_data_check_finds_the_patient_where_staff_may_see_it(world, role_client):
    # The leak assertions above are only worth something if they would spot the patient.
    nurse = role_client("nurse")
    for key in ("/admin/assessments/patient/<patient>/change/", "/injections/<injection>/"):
        page = body(nurse.get(fill(key, world)))
        assert all(value in page for value in PATIENT_DATA), key


def post_as(role_client, role, write, records):
    """POST one write as one role; the database is rolled back afterwards."""
    url, data, effect = write(records)
    with transaction.atomic():
        before = effect()
        response = role_client(role).post(url, data)
        written = effect() != before
        transaction.set_rollback(True)
    status = outcome(response)
    if written and response.status_code == 302 and status != LOGIN:
        return SAVED
    return f"{status}, written" if written else status


@pytest.mark.parametrize("write", WRITE_MATRIX, ids=lambda write: write.__name__)
def test_write_is_allowed_only_to_the_roles_the_matrix_says(records, role_client, write):
    expected, answered = {}, {}
    for role, status in zip(ROLES, WRITE_MATRIX[write], strict=True):
        expected[role], answered[role] = status, post_as(role_client, role, write, records)
    assert answered == expected


def test_an_auditor_cannot_unlock_a_signed_injection_from_its_history(records, role_client):
    signed = records["signed"]
    url, data, _ = admin_revert_signed_injection(records)
    role_client("auditor").post(url, data)
    signed.refresh_from_db()
    assert (signed.is_locked, signed.side, signed.notes) == (True, "left", "")


@pytest.mark.parametrize("role", ["nurse", "clinician", "auditor", "superuser"])
@pytest.mark.parametrize("model", ["patient", "injection"])
def test_clinical_records_have_no_bulk_delete(records, role_client, role, model):
    client = role_client(role)
    changelist = reverse(f"admin:assessments_{model}_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    target = records["lonely_patient"] if model == "patient" else records["empty_draft"]
    client.post(changelist, {"action": "delete_selected", "_selected_action": [target.pk]})
    assert type(target).objects.filter(pk=target.pk).exists()
