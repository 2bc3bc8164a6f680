"""Generated bad input against every entry form: each is refused on its field, nothing is saved.

Each case starts from a valid submission (checked by the control tests) and spoils one field
with a value built to be invalid. Most cases bind the form class directly; the paths whose
checks live in a view, service or the admin (override reason, date of birth, the admin inline)
post through the test client, with fewer examples. FUZZ_EXAMPLES=N runs N examples per test.
"""

import os
import string
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import rules, signing
from assessments.forms import (
    AmendmentForm,
    FollowUpEntryForm,
    NewInjectionForm,
    QuickReadingForm,
    ReadingInlineForm,
    SignOffForm,
)
from assessments.models import Amendment, Injection, PainReading, Patient, SignOff
from tests import builders


def fuzz(examples):
    """Hypothesis settings: `examples` per run (halved since the suite must stay quick);
    FUZZ_EXAMPLES=N asks N of each for a deep run."""
    return settings(
        max_examples=int(os.environ.get("FUZZ_EXAMPLES") or max(10, examples // 2)),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


COUNTED = (Patient, Injection, PainReading, SignOff, Amendment)


def row_counts():
    """Rows of every clinical table, in one query (it runs twice per example)."""
    # Table names come from the models, not from input.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {model._meta.db_table})" for model in COUNTED)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return cursor.fetchone()


def local_text(moment, format="%Y-%m-%dT%H:%M:%S"):
    return timezone.localtime(moment).strftime(format)


# --- Values built to be invalid -------------------------------------------------------------

# No digit of any script: never a number, a date or a time (int("３") would parse).
no_digits = st.text(
    st.characters(codec="utf-8", exclude_categories=["Nd", "No", "Nl", "Cs"]), max_size=12
).filter(lambda text: not any(char.isdigit() or char.isnumeric() for char in text))
blank = st.text(" \t\n\u00a0\u2003", max_size=4)


def bad_score():
    return st.one_of(
        st.integers(max_value=-1).map(str),
        st.integers(min_value=11).map(str),
        st.tuples(st.integers(0, 10), st.integers(1, 9)).map(lambda pair: f"{pair[0]}.{pair[1]}"),
        no_digits,
    )


def malformed_datetime():
    return st.one_of(
        no_digits,
        st.tuples(st.integers(13, 99), st.integers(1, 28)).map(
            lambda pair: f"2024-{pair[0]}-{pair[1]:02d}T10:00:00"
        ),
        st.integers(30, 99).map(lambda day: f"2024-02-{day}T10:00:00"),
        st.integers(25, 99).map(lambda hour: f"2024-03-01T{hour}:00:00"),
    )


def future(start=None, format="%Y-%m-%dT%H:%M:%S", *, after=timedelta(0)):
    """A time after `start`, or after now plus `after` read when the example is drawn (a
    module is imported long before its last example runs on a busy machine)."""
    return st.integers(2, 10**6).map(
        lambda minutes: local_text(
            (start or timezone.now() + after) + timedelta(minutes=minutes), format
        )
    )


def unknown_choice(valid, allow_blank=False):
    """Not one of `valid`, even stripped; blank too unless the field may be left empty."""
    choices = st.one_of(st.text(max_size=20), st.sampled_from(["LEFT", "Rest", "none ", "0"]))
    return choices.filter(lambda text: text not in valid and text.strip() not in valid).filter(
        lambda text: not (allow_blank and text.strip() == "")
    )


def values(choices):
    return {str(value) for value, _ in choices}


# --- Records the forms are bound to ---------------------------------------------------------


@pytest.fixture
def proceduralist(make_user):
    return make_user("fuzz-proceduralist")


@pytest.fixture
def recent(make_injection, proceduralist):
    """An injection three days ago: now is a valid reading time for it."""
    return make_injection([(-5, 8), (25, 2)], minutes_ago=3 * 24 * 60, proceduralist=proceduralist)


def check_refused(form, field):
    """A form refuses on the field. (Nothing is written here: is_valid() never saves; the
    page-level tests below check that a refused POST writes no row.)"""
    assert not form.is_valid()
    assert field in form.errors, (field, form.errors)


# --- QuickReadingForm -----------------------------------------------------------------------


def quick_reading_form(injection, **changes):
    data = {"score": "3", "recorded_at": local_text(timezone.now()), "context": "rest", **changes}
    return QuickReadingForm(data, instance=PainReading(injection=injection))


def quick_reading_cases(injection):
    performed = injection.performed_at
    far_before = performed - timedelta(hours=24)
    return st.one_of(
        st.tuples(st.just("score"), st.one_of(bad_score(), st.just(""))),
        st.tuples(st.just("recorded_at"), st.one_of(malformed_datetime(), blank)),
        st.tuples(st.just("recorded_at"), future()),
        st.tuples(
            st.just("recorded_at"),
            st.integers(1, 10**6).map(lambda m: local_text(far_before - timedelta(minutes=m))),
        ),
        st.tuples(st.just("context"), unknown_choice(values(PainReading.Context.choices))),
    )


def test_quick_reading_form_control_is_valid(recent):
    assert quick_reading_form(recent).is_valid()


@fuzz(200)
@given(data=st.data())
def test_quick_reading_form_refuses_bad_input(recent, data):
    field, value = data.draw(quick_reading_cases(recent))
    check_refused(quick_reading_form(recent, **{field: value}), field)


# --- NewInjectionForm -----------------------------------------------------------------------


def new_injection_data(staff, **changes):
    return builders.new_injection_body(staff, **{"mrn": "FUZZ-1", **changes})


def bad_amount(low, high, places):
    """Decimals outside [low, high], with too many places, or not numbers."""
    return st.one_of(
        st.decimals(max_value=low, allow_nan=False, places=places)
        .filter(lambda value: value < low)
        .map(str),
        st.decimals(min_value=high, allow_nan=False, allow_infinity=False, places=places)
        .filter(lambda value: value > high)
        .map(str),
        st.integers(1, 9).map(lambda digit: f"1.{'0' * places}{digit}"),
        no_digits.filter(lambda text: text.strip() != ""),
    )


NEW_INJECTION_CASES = st.one_of(
    st.tuples(st.just("mrn"), blank),
    st.tuples(st.just("mrn"), st.text(string.ascii_uppercase, min_size=33, max_size=60)),
    st.tuples(st.just("family_name"), st.text(string.ascii_letters, min_size=101, max_size=120)),
    st.tuples(
        st.just("date_of_birth"), st.one_of(no_digits.filter(str.strip), st.just("1975-02-30"))
    ),
    st.tuples(st.just("sex"), unknown_choice(values(Patient.Sex.choices), allow_blank=True)),
    st.tuples(st.just("performed_at"), st.one_of(malformed_datetime(), blank)),
    st.tuples(st.just("performed_at"), future(after=timedelta(minutes=5))),
    st.tuples(st.just("side"), unknown_choice(values(Injection.Side.choices))),
    st.tuples(st.just("proceduralist"), st.integers(10**6, 10**9).map(str)),
    st.tuples(st.just("guidance"), unknown_choice(values(Injection.Guidance.choices))),
    st.tuples(st.just("contrast"), unknown_choice(values(Injection.Contrast.choices))),
    st.tuples(st.just("sedation"), unknown_choice(values(Injection.Sedation.choices))),
    st.tuples(st.just("anaesthetic_agent"), unknown_choice(values(Injection.Anaesthetic.choices))),
    st.tuples(st.just("anaesthetic_concentration"), bad_amount(0, 10, 2)),
    st.tuples(st.just("anaesthetic_volume_ml"), bad_amount(0, 20, 1)),
    st.tuples(st.just("steroid_agent"), unknown_choice(values(Injection.Steroid.choices))),
    # A dose with no corticosteroid (steroid_agent "none").
    st.tuples(st.just("steroid_dose_mg"), st.integers(1, 80).map(str)),
    st.tuples(st.just("baseline_score"), st.one_of(bad_score(), st.just(""))),
    st.tuples(st.just("baseline_at"), st.one_of(malformed_datetime(), blank)),
    st.tuples(st.just("baseline_context"), unknown_choice(values(PainReading.Context.choices))),
)


def test_new_injection_form_control_is_valid(proceduralist):
    form = NewInjectionForm(new_injection_data(proceduralist), user=proceduralist)
    assert form.is_valid(), form.errors


@fuzz(200)
@given(case=NEW_INJECTION_CASES)
def test_new_injection_form_refuses_bad_input(proceduralist, case):
    field, value = case
    form = NewInjectionForm(new_injection_data(proceduralist, **{field: value}))
    check_refused(form, field)


# --- FollowUpEntryForm ----------------------------------------------------------------------


def follow_up_form(injection, day_date, **changes):
    data = {"recorded_at": "10:00", "score": "4", "context": "rest", "source": "patient"}
    data.update(changes)
    return FollowUpEntryForm(data, instance=PainReading(injection=injection), day_date=day_date)


def bad_time():
    return st.one_of(
        no_digits,
        st.integers(24, 99).map(lambda hour: f"{hour}:00"),
        st.integers(60, 99).map(lambda minute: f"10:{minute}"),
    )


def follow_up_cases(injection):
    performed_day = timezone.localdate(injection.performed_at)
    one_day = timedelta(days=1)
    return st.one_of(
        st.tuples(st.just("score"), st.one_of(bad_score(), blank)),
        st.tuples(st.just("recorded_at"), st.one_of(bad_time(), blank)),
        st.tuples(st.just("context"), unknown_choice(values(PainReading.Context.choices))),
        st.tuples(st.just("source"), unknown_choice(values(PainReading.Source.choices))),
        # A day still to come: any time on it is in the future.
        st.integers(1, 3000).map(lambda days: ("day", timezone.localdate() + days * one_day)),
        # More than 14 days after the injection (and in the past).
        st.integers(15, 25).map(lambda days: ("day", performed_day + days * one_day)),
    )


@pytest.fixture
def month_old(make_injection, proceduralist):
    return make_injection([(-5, 8), (25, 2)], minutes_ago=30 * 24 * 60, proceduralist=proceduralist)


def test_follow_up_form_control_is_valid(month_old):
    day = timezone.localdate(month_old.performed_at) + timedelta(days=1)
    assert follow_up_form(month_old, day).is_valid()


@fuzz(150)
@given(data=st.data())
def test_follow_up_form_refuses_bad_input(month_old, data):
    field, value = data.draw(follow_up_cases(month_old))
    day = timezone.localdate(month_old.performed_at) + timedelta(days=1)
    if field == "day":
        check_refused(follow_up_form(month_old, value), "recorded_at")
    else:
        check_refused(follow_up_form(month_old, day, **{field: value}), field)


# --- ReadingInlineForm (the admin's reading rows) ------------------------------------------


def inline_form(injection, **changes):
    data = {"recorded_at": "", "minutes_after": "26", "score": "2", "context": "rest"}
    data.update({"source": "staff", "note": "", **changes})
    return ReadingInlineForm(data, instance=PainReading(injection=injection), injection=injection)


def bad_minutes():
    low, high = -24 * 60, 14 * 24 * 60
    return st.one_of(
        st.integers(max_value=low - 1).map(str),
        st.integers(min_value=high + 1).map(str),
        st.tuples(st.integers(0, 40), st.integers(1, 9)).map(lambda pair: f"{pair[0]}.0{pair[1]}"),
        no_digits.filter(str.strip),
    )


def inline_cases(injection):
    far_before = injection.performed_at - timedelta(hours=24)
    return st.one_of(
        st.tuples(st.just("minutes_after"), bad_minutes()),
        st.tuples(st.just("score"), st.one_of(bad_score(), blank)),
        st.tuples(st.just("context"), unknown_choice(values(PainReading.Context.choices))),
        st.tuples(st.just("source"), unknown_choice(values(PainReading.Source.choices))),
        st.tuples(st.just("note"), st.text(string.ascii_letters, min_size=201, max_size=240)),
        # Neither a clock time nor minutes.
        st.just(("neither", "")),
        # A clock time and minutes together.
        future(injection.performed_at, "%Y-%m-%d %H:%M:%S").map(lambda text: ("both", text)),
        st.tuples(st.just("recorded_at"), malformed_datetime().filter(str.strip)),
        st.tuples(st.just("recorded_at"), future(format="%Y-%m-%d %H:%M:%S")),
        st.integers(1, 10**5).map(
            lambda m: (
                "recorded_at",
                local_text(far_before - timedelta(minutes=m), "%Y-%m-%d %H:%M:%S"),
            )
        ),
    )


def test_inline_form_control_is_valid(recent):
    assert inline_form(recent).is_valid()
    assert inline_form(recent, minutes_after="", recorded_at=local_text(timezone.now())).is_valid()


@fuzz(180)
@given(data=st.data())
def test_inline_form_refuses_bad_input(recent, data):
    field, value = data.draw(inline_cases(recent))
    if field == "neither":
        check_refused(inline_form(recent, minutes_after=""), "recorded_at")
    elif field == "both":
        check_refused(inline_form(recent, recorded_at=value), "minutes_after")
    elif field == "recorded_at":
        check_refused(inline_form(recent, minutes_after="", recorded_at=value), "recorded_at")
    else:
        check_refused(inline_form(recent, **{field: value}), field)


# --- Sign-off and amendment forms -----------------------------------------------------------

OUTCOMES = set(rules.FINAL_OUTCOMES)


@fuzz(60)
@given(outcome=unknown_choice(OUTCOMES), reason=st.text(max_size=30))
def test_sign_off_form_refuses_an_unknown_outcome(db, outcome, reason):
    check_refused(SignOffForm({"outcome": outcome, "reason": reason}), "outcome")


@fuzz(40)
@given(reason=blank)
def test_amendment_form_refuses_an_empty_reason(db, reason):
    check_refused(AmendmentForm({"reason": reason}), "reason")


def test_sign_off_and_amendment_forms_control_is_valid(db):
    assert SignOffForm({"outcome": "positive", "reason": ""}).is_valid()
    assert AmendmentForm({"reason": "Score typed into the wrong row."}).is_valid()


# --- The admin's Patient and Injection change forms -----------------------------------------


def admin_form(model, superuser, obj=None):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return admin.site._registry[model].get_form(request, obj, change=obj is not None)


def patient_data(**changes):
    data = {"mrn": "ADM-1", "family_name": "Adminperson", "given_name": "Ada"}
    data.update({"date_of_birth": "1960-01-02", "sex": "", **changes})
    return data


PATIENT_CASES = st.one_of(
    st.tuples(st.just("mrn"), blank),
    st.tuples(st.just("mrn"), st.text(string.ascii_uppercase, min_size=33, max_size=50)),
    st.tuples(st.just("family_name"), blank),
    st.tuples(st.just("given_name"), st.text(string.ascii_letters, min_size=101, max_size=120)),
    st.tuples(
        st.just("date_of_birth"),
        st.integers(1, 10**5).map(lambda days: str(timezone.localdate() + timedelta(days=days))),
    ),
    st.tuples(st.just("date_of_birth"), st.one_of(blank, no_digits, st.just("1960-02-30"))),
    st.tuples(st.just("sex"), unknown_choice(values(Patient.Sex.choices), allow_blank=True)),
)


@pytest.fixture
def superuser(make_user):
    return make_user("fuzz-superuser", is_superuser=True)


def test_admin_patient_form_control_is_valid(superuser):
    assert admin_form(Patient, superuser)(patient_data()).is_valid()


@fuzz(120)
@given(case=PATIENT_CASES)
def test_admin_patient_form_refuses_bad_input(superuser, case):
    field, value = case
    check_refused(admin_form(Patient, superuser)(patient_data(**{field: value})), field)


def injection_data(injection, **changes):
    performed = injection.performed_at
    data = {
        "patient": str(injection.patient_id),
        "performed_at": local_text(performed, "%Y-%m-%dT%H:%M:%S"),
        **{
            name: str(value)
            for name, value in new_injection_data(injection.proceduralist).items()
            if name in ADMIN_INJECTION_FIELDS
        },
    }
    data.update(changes)
    return data


# The procedure fields the admin form shares with the bedside form (time and patient differ).
ADMIN_INJECTION_FIELDS = set(NewInjectionForm.Meta.fields) - {"performed_at"}
ADMIN_INJECTION_CASES = st.one_of(
    st.tuples(st.just("patient"), st.integers(10**6, 10**9).map(str)),
    st.tuples(st.just("performed_at"), future(after=timedelta(minutes=5))),
    st.tuples(st.just("performed_at"), st.one_of(blank, no_digits, st.just("2024-02-30T10:00"))),
    st.tuples(st.just("side"), unknown_choice(values(Injection.Side.choices))),
    st.tuples(st.just("proceduralist"), st.one_of(blank, st.integers(10**6, 10**9).map(str))),
    st.tuples(st.just("guidance"), unknown_choice(values(Injection.Guidance.choices))),
    st.tuples(st.just("anaesthetic_concentration"), bad_amount(0, 10, 2)),
    st.tuples(st.just("anaesthetic_volume_ml"), bad_amount(0, 20, 1)),
    st.tuples(st.just("steroid_agent"), unknown_choice(values(Injection.Steroid.choices))),
    st.tuples(st.just("steroid_dose_mg"), st.integers(1, 80).map(str)),
)


def test_admin_injection_form_control_is_valid(recent, superuser):
    form = admin_form(Injection, superuser, recent)(injection_data(recent), instance=recent)
    assert form.is_valid(), form.errors


@fuzz(120)
@given(case=ADMIN_INJECTION_CASES)
def test_admin_injection_form_refuses_bad_input(recent, superuser, case):
    field, value = case
    form_class = admin_form(Injection, superuser, recent)
    form = form_class(injection_data(recent, **{field: value}), instance=recent)
    check_refused(form, field)


# --- Through the pages: checks made by views, services and the admin ------------------------


def refused_on_page(response, form, field):
    assert response.status_code == 200, response.status_code
    assert field in form.errors, (field, form.errors)


@pytest.fixture
def clinician_client(client, make_role_user):
    client.force_login(make_role_user("Clinician"))
    return client


@fuzz(25)
@given(data=st.data())
def test_quick_reading_page_refuses_bad_input(clinician_client, recent, data):
    field, value = data.draw(quick_reading_cases(recent))
    body = {"score": "3", "recorded_at": local_text(timezone.now()), "context": "rest"}
    before = row_counts()
    url = reverse("assessments:quick_reading", args=[recent.pk])
    response = clinician_client.post(url, {**body, field: value})
    refused_on_page(response, response.context["form"], field)
    assert row_counts() == before


NEW_INJECTION_PAGE_CASES = st.one_of(
    st.tuples(st.just("mrn"), blank),
    st.tuples(
        st.just("date_of_birth"),
        st.integers(1, 10**5).map(lambda days: str(timezone.localdate() + timedelta(days=days))),
    ),
    # The baseline is taken before the injection, never at or after it.
    st.integers(0, 9).map(lambda minutes: ("baseline_at", minutes)),
)


@fuzz(15)
@given(case=NEW_INJECTION_PAGE_CASES)
def test_new_injection_page_refuses_bad_input(clinician_client, proceduralist, case):
    field, value = case
    body = new_injection_data(proceduralist)
    if field == "baseline_at":
        performed = timezone.now() - timedelta(minutes=10)
        value = local_text(performed + timedelta(minutes=value))
        body["performed_at"] = local_text(performed)
    before = row_counts()
    response = clinician_client.post(reverse("assessments:new_injection"), {**body, field: value})
    refused_on_page(response, response.context["form"], field)
    assert row_counts() == before


@fuzz(15)
@given(data=st.data())
def test_follow_up_page_refuses_bad_input(clinician_client, month_old, data):
    field, value = data.draw(follow_up_cases(month_old).filter(lambda case: case[0] != "day"))
    body = {"target": "d1", "d1-recorded_at": "10:00", "d1-score": "4"}
    body.update({"d1-context": "rest", "d1-source": "patient", f"d1-{field}": value})
    before = row_counts()
    response = clinician_client.post(
        reverse("assessments:follow_up_week", args=[month_old.pk]), body
    )
    day = next(day for day in response.context["days"] if day["number"] == 1)
    refused_on_page(response, day["add_form"], field)
    assert row_counts() == before


@fuzz(20)
@given(reason=blank, data=st.data())
def test_sign_off_page_refuses_an_override_without_reason(clinician_client, recent, reason, data):
    computed = recent.evaluate().outcome.value
    outcome = data.draw(st.sampled_from(sorted(OUTCOMES - {computed})))
    before = row_counts()
    url = reverse("admin:assessments_injection_sign", args=[recent.pk])
    response = clinician_client.post(url, {"outcome": outcome, "reason": reason})
    refused_on_page(response, response.context["form"], "reason")
    assert row_counts() == before


@pytest.fixture
def signed(make_injection, make_role_user):
    injection = make_injection([(-5, 8), (25, 2)], minutes_ago=3 * 24 * 60)
    signing.sign_off(injection.pk, make_role_user("Clinician"))
    return injection


@fuzz(15)
@given(reason=blank)
def test_amend_page_refuses_an_empty_reason(clinician_client, signed, reason):
    before = row_counts()
    url = reverse("admin:assessments_injection_amend", args=[signed.pk])
    response = clinician_client.post(url, {"reason": reason})
    refused_on_page(response, response.context["form"], "reason")
    assert row_counts() == before


@fuzz(15)
@given(data=st.data())
def test_admin_reading_row_refuses_bad_input(clinician_client, recent, data):
    field, value = data.draw(inline_cases(recent))
    row = {"recorded_at": "", "minutes_after": "25", "score": "2"}
    row.update({"context": "rest", "source": "staff", "note": ""})
    expected_field = field
    if field == "neither":
        row["minutes_after"], expected_field = "", "recorded_at"
    elif field in ("both", "recorded_at"):
        row["recorded_at"] = value
        if field == "both":
            expected_field = "minutes_after"
        else:
            row["minutes_after"] = ""
    else:
        row[field] = value
    body = injection_data(recent)
    body.update({f"readings-0-{name}": value for name, value in row.items()})
    body.update({"readings-TOTAL_FORMS": "1", "readings-INITIAL_FORMS": "0"})
    body.update({"signoffs-TOTAL_FORMS": "0", "signoffs-INITIAL_FORMS": "0"})
    body.update({"amendments-TOTAL_FORMS": "0", "amendments-INITIAL_FORMS": "0"})
    before = row_counts()
    response = clinician_client.post(
        reverse("admin:assessments_injection_change", args=[recent.pk]), body
    )
    readings = response.context["inline_admin_formsets"][0].formset
    refused_on_page(response, readings.forms[0], expected_field)
    assert row_counts() == before


# --- Query strings: the statistics filters and the admin's add-injection links -------------

# An empty box takes the default month, so every value here has something in it.
not_a_month = st.one_of(
    no_digits.filter(bool),
    blank.filter(bool),
    st.dates().map(lambda day: day.isoformat()),  # a day, not a month
    st.tuples(st.integers(13, 99), st.integers(2000, 2099)).map(lambda p: f"{p[1]}-{p[0]}"),
    st.integers(-9999, 1999).map(lambda year: f"{year}-01"),
    st.integers(2100, 99999).map(lambda year: f"{year}-12"),
    st.text(max_size=30).filter(lambda text: text.strip() and not text.strip()[:1].isdigit()),
)


def test_statistics_form_control_is_valid(db):
    from assessments.forms.statistics import StatisticsForm

    assert StatisticsForm({"start": "2025-01", "end": "2025-06"}).is_valid()


@fuzz(120)
@given(field=st.sampled_from(["start", "end"]), value=not_a_month)
def test_statistics_form_refuses_anything_but_a_whole_past_month(db, field, value):
    from assessments.forms.statistics import StatisticsForm

    form = StatisticsForm({"start": "2025-01", "end": "2025-06", field: value})
    check_refused(form, field)


@fuzz(30)
@given(query=st.dictionaries(st.sampled_from(["start", "end", "profile"]), st.text(max_size=20)))
def test_statistics_pages_answer_any_query_without_a_server_error(clinician_client, query):
    clinician_client.raise_request_exception = False
    for url in (reverse("assessments:statistics"), reverse("assessments:statistics_csv")):
        assert clinician_client.get(url, query).status_code in (200, 400)


@fuzz(30)
@given(
    name=st.sampled_from(["patient", "proceduralist"]),
    value=st.one_of(st.text(max_size=25), st.integers().map(str), st.floats().map(str)),
)
def test_admin_add_injection_answers_any_linked_record(client, superuser, name, value):
    client.force_login(superuser)
    client.raise_request_exception = False
    response = client.get(reverse("admin:assessments_injection_add"), {name: value})
    assert response.status_code == 200
