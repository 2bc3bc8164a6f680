import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import display
from assessments.models import Injection, PainReading, Patient
from tests.builders import injection_post, local_input

ADD_URL = reverse("admin:assessments_injection_add")
CHANGELIST_URL = reverse("admin:assessments_injection_changelist")


@pytest.fixture
def admin_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_staff_adds_a_patient_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:assessments_patient_add"),
        {
            "mrn": "  NEW-1 ",
            "family_name": "Ångström",
            "given_name": "Zoë",
            "date_of_birth": "1980-02-03",
            "sex": "female",
            "injections-TOTAL_FORMS": "0",
            "injections-INITIAL_FORMS": "0",
            "work_ups-TOTAL_FORMS": "0",
            "work_ups-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Patient.objects.get().mrn == "NEW-1"


def test_staff_adds_an_injection_with_readings_and_sees_the_outcome(
    admin_client, staff_user, make_patient
):
    patient = make_patient()
    performed = timezone.now() - timedelta(hours=2)
    body = injection_post(
        patient,
        staff_user,
        performed,
        readings=[
            {"recorded_at": local_input(performed - timedelta(minutes=10)), "score": "8"},
            {"minutes_after": "25", "score": "1"},
            {"minutes_after": "45", "score": "0"},
        ],
    )
    response = admin_client.post(ADD_URL, body)
    assert response.status_code == 302, response.context["errors"]
    injection = Injection.objects.get()
    assert injection.created_by == staff_user
    assert injection.outcome == "positive"
    assert str(injection.percent_reduction) == "87.5"
    assert injection.readings.count() == 3
    assert {r.entered_by for r in injection.readings.all()} == {staff_user}

    page = admin_client.get(reverse("admin:assessments_injection_change", args=[injection.pk]))
    text = page.content.decode()
    assert "Positive (single block): consistent with SI joint pain" in text
    assert "87.5 %" in text
    assert "1/10 at" in text and "(25 min after)" in text
    rule = "Rule: Positive when pain falls by more than 75 % at every reading"
    assert display.keep_together(rule) in text
    assert "ASPN-2024@2, reduction: yes" in text

    listing = admin_client.get(CHANGELIST_URL).content.decode()
    assert patient.mrn in listing
    assert ">Positive<" in listing


def test_exactly_at_threshold_is_said_in_words_on_the_change_page(admin_client, make_injection):
    injection = make_injection([(-5, 8), (25, 2)])
    page = admin_client.get(reverse("admin:assessments_injection_change", args=[injection.pk]))
    text = page.content.decode()
    sentence = display.keep_together("Exactly 75 %: meets 'at least 75 %' criteria")
    assert escape(sentence) in text
    assert (
        "Indeterminate, exactly at threshold" in admin_client.get(CHANGELIST_URL).content.decode()
    )


@pytest.mark.parametrize(
    "reading, field, message",
    [
        ({"minutes_after": "25", "score": "11"}, "score", "less than or equal to 10"),
        ({"minutes_after": "25", "score": "-1"}, "score", "greater than or equal to 0"),
        ({"minutes_after": "25", "score": "abc"}, "score", "Enter a whole number"),
        ({"minutes_after": "25", "score": ""}, "score", "This field is required"),
        ({"score": "3"}, "recorded_at", "Enter the time of the reading, or minutes after."),
        ({"minutes_after": "abc", "score": "3"}, "minutes_after", "Enter a number"),
        ({"minutes_after": "300", "score": "3"}, "recorded_at", "cannot be in the future"),
        ({"minutes_after": "-1441", "score": "3"}, "minutes_after", "greater than or equal to"),
    ],
)
def test_bad_reading_shows_the_error_on_its_field_and_saves_nothing(
    admin_client, staff_user, make_patient, reading, field, message
):
    patient = make_patient()
    performed = timezone.now() - timedelta(hours=1)
    body = injection_post(patient, staff_user, performed, readings=[reading])
    response = admin_client.post(ADD_URL, body)
    assert response.status_code == 200
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert message in " ".join(form.errors[field]), form.errors
    assert Injection.objects.count() == 0
    assert PainReading.objects.count() == 0


def test_bad_injection_field_saves_neither_the_injection_nor_its_readings(
    admin_client, staff_user, make_patient
):
    patient = make_patient()
    future = timezone.now() + timedelta(days=1)
    body = injection_post(
        patient, staff_user, future, readings=[{"minutes_after": "25", "score": "2"}]
    )
    response = admin_client.post(ADD_URL, body)
    assert response.status_code == 200
    assert "performed_at" in response.context["adminform"].form.errors
    assert Injection.objects.count() == 0
    assert PainReading.objects.count() == 0


def test_one_bad_reading_among_good_ones_saves_none(admin_client, staff_user, make_injection):
    injection = make_injection([(-5, 8)], minutes_ago=120)
    url = reverse("admin:assessments_injection_change", args=[injection.pk])
    body = injection_post(
        injection.patient,
        staff_user,
        injection.performed_at,
        readings=[{"minutes_after": "25", "score": "1"}, {"minutes_after": "28", "score": "12"}],
    )
    response = admin_client.post(url, body)
    assert response.status_code == 200
    assert injection.readings.count() == 1


def test_clock_time_and_minutes_together_are_refused(admin_client, staff_user, make_patient):
    performed = timezone.now() - timedelta(hours=1)
    clock = local_input(performed + timedelta(minutes=25))
    body = injection_post(
        make_patient(),
        staff_user,
        performed,
        readings=[{"recorded_at": clock, "minutes_after": "25", "score": "3"}],
    )
    response = admin_client.post(ADD_URL, body)
    form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert form.errors["minutes_after"] == ["Give the clock time or the minutes, not both."]


def test_editing_a_reading_updates_the_stored_outcome(admin_client, staff_user, make_injection):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=120)
    assert injection.outcome == "positive"
    reading_before, reading_after = injection.readings.order_by("recorded_at")
    url = reverse("admin:assessments_injection_change", args=[injection.pk])
    body = injection_post(injection.patient, staff_user, injection.performed_at)
    for index, reading in enumerate([reading_before, reading_after]):
        body.update(
            {
                f"readings-{index}-id": reading.pk,
                f"readings-{index}-injection": injection.pk,
                f"readings-{index}-recorded_at": local_input(reading.recorded_at),
                f"readings-{index}-minutes_after": "",
                f"readings-{index}-score": reading.score,
                f"readings-{index}-context": "provoked",
                f"readings-{index}-source": "staff",
                f"readings-{index}-note": "",
            }
        )
    body.update(
        {"readings-TOTAL_FORMS": "2", "readings-INITIAL_FORMS": "2", "readings-1-score": "3"}
    )
    response = admin_client.post(url, body)
    assert response.status_code == 302, response.context["errors"]
    injection.refresh_from_db()
    assert injection.outcome == "indeterminate"
    assert str(injection.percent_reduction) == "62.5"


def test_moving_the_injection_time_reevaluates(admin_client, staff_user, make_injection):
    injection = make_injection([(-5, 8), (25, 1)], minutes_ago=120)
    url = reverse("admin:assessments_injection_change", args=[injection.pk])
    body = injection_post(
        injection.patient, staff_user, injection.performed_at - timedelta(minutes=20)
    )
    assert admin_client.post(url, body).status_code == 302
    injection.refresh_from_db()
    assert injection.outcome == "non_diagnostic"


def test_outcome_filter_lists_only_that_outcome(admin_client, make_injection):
    positive = make_injection([(-5, 8), (25, 0)])
    negative = make_injection([(-5, 8), (25, 8)])
    listing = admin_client.get(CHANGELIST_URL, {"result": "negative"})
    shown = [row.pk for row in listing.context["cl"].result_list]
    assert shown == [negative.pk]
    assert positive.pk not in shown


def test_changelist_sorts_by_result_in_the_database(admin_client, make_injection):
    # The default order (newest first) would put the positive one first.
    make_injection([(-5, 8), (25, 0)], minutes_ago=60)
    make_injection([(-5, 8), (25, 8)], minutes_ago=120)
    default = admin_client.get(CHANGELIST_URL).context["cl"].result_list
    assert [row.result_in_force for row in default] == ["positive", "negative"]
    listing = admin_client.get(CHANGELIST_URL, {"o": "5"})
    outcomes = [row.result_in_force for row in listing.context["cl"].result_list]
    assert outcomes == sorted(outcomes) == ["negative", "positive"]


@pytest.mark.parametrize("rows", [10, 200])
def test_changelist_runs_a_constant_number_of_queries(
    admin_client, make_injection, make_patient, make_user, django_assert_max_num_queries, rows
):
    proceduralist = make_user()
    patient = make_patient()
    for _ in range(rows):
        make_injection([(-5, 7), (25, 2)], patient=patient, proceduralist=proceduralist)
    # Made: session (and its once-a-minute renewal, 3), user, data version, count, next
    # window to close, first and last date, rows. Kept (a second visit): session, user and
    # data version; the count, the dates and the table come from the cache.
    with django_assert_max_num_queries(11):
        response = admin_client.get(CHANGELIST_URL, {"all": ""})
    assert response.status_code == 200
    with django_assert_max_num_queries(3):
        kept = admin_client.get(CHANGELIST_URL, {"all": ""})
    table = re.compile(r'<table id="result_list">.*</table>', re.DOTALL)
    assert table.search(kept.content.decode())[0] == table.search(response.content.decode())[0]


def test_patient_changelist_counts_injections_in_constant_queries(
    admin_client, make_injection, make_patient, django_assert_max_num_queries
):
    for _ in range(30):
        make_injection(patient=make_patient())
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:assessments_patient_changelist"))
    assert '<td class="field-injection_count">1</td>' in response.content.decode()


def test_patient_search_finds_by_mrn_and_name(admin_client, make_patient):
    make_patient(mrn="ZX-77", family_name="Nuñez")
    make_patient(mrn="AB-11", family_name="Smith")
    for query in ("ZX-77", "Nuñez"):
        listing = admin_client.get(reverse("admin:assessments_patient_changelist"), {"q": query})
        assert [p.mrn for p in listing.context["cl"].result_list] == ["ZX-77"]


def test_patient_page_lists_injections_with_links(admin_client, make_injection):
    injection = make_injection([(-5, 8), (25, 1)])
    page = admin_client.get(
        reverse("admin:assessments_patient_change", args=[injection.patient.pk])
    )
    assert reverse("admin:assessments_injection_change", args=[injection.pk]) in (
        page.content.decode()
    )


def test_patient_autocomplete_finds_by_mrn(admin_client, make_patient):
    make_patient(mrn="AUTO-5")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "AUTO",
            "app_label": "assessments",
            "model_name": "injection",
            "field_name": "patient",
        },
    )
    assert [item["text"] for item in response.json()["results"]] == ["MRN AUTO-5"]


def test_non_superuser_has_no_delete_or_bulk_delete(client, make_user, make_injection):
    from django.contrib.auth.models import Permission

    nurse = make_user(is_superuser=False)
    nurse.user_permissions.set(Permission.objects.filter(content_type__app_label="assessments"))
    client.force_login(nurse)
    injection = make_injection([(-5, 8)])
    listing = client.get(CHANGELIST_URL)
    assert "delete_selected" not in listing.content.decode()
    delete_url = reverse("admin:assessments_injection_delete", args=[injection.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Injection.objects.filter(pk=injection.pk).exists()


@pytest.mark.parametrize("term", ["ZQ-4", "Quixote", "quix", "Alonso"])
def test_injection_search_finds_by_mrn_or_name(admin_client, make_patient, make_injection, term):
    wanted = make_injection(
        patient=make_patient(mrn="ZQ-4", family_name="Quixote", given_name="Alonso")
    )
    make_injection(patient=make_patient(mrn="AB-1", family_name="Panza", given_name="Sancho"))
    listing = admin_client.get(CHANGELIST_URL, {"q": term})
    assert [row.pk for row in listing.context["cl"].result_list] == [wanted.pk]


def test_broad_injection_search_is_complete(
    admin_client, make_patient, make_injection, monkeypatch
):
    import assessments.admin.injections

    monkeypatch.setattr(assessments.admin.injections, "SEARCH_ID_LIST_LIMIT", 1)
    found = [make_injection(patient=make_patient(family_name=f"Broad{n}")) for n in range(3)]
    make_injection(patient=make_patient(family_name="Other"))
    listing = admin_client.get(CHANGELIST_URL, {"q": "broad"})
    assert sorted(row.pk for row in listing.context["cl"].result_list) == sorted(
        i.pk for i in found
    )


def test_admin_readings_are_saved_through_the_reading_service(
    admin_client, staff_user, make_patient, monkeypatch
):
    from assessments import services

    saved = []
    real = services.save_reading
    monkeypatch.setattr(
        services, "save_reading", lambda reading: saved.append(reading) or real(reading)
    )
    performed = timezone.now() - timedelta(hours=2)
    body = injection_post(
        make_patient(),
        staff_user,
        performed,
        readings=[{"minutes_after": "-10", "score": "8"}, {"minutes_after": "25", "score": "1"}],
    )

    assert admin_client.post(ADD_URL, body).status_code == 302
    injection = Injection.objects.get()
    assert sorted(r.pk for r in saved) == sorted(injection.readings.values_list("pk", flat=True))
    assert all(r.entered_by == staff_user for r in saved)


def test_two_readings_in_one_minute_are_refused_on_the_field(
    admin_client, staff_user, make_patient
):
    # On a whole minute, so 25 and 25.5 minutes after fall in the same clock minute.
    performed = (timezone.now() - timedelta(hours=2)).replace(second=0, microsecond=0)
    body = injection_post(
        make_patient(),
        staff_user,
        performed,
        readings=[{"minutes_after": "25", "score": "1"}, {"minutes_after": "25.5", "score": "3"}],
    )
    response = admin_client.post(ADD_URL, body)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[1].errors
    assert "give each reading its own minute" in errors["recorded_at"][0]
    assert not Injection.objects.exists()


def test_a_signed_injection_shows_its_times_with_the_zone_and_people_by_name(
    client, make_injection, make_role_user, settings
):
    from assessments import display, signing

    settings.TIME_ZONE = "Europe/Paris"
    doctor = make_role_user("Clinician", first_name="Ines", last_name="Duarte")
    injection = make_injection([(-5, 8), (25, 1)], proceduralist=doctor)
    reading = injection.readings.order_by("recorded_at").last()
    signing.sign_off(injection.pk, doctor)
    client.force_login(doctor)
    page = client.get(reverse("admin:assessments_injection_change", args=[injection.pk]))
    html = page.content.decode()
    assert display.date_time(injection.performed_at) in html  # e.g. "26 Nov 2026, 09:12 CET"
    assert display.date_time(reading.recorded_at) in html
    assert "CET" in display.date_time(injection.performed_at)
    assert "Ines Duarte" in html and doctor.username not in html


def test_the_proceduralist_is_chosen_by_full_name(admin_client, make_user):
    make_user("dr.x", first_name="Ada", last_name="Okafor")
    html = admin_client.get(ADD_URL).content.decode()
    assert ">Ada Okafor</option>" in html and ">dr.x</option>" not in html


def test_the_date_of_birth_is_a_date_box_without_a_today_shortcut(admin_client):
    html = admin_client.get(reverse("admin:assessments_patient_add")).content.decode()
    assert 'type="date" name="date_of_birth"' in html
    assert "vDateField" not in html
