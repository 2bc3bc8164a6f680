"""Every URL of the project × every role → the expected status, and who may see patient data.

The URLs come from the resolver, so a URL added to the project without a row in MATRIX fails
`test_every_url_of_the_project_is_in_the_matrix`. Parameters are filled with real objects.
No URL is skipped: logout, password change, jsi18n, the autocomplete (given a search that finds
the patient), view_on_site and the admin's catch-all are harmless to GET, so they have rows too.
"""

import pytest

from tests.access.urls import (
    GONE,
    MATRIX,
    PROJECT_KEYS,
    WITH_PARAMETERS,
    assert_no_patient_data,
    get_as,
    missing,
)
from tests.access.world import (
    LOGIN,
    PATIENT_DATA,
    QUERIES,
    ROLES,
    body,
    fill,
    outcome,
)


def test_every_url_of_the_project_is_in_the_matrix():
    assert sorted(PROJECT_KEYS) == sorted(MATRIX)
    assert len(set(PROJECT_KEYS)) == len(PROJECT_KEYS)


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
