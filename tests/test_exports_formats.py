"""The four export formats: what each writes, read back the way its user reads it."""

import base64
import csv
import io
import json
import re
import zipfile
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle

from assessments import signing
from assessments.exports import redcap
from assessments.exports.service import export_chunks
from assessments.models import Injection

PARIS = ZoneInfo("Europe/Paris")


def export_bytes(key, injections=None, **options):
    return b"".join(export_chunks(key, injections or Injection.objects.all(), **options))


def csv_rows(key, injections=None):
    text = export_bytes(key, injections).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def redcap_files(injections=None):
    archive = zipfile.ZipFile(io.BytesIO(export_bytes("redcap", injections)))
    dictionary = archive.read(redcap.DICTIONARY_NAME).decode()
    records = archive.read(redcap.RECORDS_NAME).decode()
    return list(csv.reader(io.StringIO(dictionary))), list(csv.DictReader(io.StringIO(records)))


def bundle_of(injections=None, **options):
    return json.loads(export_bytes("fhir", injections, **options))


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def block_result(observation):
    """The block's result (the coverage checklists are coded concepts too)."""
    return observation["code"]["coding"][0]["code"] == "block-result"


@pytest.fixture(autouse=True)
def clinic_in_paris(settings):
    # A zone with an offset, so a UTC time written as local would be caught.
    settings.TIME_ZONE = "Europe/Paris"


def test_csv_long_writes_one_row_per_reading_in_local_time_with_its_offset(make_injection):
    injection = make_injection([(-5, 8), (25, 1), (45, 3)])
    rows = csv_rows("csv")
    assert [row["minutes_after_injection"] for row in rows] == ["-5", "25", "45"]
    assert [row["decisive"] for row in rows] == ["no", "yes", "no"]
    assert [row["in_window"] for row in rows] == ["no", "yes", "no"]
    assert [row["phase"] for row in rows][0] == "Baseline"
    readings = list(injection.readings.order_by("recorded_at"))
    for row, reading in zip(rows, readings, strict=True):
        written = datetime.fromisoformat(row["recorded_at"])
        assert written == reading.recorded_at.replace(microsecond=0)
        assert written.utcoffset() == PARIS.utcoffset(written.replace(tzinfo=None))
        assert (row["score"], row["context"], row["source"]) == (
            str(reading.score),
            "provoked",
            "staff",
        )
        assert row["mrn"] == injection.patient.mrn


def test_csv_long_marks_readings_in_another_context_as_not_counted(make_injection):
    make_injection([(-5, 8, "provoked"), (22, 1, "rest"), (25, 2, "provoked")])
    rows = csv_rows("csv")
    assert [(r["in_window"], r["counted"], r["decisive"]) for r in rows] == [
        ("no", "no", "no"),
        ("yes", "no", "no"),
        ("yes", "yes", "yes"),
    ]


def test_csv_wide_writes_the_rules_result_one_row_per_injection(make_injection):
    positive = make_injection([(-5, 8), (25, 1)])
    at_threshold = make_injection([(-5, 8), (25, 2)])
    rows = {int(row["injection_id"]): row for row in csv_rows("csv-wide")}
    assert rows[positive.pk]["percent_reduction"] == "87.5"
    assert rows[positive.pk]["result"] == "positive"
    assert rows[positive.pk]["baseline_score"] == "8"
    assert rows[positive.pk]["decisive_score"] == "1"
    assert rows[positive.pk]["decisive_minutes_after_injection"] == "25"
    assert rows[positive.pk]["signed"] == "no"
    # The leaflet's "more than 75 %": exactly 75 % is not positive, and is called out.
    assert rows[at_threshold.pk]["percent_reduction"] == "75.0"
    assert rows[at_threshold.pk]["result"] == "indeterminate"
    assert rows[at_threshold.pk]["at_threshold"] == "yes"


def test_csv_wide_reports_the_signed_override_as_the_result(make_injection, clinician):
    injection = make_injection([(-5, 8), (25, 1)])
    signing.sign_off(injection.pk, clinician, outcome="indeterminate", reason="Sedated.")
    (row,) = csv_rows("csv-wide")
    assert (row["result"], row["computed_outcome"]) == ("indeterminate", "positive")
    assert (row["signed"], row["override"], row["signed_outcome"]) == (
        "yes",
        "yes",
        "indeterminate",
    )
    assert row["override_reason"] == "Sedated."
    assert row["signed_by"] == clinician.get_username()
    assert datetime.fromisoformat(row["signed_at"]).utcoffset() is not None


def test_csv_wide_writes_diary_confounders_and_relief(make_injection):
    make_injection(
        [(-5, 8), (25, 1), (60, 1), (120, 1), (180, 6)],
        sedation="moderate",
        anaesthetic_agent="bupivacaine",
    )
    (row,) = csv_rows("csv-wide")
    assert row["confounders"] == "moderate sedation"
    assert row["relief_status"] == "assessed"
    assert (row["relief_last_meeting_minutes"], row["relief_first_failing_minutes"]) == (
        "120",
        "180",
    )
    assert int(row["diary_hour_slots"]) > 0
    assert 0 < int(row["diary_hour_slots_filled"]) <= int(row["diary_hour_slots"])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_starting_like_a_formula_are_quoted(make_injection, make_patient, start):
    make_injection(
        [(-5, 8), (25, 1)],
        patient=make_patient(mrn=f"{start}MRN1"),
        notes=f'{start}HYPERLINK("http://x")',
    )
    (wide,) = csv_rows("csv-wide")
    assert wide["notes"] == f'\'{start}HYPERLINK("http://x")'
    assert wide["mrn"] == f"'{start}MRN1"
    long_rows = csv_rows("csv")
    assert {row["mrn"] for row in long_rows} == {f"'{start}MRN1"}
    # Numbers stay numbers: the baseline's negative minutes are not quoted.
    assert long_rows[0]["minutes_after_injection"] == "-5"


def cells_as_split_by(text, separator):
    """Every cell a spreadsheet splitting on `separator` would see (quotes honoured)."""
    return [cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_no_cell_starts_a_formula_however_the_spreadsheet_splits(make_injection, start):
    # European Excel splits on ";", a quote it misreads can make it split on either.
    make_injection([(-5, 8), (25, 1)], notes=f"x;{start}1+1 y,{start}SUM(A1)\n{start}cmd")
    text = export_bytes("csv-wide").decode("utf-8-sig")

    for separator in (";", ","):
        cells = cells_as_split_by(text, separator)
        assert not [cell for cell in cells if cell.startswith(start)], separator
    (row,) = csv_rows("csv-wide")
    assert row["notes"] == f"x;'{start}1+1 y,'{start}SUM(A1)\n'{start}cmd"


def test_csv_leaves_ordinary_text_alone(make_injection):
    make_injection([(-5, 8), (25, 1)], notes="Tolerated well; 2 attempts")
    (row,) = csv_rows("csv-wide")
    assert row["notes"] == "Tolerated well; 2 attempts"


def test_redcap_dictionary_has_the_18_redcap_columns_and_every_records_column(make_injection):
    make_injection([(-5, 8), (25, 1)])
    dictionary, records = redcap_files()
    header, *fields = dictionary
    assert header == [
        "Variable / Field Name",
        "Form Name",
        "Section Header",
        "Field Type",
        "Field Label",
        "Choices, Calculations, OR Slider Labels",
        "Field Note",
        "Text Validation Type OR Show Slider Number",
        "Text Validation Min",
        "Text Validation Max",
        "Identifier?",
        "Branching Logic (Show field only if...)",
        "Required Field?",
        "Custom Alignment",
        "Question Number (surveys only)",
        "Matrix Group Name",
        "Matrix Ranking?",
        "Field Annotation",
    ]
    assert all(len(field) == 18 for field in fields)
    names = [field[0] for field in fields]
    assert names[0] == "record_id"
    columns = list(records[0])
    assert columns[:3] == ["record_id", "redcap_repeat_instrument", "redcap_repeat_instance"]
    assert set(columns) - set(names) == {"redcap_repeat_instrument", "redcap_repeat_instance"}
    # REDCap's rule for variable names (and its advice: at most 26 characters).
    assert all(re.fullmatch(r"[a-z][a-z0-9_]{0,25}", name) for name in names)
    assert len(set(names)) == len(names)
    by_name = {field[0]: field for field in fields}
    assert by_name["mrn"][10] == "y"
    assert by_name["side"][5] == "1, Left | 2, Right"
    assert by_name["performed_at"][7] == "datetime_ymd"
    assert "Europe/Paris" in by_name["performed_at"][6]


def test_redcap_records_are_one_record_per_injection_with_readings_in_time_order(
    make_injection,
):
    # Saved out of time order: the instances still follow the clock.
    injection = make_injection([(45, 3), (-5, 8), (25, 1)], side="right")
    _, records = redcap_files()
    main, *readings = records
    assert (main["record_id"], main["redcap_repeat_instrument"]) == (str(injection.pk), "")
    assert main["side"] == "2"
    assert main["result"] == "1"  # positive, the first outcome
    assert main["signed"] == "0"
    local = injection.performed_at.astimezone(PARIS)
    assert main["performed_at"] == local.strftime("%Y-%m-%d %H:%M")
    assert [r["redcap_repeat_instrument"] for r in readings] == ["pain_reading"] * 3
    assert [r["redcap_repeat_instance"] for r in readings] == ["1", "2", "3"]
    assert [r["reading_minutes"] for r in readings] == ["-5", "25", "45"]
    assert [r["reading_decisive"] for r in readings] == ["0", "1", "0"]
    assert all(r["record_id"] == str(injection.pk) for r in readings)
    assert all(r["side"] == "" for r in readings)


def test_redcap_choice_codes_decode_to_the_stored_values(make_injection):
    make_injection([(-5, 8), (25, 1)], guidance="ct", sedation="minimal")
    dictionary, (main, *_) = redcap_files()
    choices = {field[0]: field[5] for field in dictionary[1:]}

    def decode(name):
        pairs = dict(part.split(", ", 1) for part in choices[name].split(" | "))
        return pairs[main[name]]

    assert (decode("guidance"), decode("sedation")) == ("CT", "Minimal")
    assert decode("result").startswith("Positive")


def references(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference":
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def test_fhir_bundle_validates_as_r4_and_every_reference_resolves(make_injection, make_patient):
    patient = make_patient()
    make_injection([(-5, 8), (25, 1), (45, 2)], patient=patient, side="left")
    make_injection([(-5, 6), (25, 6)], patient=patient, side="right")
    bundle = bundle_of()
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    # The validation has teeth: an element R4 does not know is refused.
    broken = json.loads(json.dumps(bundle))
    broken["entry"][1]["resource"]["focus"] = [{"reference": broken["entry"][0]["fullUrl"]}]
    with pytest.raises(ValueError):
        Bundle.model_validate(broken)
    urls = [item["fullUrl"] for item in bundle["entry"]]
    assert len(urls) == len(set(urls))
    assert all(url.startswith("urn:uuid:") for url in urls)
    found = list(references(bundle))
    assert found and set(found) <= set(urls)
    assert len(resources(bundle, "Patient")) == 1
    procedures = resources(bundle, "Procedure")
    assert [p["code"]["coding"][0]["code"] for p in procedures] == ["27096", "27096"]
    sites = [p["bodySite"][0] for p in procedures]
    assert {s["coding"][0]["code"] for s in sites} == {"39723000"}
    assert [s["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] for s in sites] == [
        "7771000",
        "24028007",
    ]
    assert all(
        re.search(r"T\d\d:\d\d:\d\d[+-]\d\d:\d\d$", p["performedDateTime"]) for p in procedures
    )


def test_fhir_writes_one_observation_per_reading_and_the_derived_ones(make_injection):
    injection = make_injection([(-5, 8), (25, 1), (45, 2)])
    bundle = bundle_of()
    observations = resources(bundle, "Observation")
    readings = [
        o for o in observations if o["code"].get("coding", [{}])[0].get("code") == "72514-3"
    ]
    assert [o["valueInteger"] for o in readings] == [8, 1, 2]
    assert all(o["partOf"][0]["reference"].startswith("urn:uuid:") for o in readings)
    (reduction,) = [o for o in observations if "valueQuantity" in o]
    assert reduction["valueQuantity"] == {
        "value": 87.5,
        "unit": "%",
        "system": "http://unitsofmeasure.org",
        "code": "%",
    }
    (result,) = [o for o in observations if block_result(o)]
    assert result["valueCodeableConcept"]["coding"][0]["code"] == "positive"
    urls = {e["resource"].get("valueInteger"): e["fullUrl"] for e in bundle["entry"]}
    derived_from = {ref["reference"] for ref in reduction["derivedFrom"]}
    # The baseline and the readings the rule counted; not the 45-minute one.
    assert derived_from == {urls[8], urls[1]}
    (report,) = resources(bundle, "DiagnosticReport")
    assert report["status"] == "preliminary"
    assert "presentedForm" not in report
    # The window closed a day ago, but no clinician has signed: nothing is final yet.
    assert {reduction["status"], result["status"]} == {"preliminary"}
    (patient,) = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert report["subject"]["reference"] == patient["fullUrl"]
    assert patient["resource"]["identifier"][0]["value"] == injection.patient.mrn


def test_fhir_signed_report_is_final_and_names_no_patient_unless_asked_for_the_pdf(signed):
    exported = export_bytes("fhir").decode()
    bundle = json.loads(exported)
    Bundle.model_validate(bundle)
    (report,) = resources(bundle, "DiagnosticReport")
    assert report["status"] == "final" and "presentedForm" not in report
    patient = signed.patient
    for identifying in (patient.family_name, patient.given_name, "1970", "JVBERi0"):  # %PDF-
        assert identifying.lower() not in exported.lower()


def test_fhir_signed_report_carries_the_signed_pdf_when_asked(signed):
    bundle = bundle_of(with_reports=True)
    Bundle.model_validate(bundle)
    (report,) = resources(bundle, "DiagnosticReport")
    assert report["status"] == "final"
    (form,) = report["presentedForm"]
    assert form["contentType"] == "application/pdf"
    archived = signed.signoffs.get().archived_report
    assert base64.b64decode(form["data"]) == archived.file.open("rb").read()
    (result,) = [o for o in resources(bundle, "Observation") if block_result(o)]
    assert result["status"] == "final"


def test_fhir_leaves_out_a_signed_pdf_that_fails_its_check_and_goes_on(signed):
    archived = signed.signoffs.get().archived_report
    with open(archived.file.path, "ab") as pdf:
        pdf.write(b"tampered")
    bundle = bundle_of(with_reports=True)
    Bundle.model_validate(bundle)
    (report,) = resources(bundle, "DiagnosticReport")
    assert report["status"] == "final" and "presentedForm" not in report


def test_fhir_signed_override_is_the_result(make_injection, clinician):
    injection = make_injection([(-5, 8), (25, 1)])
    signing.sign_off(injection.pk, clinician, outcome="negative", reason="Wrong level.")
    bundle = bundle_of()
    (result,) = [o for o in resources(bundle, "Observation") if block_result(o)]
    assert result["valueCodeableConcept"]["coding"][0]["code"] == "negative"
    assert "overrides the computed Positive" in result["valueCodeableConcept"]["text"]


def test_doses_and_volumes_are_plain_numbers(make_injection):
    make_injection(
        [(-5, 8), (25, 1)],
        steroid_agent="triamcinolone",
        steroid_dose_mg=Decimal("40"),
        anaesthetic_volume_ml=Decimal("10.0"),
    )
    (row,) = csv_rows("csv-wide")
    assert (row["steroid_dose_mg"], row["anaesthetic_volume_ml"]) == ("40", "10")
    _, (record, *_) = redcap_files()
    assert "40" in record.values() and "4E+1" not in record.values()


def test_an_open_window_exports_as_pending(make_injection):
    make_injection([(-5, 8)], minutes_ago=5)
    (row,) = csv_rows("csv-wide")
    assert row["result"] == "pending"
    bundle = bundle_of()
    (result,) = [o for o in resources(bundle, "Observation") if block_result(o)]
    assert result["status"] == "preliminary"


@pytest.mark.parametrize("key", ["csv", "csv-wide", "redcap", "fhir"])
def test_an_export_runs_the_same_queries_for_3_and_30_injections(make_injection, clinician, key):
    def queries_for(count):
        for _ in range(count):
            make_injection([(-5, 8), (25, 1), (24 * 60 + 30, 4)])
        signed = Injection.objects.order_by("pk").first()
        if signed.locked_at is None:
            signing.sign_off(signed.pk, clinician)
        with CaptureQueriesContext(connection) as queries:
            export_bytes(key)
        return len(queries)

    few = queries_for(3)
    many = queries_for(27)  # 30 in all
    assert Injection.objects.count() == 30
    assert many == few
    # The selection, then for_record()'s five (injections, readings, withdrawn readings,
    # sign-offs, amendments) for the chunk, and its coverage: work-ups, blocks, readings.
    assert few <= 9, few


def test_an_empty_selection_gives_valid_empty_files(db):
    assert csv_rows("csv") == []
    bundle = bundle_of()
    Bundle.model_validate(bundle)
    assert "entry" not in bundle  # FHIR allows no empty array
    dictionary, records = redcap_files()
    assert records == [] and len(dictionary) > 1
