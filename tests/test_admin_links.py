"""The admin's add-injection form given records in its query string (?patient=12): a link
naming something that is not a record is a clear page, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

ADD_URL = reverse("admin:assessments_injection_add")


@pytest.mark.parametrize(
    "query",
    [
        "patient=abc",
        "patient=1.5",
        "patient=-1",
        "patient=%00",
        "patient=99999999999999999999999",
        "patient=%EF%BC%93",  # a full-width digit: int() reads it, the database does not
        "patient=1&patient=abc",
        "proceduralist=abc",
    ],
)
def test_a_link_naming_no_record_shows_the_form_and_says_so(client, staff_user, query):
    client.force_login(staff_user)
    client.raise_request_exception = False

    response = client.get(f"{ADD_URL}?{query}")

    assert response.status_code == 200
    assert "adminform" in response.context
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("was not found: choose one below" in message for message in shown)


def test_a_link_naming_a_patient_fills_the_patient_in(client, staff_user, make_patient):
    patient = make_patient(mrn="LINK-1")
    client.force_login(staff_user)

    response = client.get(f"{ADD_URL}?patient={patient.pk}")

    assert response.status_code == 200
    assert response.context["adminform"].form.initial["patient"] == str(patient.pk)
    assert "LINK-1" in response.content.decode()
    assert not list(get_messages(response.wsgi_request))


def test_a_link_naming_a_patient_who_is_gone_says_so(client, staff_user):
    client.force_login(staff_user)

    response = client.get(f"{ADD_URL}?patient=424242")

    assert response.status_code == 200
    assert "patient" not in response.context["adminform"].form.initial
