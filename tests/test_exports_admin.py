"""Exports from the injection changelist: the actions and the "Export these" buttons."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.admin.injections import InjectionAdmin
from assessments.models import DataExport, Injection

CHANGELIST = "admin:assessments_injection_changelist"


def export_url(key="csv-wide"):
    return reverse("admin:assessments_injection_export", args=[key])


def streamed_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def exported_ids(response):
    return sorted(int(row["injection_id"]) for row in streamed_rows(response))


@pytest.fixture
def three(make_injection, make_patient):
    patient = make_patient(mrn="MRN-FIND-ME", family_name="Needleperson")
    return {
        "left": make_injection([(-5, 8), (25, 1)], side="left"),
        "right": make_injection([(-5, 8), (25, 6)], side="right"),
        "found": make_injection([(-5, 8), (25, 2)], side="right", patient=patient),
    }


@pytest.fixture
def role_client(client, make_role_user):
    def signed_in(role):
        client.user = make_role_user(role)
        client.force_login(client.user)
        return client

    return signed_in


def run_action(client, action, injections):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [injection.pk for injection in injections]},
    )


def test_export_selected_streams_exactly_the_selection_and_logs_it(role_client, three):
    client = role_client("Clinician")
    response = run_action(client, "export_csv_wide", [three["left"], three["found"]])
    assert response.status_code == 200 and response.streaming
    assert exported_ids(response) == sorted([three["left"].pk, three["found"].pk])
    (entry,) = DataExport.objects.all()
    assert (entry.format, entry.injections, entry.user) == ("csv-wide", 2, client.user)
    assert entry.actor == client.user.username
    assert str(three["found"].pk) in entry.selection


def test_export_file_name_has_no_patient_in_it(role_client, three):
    response = run_action(role_client("Clinician"), "export_csv", [three["found"]])
    disposition = response["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="si-readings-\d{8}-\d{4}\.csv"', disposition)
    assert "Needleperson" not in disposition and "MRN-FIND-ME" not in disposition
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("action", "content_type", "extension"),
    [
        ("export_csv", "text/csv; charset=utf-8", "csv"),
        ("export_csv_wide", "text/csv; charset=utf-8", "csv"),
        ("export_redcap", "application/zip", "zip"),
        ("export_fhir", "application/fhir+json", "json"),
    ],
)
def test_each_export_action_streams_its_format(role_client, three, action, content_type, extension):
    response = run_action(role_client("Auditor"), action, [three["left"]])
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    assert b"".join(response.streaming_content)
    assert DataExport.objects.get().injections == 1


def test_a_nurse_has_no_export_actions_and_cannot_post_one(role_client, three):
    client = role_client("Nurse")
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "export_csv" not in page and "Export these" not in page
    response = run_action(client, "export_csv", [three["left"]])
    assert not response.streaming
    assert not DataExport.objects.exists()


def test_export_these_is_forbidden_to_a_nurse(role_client, three):
    assert role_client("Nurse").get(export_url()).status_code == 403
    assert not DataExport.objects.exists()


@pytest.mark.parametrize("role", ["Clinician", "Auditor"])
def test_changelist_offers_export_these_with_its_filters(role_client, three, role):
    page = role_client(role).get(reverse(CHANGELIST), {"side__exact": "right"}).content.decode()
    for key in ("csv", "csv-wide", "redcap", "fhir"):
        assert f'href="{export_url(key)}?side__exact=right"' in page


def test_export_these_exports_every_listed_injection_with_the_filter(role_client, three):
    response = role_client("Auditor").get(export_url(), {"side__exact": "right"})
    assert exported_ids(response) == sorted([three["right"].pk, three["found"].pk])
    (entry,) = DataExport.objects.all()
    assert (entry.injections, entry.selection) == (2, "changelist: side__exact=right")


def test_export_these_honours_the_search_and_the_result_filter(role_client, three):
    client = role_client("Clinician")
    by_search = client.get(export_url(), {"q": "MRN-FIND-ME"})
    assert exported_ids(by_search) == [three["found"].pk]
    positive = client.get(export_url(), {"result": "positive"})
    assert exported_ids(positive) == [three["left"].pk]
    assert [e.injections for e in DataExport.objects.order_by("pk")] == [1, 1]


def test_export_these_without_filters_exports_every_page(role_client, three, monkeypatch):
    monkeypatch.setattr(InjectionAdmin, "list_per_page", 2)
    client = role_client("Clinician")
    assert client.get(reverse(CHANGELIST)).context["cl"].result_count == 3
    response = client.get(export_url("csv"))
    assert len({row["injection_id"] for row in streamed_rows(response)}) == 3
    assert DataExport.objects.get().selection == "changelist: all injections"


def test_export_these_refuses_an_unknown_format(role_client, three):
    assert role_client("Clinician").get(export_url("xlsx")).status_code == 404
    assert not DataExport.objects.exists()


def test_export_selected_with_select_across_exports_the_whole_filtered_list(role_client, three):
    response = role_client("Clinician").post(
        reverse(CHANGELIST) + "?side__exact=right",
        {
            "action": "export_csv_wide",
            "select_across": "1",
            "_selected_action": [three["right"].pk],
        },
    )
    assert exported_ids(response) == sorted([three["right"].pk, three["found"].pk])
    entry = DataExport.objects.get()
    assert entry.injections == 2
    assert entry.selection == f"selected: ids {three['right'].pk}, {three['found'].pk}"


def test_export_these_runs_the_same_queries_for_3_and_30_injections(role_client, make_injection):
    client = role_client("Auditor")

    def queries_for(total):
        while Injection.objects.count() < total:
            make_injection([(-5, 8), (25, 1)])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(export_url("fhir"), {"side__exact": "left"})
            b"".join(response.streaming_content)
        return len(queries)

    queries_for(3)  # the first request also loads the session and the permissions
    assert queries_for(3) == queries_for(30)
    assert DataExport.objects.order_by("pk").last().injections == 30


def test_the_export_log_keeps_the_filters_but_not_a_searched_name(role_client, three):
    client = role_client("Clinician")
    response = client.get(export_url(), {"q": "Needleperson", "side__exact": "right"})
    assert exported_ids(response) == [three["found"].pk]
    entry = DataExport.objects.get()
    assert "Needleperson" not in entry.selection
    assert entry.selection == "changelist: side__exact=right; searched (the term is not logged)"


def test_the_export_log_keeps_only_the_lists_own_filters_and_values(role_client, three):
    client = role_client("Clinician")
    year = three["right"].performed_at.year
    query = {
        "side__exact": "right",
        "result": "Needleperson",  # a value the filter does not offer: exported unfiltered
        "performed_at__year": str(year),
        "o": "Needleperson",  # an ordering the list ignores
    }

    response = client.get(export_url(), query)

    assert response.status_code == 200
    entry = DataExport.objects.get()
    assert "Needleperson" not in entry.selection
    assert entry.selection == (
        f"changelist: side__exact=right&performed_at__year={year}; other parameters left out"
    )
