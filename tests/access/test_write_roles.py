"""Each write as each role: allowed only to the roles the write matrix says."""

import pytest
from django.urls import reverse

from tests.access.world import (
    ROLES,
)
from tests.access.writes import (
    WRITE_MATRIX,
    admin_revert_signed_injection,
    post_as,
)


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
