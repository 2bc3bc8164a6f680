"""The bedside work-up page and the coverage section of the injection page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import CoverageStatus, WorkUp

BLOCK = [(-5, 8), (25, 1), (60, 1), (100, 1), (150, 6)]


def work_up_body(**overrides):
    body = {
        "side": "left",
        "examined_on": timezone.localdate().isoformat(),
        "pain_over_si_joint": "True",
        "pain_onset": (timezone.localdate() - timedelta(days=200)).isoformat(),
        "usual_pain": "7",
        "distraction": "positive",
        "thigh_thrust": "positive",
        "compression": "positive",
        "sacral_thrust": "negative",
        "gaenslen": "not_done",
        "faber": "",
        "conservative_care": "physiotherapy",
        "conservative_weeks": "6",
        "active_rehab": "True",
        "imaging_reviewed": "True",
        "other_causes_excluded": "True",
        "radiculopathy": "False",
    }
    return {**body, **overrides}


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"usual_pain": "11"}, "usual_pain"),
        ({"distraction": "maybe"}, "distraction"),
        ({"side": ""}, "side"),
        ({"pain_onset": "2099-01-01"}, "pain_onset"),
        ({"examined_on": "2099-01-01"}, "examined_on"),
        ({"conservative_care": "", "conservative_weeks": "6"}, "conservative_care"),
        ({"conservative_weeks": "-1"}, "conservative_weeks"),
    ],
)
def test_a_bad_work_up_shows_the_error_on_its_field_and_saves_nothing(
    nurse_client, make_patient, overrides, field
):
    patient = make_patient()
    url = reverse("assessments:work_up", args=[patient.pk])
    response = nurse_client.post(url, work_up_body(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not WorkUp.objects.exists()


def test_a_work_up_is_saved_and_the_block_page_reads_it(clinic_clock, nurse_client, make_injection):
    injection = make_injection(BLOCK, contrast="yes")
    url = reverse("assessments:work_up", args=[injection.patient_id])
    examined = (timezone.localdate() - timedelta(days=2)).isoformat()
    body = work_up_body(examined_on=examined)
    response = nurse_client.post(f"{url}?injection={injection.pk}", body)
    assert response.status_code == 302
    assert response.url == reverse("assessments:injection_detail", args=[injection.pk])
    record = WorkUp.objects.get()
    assert record.provocation_text == "3 of 6 positive (1 negative, 1 not done, 1 not recorded)"
    assert CoverageStatus.objects.get(injection=injection).status == "met"
    page = nurse_client.get(response.url).content.decode()
    assert "Medicare LCD L39402 (CMS-L39402@1): <span" in page
    assert 'data-code="provocation" data-status="met"' in page
    assert "CPT 27096-LT" in page


def test_without_a_work_up_the_page_says_what_is_unknown(nurse_client, make_injection):
    injection = make_injection(BLOCK)
    page = nurse_client.get(reverse("assessments:injection_detail", args=[injection.pk]))
    text = page.content.decode()
    assert "No work-up in the 12 months before this block." in text
    assert 'data-status="incomplete"' in text
    assert 'data-code="provocation" data-status="unknown"' in text


def test_the_admin_lists_filter_by_coverage_status(
    admin_client, make_injection, django_assert_max_num_queries
):
    met = make_injection(BLOCK)
    other = make_injection(BLOCK)
    CoverageStatus.objects.filter(injection=met).update(status="met")
    url = reverse("admin:assessments_injection_changelist")
    response = admin_client.get(url, {"coverage": "met"})
    assert [row.pk for row in response.context["cl"].result_list] == [met.pk]
    response = admin_client.get(url, {"coverage": "incomplete"})
    assert [row.pk for row in response.context["cl"].result_list] == [other.pk]
    assert '<td class="field-coverage_display">incomplete</td>' in response.content.decode()


def test_a_new_block_can_confirm_the_latest_diagnostic_block(
    nurse_client, new_injection_body, make_injection, make_patient
):
    patient = make_patient(mrn="PAIR-1")
    first = make_injection(BLOCK, patient=patient, side="right", minutes_ago=14 * 24 * 60)
    body = new_injection_body(
        mrn="PAIR-1",
        family_name="",
        given_name="",
        date_of_birth="",
        anaesthetic_agent="bupivacaine",
        confirms_latest="on",
    )
    response = nurse_client.post(reverse("assessments:new_injection"), body)
    assert response.status_code == 302, response.context["form"].errors
    assert patient.injections.exclude(pk=first.pk).get().confirms == first


def test_confirming_with_no_earlier_block_is_a_field_error_and_saves_nothing(
    nurse_client, new_injection_body
):
    response = nurse_client.post(
        reverse("assessments:new_injection"), new_injection_body(confirms_latest="on")
    )
    assert response.status_code == 200
    assert "confirms_latest" in response.context["form"].errors
    assert not WorkUp.objects.exists()
    from assessments.models import Injection

    assert not Injection.objects.exists()


def test_a_patient_with_a_locked_work_up_still_saves_in_the_admin(
    admin_client, make_injection, clinician
):
    from assessments import signing

    injection = make_injection(BLOCK)
    record = WorkUp.objects.create(
        patient=injection.patient, side="left", examined_on=timezone.localdate() - timedelta(2)
    )
    from assessments.models import Injection

    Injection.objects.filter(pk=injection.pk).update(work_up=record)
    signing.sign_off(injection.pk, clinician)
    patient = injection.patient
    url = reverse("admin:assessments_patient_change", args=[patient.pk])
    form = admin_client.get(url).context["adminform"].form
    body = {
        **{k: v for k, v in form.initial.items() if v is not None and k != "date_of_birth"},
        "date_of_birth": patient.date_of_birth.isoformat(),
        "work_ups-TOTAL_FORMS": "1",
        "work_ups-INITIAL_FORMS": "1",
        "work_ups-0-id": str(record.pk),
        "work_ups-0-patient": str(patient.pk),
        "work_ups-0-side": "left",
        "work_ups-0-examined_on": record.examined_on.isoformat(),
        "injections-TOTAL_FORMS": "1",
        "injections-INITIAL_FORMS": "1",
        "injections-0-id": str(injection.pk),
        "injections-0-patient": str(patient.pk),
    }
    body.pop("reminders", None)
    assert admin_client.post(url, body).status_code == 302
    body["work_ups-0-usual_pain"] = "3"
    response = admin_client.post(url, body)
    assert response.status_code == 200
    assert "signed block uses this work-up" in response.content.decode()
    record.refresh_from_db()
    assert record.usual_pain is None
