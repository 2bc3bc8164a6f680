"""Finding a patient from the bedside pages, and MRNs that are one MRN whatever their case."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Patient

SEARCH = reverse("assessments:patient_search")


def test_a_lower_case_mrn_finds_the_upper_case_record(nurse_client, make_patient):
    make_patient(mrn="UX-001", family_name="Okafor", given_name="Ada")
    make_patient(mrn="UX-0010", family_name="Other", given_name="Ben")
    page = nurse_client.get(SEARCH, {"q": "ux-001"}).content.decode()
    assert page.index("MRN UX-001 ·") < page.index("MRN UX-0010 ·")  # Exact MRN first.
    assert "Okafor, Ada" in page or "Ada Okafor" in page


def test_names_are_found_by_every_word(nurse_client, make_patient):
    make_patient(mrn="N-1", family_name="Okafor", given_name="Ada")
    make_patient(mrn="N-2", family_name="Okafor", given_name="Chidi")
    page = nurse_client.get(SEARCH, {"q": "ada okaf"}).content.decode()
    assert "MRN N-1" in page and "MRN N-2" not in page


def test_a_result_lists_the_patients_injections_with_their_results(
    nurse_client, make_patient, make_injection
):
    patient = make_patient(mrn="R-1")
    injection = make_injection([(-5, 8), (25, 1)], patient=patient)
    page = nurse_client.get(SEARCH, {"q": "R-1"}).content.decode()
    assert reverse("assessments:injection_detail", args=[injection.pk]) in page
    assert "Positive" in page
    assert f"?patient={patient.pk}" in page  # New injection for this patient.


def test_no_match_says_so_and_offers_registration(nurse_client, db):
    page = nurse_client.get(SEARCH, {"q": "nobody-here"}).content.decode()
    assert "No patient matches “nobody-here”" in page
    assert reverse("assessments:new_injection") in page


def test_search_reads_in_a_fixed_number_of_queries(nurse_client, make_patient, make_injection):
    for number in range(6):
        make_injection([(-5, 8), (25, 1)], patient=make_patient(mrn=f"Q-{number}"))
    nurse_client.get(SEARCH, {"q": "Q-"})  # Warm the session and permission caches.
    with CaptureQueriesContext(connection) as queries:
        page = nurse_client.get(SEARCH, {"q": "Q-"}).content.decode()
    assert page.count("patient-result") == 6
    assert len(queries) <= 6, [q["sql"] for q in queries]


def test_an_odd_or_very_long_query_is_answered_not_crashed(nurse_client, db):
    for query in ["%", "_", "'; drop table x; --", "\\", "x" * 10_000, "Ω 😀"]:
        assert nurse_client.get(SEARCH, {"q": query}).status_code == 200


def test_new_injection_opened_for_a_patient_starts_from_their_details(nurse_client, make_patient):
    patient = make_patient(mrn="PRE-1", family_name="Okafor", given_name="Ada")
    page = nurse_client.get(
        reverse("assessments:new_injection"), {"patient": patient.pk}
    ).content.decode()
    assert 'value="PRE-1"' in page and 'value="Okafor"' in page
    assert (
        nurse_client.get(reverse("assessments:new_injection"), {"patient": "x"}).status_code == 200
    )


def test_the_database_refuses_an_mrn_differing_only_in_case(make_patient):
    make_patient(mrn="CASE-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(
            mrn="case-1", family_name="A", given_name="B", date_of_birth="1970-01-01"
        )


def test_the_admin_form_names_the_existing_mrn(client, staff_user, make_patient):
    make_patient(mrn="CASE-2")
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:assessments_patient_add"),
        {
            "mrn": "case-2",
            "family_name": "A",
            "given_name": "B",
            "date_of_birth": "1970-01-01",
            "sex": "",
            "phone": "",
        },
    )
    assert response.status_code == 200
    assert "mrn" in response.context["adminform"].form.errors
    assert Patient.objects.filter(mrn__iexact="case-2").count() == 1
