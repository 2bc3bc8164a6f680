"""The work-up and the coverage checklists in the CSV, REDCap and FHIR exports."""

import json
from datetime import timedelta

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from assessments.models import Injection, WorkUp
from tests.test_exports_formats import bundle_of, csv_rows, redcap_files, resources

BLOCK = [(-5, 8), (25, 1), (60, 1), (100, 1), (150, 6)]


def with_work_up(make_injection):
    injection = make_injection(BLOCK, contrast="yes")
    WorkUp.objects.create(
        patient=injection.patient,
        side="left",
        examined_on=timezone.localdate() - timedelta(days=10),
        pain_over_si_joint=True,
        pain_onset=timezone.localdate() - timedelta(days=300),
        usual_pain=7,
        distraction="positive",
        thigh_thrust="positive",
        compression="positive",
        sacral_thrust="not_done",
        conservative_care="physiotherapy",
        conservative_weeks=6,
        other_causes_excluded=True,
        radiculopathy=False,
    )
    return injection


def test_the_wide_csv_carries_the_work_up_and_the_checklist(make_injection):
    with_work_up(make_injection)
    bare = make_injection(BLOCK)
    rows = {int(row["injection_id"]): row for row in csv_rows("csv-wide")}
    row = rows[Injection.objects.exclude(pk=bare.pk).get().pk]
    assert row["purpose"] == "diagnostic"
    assert row["provocation_distraction"] == "positive"
    assert row["provocation_faber"] == ""
    assert row["pain_over_si_joint"] == "yes"
    assert row["radiculopathy"] == "no"
    assert row["conservative_weeks"] == "6"
    assert row["coverage_status"] == "met"
    assert row["coverage_checklists"] == "CMS-L39402@1=met"
    assert rows[bare.pk]["coverage_status"] == "incomplete"
    assert "CMS-L39402@1:provocation" in rows[bare.pk]["coverage_unknown"]
    assert rows[bare.pk]["work_up_date"] == ""


def test_redcap_codes_the_work_up_as_its_dictionary_says(make_injection):
    with_work_up(make_injection)
    dictionary, records = redcap_files()
    by_name = {row[0]: row for row in dictionary}
    assert by_name["provocation_distraction"][5] == "1, Positive | 2, Negative | 3, Not done"
    assert by_name["coverage_status"][3] == "radio"
    (record,) = [r for r in records if not r["redcap_repeat_instrument"]]
    assert record["provocation_distraction"] == "1"
    assert record["provocation_sacral_thrust"] == "3"
    assert record["coverage_status"] == "1"  # met
    assert record["pain_over_si_joint"] == "1"


def test_fhir_carries_the_work_up_once_and_a_checklist_per_policy_and_validates(
    make_injection, settings
):
    settings.SI_COVERAGE_POLICIES = ["CMS-L39402@1", "EVICORE-CMM-203@1"]
    first = with_work_up(make_injection)
    make_injection(BLOCK, patient=first.patient, minutes_ago=60)
    bundle = bundle_of()
    Bundle.model_validate(bundle)
    observations = resources(bundle, "Observation")
    work_ups = [o for o in observations if o["code"]["coding"][0]["code"] == "si-joint-work-up"]
    assert len(work_ups) == 1
    codes = {c["code"]["coding"][0]["code"] for c in work_ups[0]["component"]}
    assert {"72514-3", "provocation-distraction", "conservative-care"} <= codes
    checklists = [o for o in observations if o["code"]["coding"][0]["code"] == "coverage-checklist"]
    assert len(checklists) == 4
    medicare = next(c for c in checklists if "CMS-L39402@1" in c["method"]["text"])
    assert medicare["valueCodeableConcept"]["coding"][0]["code"] in ("met", "incomplete")
    assert medicare["derivedFrom"] == [
        {"reference": next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is work_ups[0])}
    ]
    assert "provocation" in json.dumps(medicare["component"])
