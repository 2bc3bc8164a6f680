"""Every URL of the project × every role → the expected status (the read matrix)."""

import re

from django.urls import URLResolver, get_resolver

from tests.access.world import (
    FAMILY_NAME,
    LOGIN,
    MRN,
    PATIENT_DATA,
    QUERIES,
    body,
    fill,
)


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


# Collected from the resolver, so a new URL becomes a test that fails until it has a row.
PROJECT_KEYS = project_matrix_keys()


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


def missing(world):
    """The world with every record id replaced by one that does not exist."""
    absent = {
        name: 10**6 + index for index, name in enumerate(world) if isinstance(world[name], int)
    }
    return {**world, **absent, "version": 99, "token": "no-such-token", "format": "nope"}


# Every URL with a parameter, given records that do not exist (and junk for the rest).
WITH_PARAMETERS = [key for key in PROJECT_KEYS + list(GONE) if "<" in key]
