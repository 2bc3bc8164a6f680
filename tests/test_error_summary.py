"""Every form's errors at once, in one summary at its top, each linked to its field."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from assessments.models import Injection, Patient
from tests.builders import injection_post, local_input


def test_new_injection_shows_every_error_in_one_round_trip(nurse_client, new_injection_body):
    # The three waves of before: side and score; then name, birth date and a future
    # baseline (the service's checks) all come back from this one POST.
    body = new_injection_body(
        side="",
        baseline_score="",
        family_name="",
        date_of_birth="",
        baseline_at=local_input(timezone.now() + timedelta(hours=2)),
    )

    response = nurse_client.post("/injections/new/", body)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"side", "baseline_score", "family_name", "date_of_birth", "baseline_at"}
    assert "A reading cannot be in the future." in errors["baseline_at"]
    assert "The baseline is taken before the injection time." in errors["baseline_at"]
    assert not Patient.objects.filter(mrn="NEW-777").exists()
    assert not Injection.objects.exists()


def test_a_field_with_a_shape_error_gets_no_second_message(nurse_client, new_injection_body):
    response = nurse_client.post("/injections/new/", new_injection_body(performed_at="soon"))

    assert response.context["form"].errors["performed_at"] == ["Enter a valid date/time."]


def test_the_summary_lists_every_error_linked_to_its_field(nurse_client, new_injection_body):
    response = nurse_client.post("/injections/new/", new_injection_body(side="", family_name=""))

    html = response.content.decode()
    assert html.count("data-error-summary") == 1
    summary = html[
        html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
    ]
    assert 'href="#div_id_side"' in summary
    assert 'href="#div_id_family_name"' in summary
    assert "Please correct these 2 things:" in summary
    # Each link's target is on the page.
    assert 'id="div_id_side"' in html and 'id="div_id_family_name"' in html


def test_a_valid_form_shows_no_summary(nurse_client):
    response = nurse_client.get("/injections/new/")

    assert "data-error-summary" not in response.content.decode()


def test_the_proceduralist_list_offers_clinicians_not_nurses_auditors_or_administrators(
    nurse_client, make_role_user, make_user
):
    clinician = make_role_user("Clinician", "dr-clinician")
    visiting = make_user("dr-visiting")
    administrator = make_user("the-admin", is_superuser=True)
    auditor = make_role_user("Auditor", "the-auditor")
    admin_clinician = make_role_user("Clinician", "dr-admin", is_superuser=True)

    offered = set(
        nurse_client.get("/injections/new/").context["form"].fields["proceduralist"].queryset
    )

    assert {clinician, visiting, admin_clinician} <= offered
    assert not offered & {administrator, auditor}
    assert not any(user.username == "ward-nurse" for user in offered)


def test_an_admin_form_lists_its_own_and_its_rows_errors_in_one_summary(
    admin_client, staff_user, make_patient
):
    future = timezone.now() + timedelta(days=1)
    body = injection_post(make_patient(), staff_user, future, readings=[{"score": "11"}])

    response = admin_client.post(reverse("admin:assessments_injection_add"), body)

    html = response.content.decode()
    summary = html[
        html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))
    ]
    assert html.count("data-error-summary") == 1
    assert 'href="#id_performed_at"' in summary
    assert 'href="#id_readings-0-score"' in summary
    assert 'href="#id_readings-0-recorded_at"' in summary
    assert not Injection.objects.exists()


def test_quick_entry_shows_a_missing_score_and_a_future_time_together(nurse_client, make_injection):
    injection = make_injection([(-10, 8)], minutes_ago=25)
    future = local_input(timezone.now() + timedelta(hours=1))

    response = nurse_client.post(
        f"/injections/{injection.pk}/reading/",
        {"score": "", "recorded_at": future, "context": "provoked"},
    )

    errors = response.context["form"].errors
    assert set(errors) == {"score", "recorded_at"}
    assert response.content.decode().count("data-error-summary") == 1
    assert injection.readings.count() == 1
