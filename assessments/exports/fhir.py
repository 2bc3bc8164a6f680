"""FHIR R4: a Bundle of type collection, written entry by entry.

Per injection: the Patient (once per bundle: the MRN, nothing the record does not hold), a
Procedure (CPT 27096, the SI joint with its side), an Observation per reading (LOINC
72514-3, part of the Procedure), a derived Observation for the percent reduction and one for
the block's result (each derivedFrom the readings the rule used), the work-up and the coverage
checklists (fhir_coverage.py), and a DiagnosticReport
(final once signed, preliminary before). The signed PDF names the patient (name, date of
birth), so it goes into the DiagnosticReport only when asked for (with_reports). Every
reference is a urn:uuid fullUrl inside the bundle; the UUIDs are derived from the record ids,
so exporting the same records twice gives the same UUIDs.
"""

import base64
import json
import logging
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from .. import display, rules
from ..models import Patient
from ..signing import ArchiveMismatch, verified_archive
from .fhir_coverage import checklist_resource, work_up_resource
from .rows import InjectionFacts, ReadingFacts

# A FHIR resource (or a part of one) as the JSON it is written as.
Resource = dict[str, Any]

log = logging.getLogger(__name__)

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://si-assessments.invalid/fhir")
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
CPT = "http://www.ama-assn.org/go/cpt"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
# mCODE's laterality qualifier on a bodySite CodeableConcept: R4 has no laterality element.
LATERALITY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier"
LOCAL = "urn:si-assessments"
LATERALITY_CODES = {"left": ("7771000", "Left"), "right": ("24028007", "Right")}


def urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(map(str, parts)))}"


def ref(full_url: str) -> Resource:
    return {"reference": full_url}


def entry(full_url: str, resource: Resource) -> Resource:
    return {"fullUrl": full_url, "resource": resource}


def patient_resource(patient: Patient) -> Resource:
    return {
        "resourceType": "Patient",
        "identifier": [
            {
                "use": "usual",
                "type": {"coding": [{"system": IDENTIFIER_TYPE, "code": "MR"}], "text": "MRN"},
                "value": patient.mrn,
            }
        ],
    }


def procedure_resource(facts: InjectionFacts, patient_url: str, report_url: str) -> Resource:
    injection = facts.injection
    code, side = LATERALITY_CODES[injection.side]
    resource = {
        "resourceType": "Procedure",
        "status": "completed",
        "code": {
            "coding": [
                {
                    "system": CPT,
                    "code": "27096",
                    "display": "Injection procedure for sacroiliac joint, anesthetic/steroid, "
                    "with image guidance",
                }
            ],
            "text": f"{injection.get_purpose_display()} sacroiliac joint injection",
        },
        "subject": ref(patient_url),
        "performedDateTime": display.iso_local(injection.performed_at),
        "performer": [{"actor": {"display": display.person(injection.proceduralist)}}],
        "bodySite": [
            {
                "extension": [
                    {
                        "url": LATERALITY,
                        "valueCodeableConcept": {
                            "coding": [{"system": SNOMED, "code": code, "display": side}]
                        },
                    }
                ],
                "coding": [
                    {"system": SNOMED, "code": "39723000", "display": "Sacroiliac joint structure"}
                ],
                "text": f"{side} sacroiliac joint",
            }
        ],
        "report": [ref(report_url)],
    }
    if injection.notes:
        resource["note"] = [{"text": injection.notes}]
    return resource


def reading_resource(row: ReadingFacts, patient_url: str, procedure_url: str) -> Resource:
    reading = row.reading
    resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey"}]}],
        "code": {
            "coding": [
                {
                    "system": LOINC,
                    "code": "72514-3",
                    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
                }
            ]
        },
        "subject": ref(patient_url),
        "partOf": [ref(procedure_url)],
        "effectiveDateTime": display.iso_local(reading.recorded_at),
        "valueInteger": reading.score,
        "component": [
            {
                "code": {"coding": [{"system": LOCAL, "code": "context"}], "text": "Context"},
                "valueCodeableConcept": {
                    "coding": [{"system": f"{LOCAL}:context", "code": reading.context}],
                    "text": reading.get_context_display(),
                },
            }
        ],
    }
    if reading.source != "staff":
        resource["performer"] = [ref(patient_url)]
    if reading.note:
        resource["note"] = [{"text": reading.note}]
    return resource


def status_of(facts: InjectionFacts) -> str:
    """Final once a clinician has signed the interpretation; until then the rule's result is
    preliminary, as the DiagnosticReport is, even after the window has closed."""
    return "final" if facts.result.signed else "preliminary"


def reduction_resource(
    facts: InjectionFacts, patient_url: str, procedure_url: str, used_urls: list[str]
) -> Resource:
    """The percent reduction as an Observation; only for a result that has one."""
    percent = facts.result.percent_reduction
    if percent is None:
        raise ValueError("A result without a percent reduction has no reduction Observation.")
    decisive = facts.decisive
    return {
        "resourceType": "Observation",
        "status": status_of(facts),
        "code": {
            "coding": [{"system": LOCAL, "code": "percent-reduction"}],
            "text": "Pain reduction after the diagnostic SI joint block",
        },
        "subject": ref(patient_url),
        "partOf": [ref(procedure_url)],
        "effectiveDateTime": display.iso_local(decisive.reading.recorded_at)
        if decisive
        else display.iso_local(facts.injection.performed_at),
        "valueQuantity": {
            "value": float(rules.round_percent(percent)),
            "unit": "%",
            "system": UCUM,
            "code": "%",
        },
        "derivedFrom": [ref(url) for url in used_urls],
    }


def result_resource(
    facts: InjectionFacts, patient_url: str, procedure_url: str, derived_urls: list[str]
) -> Resource:
    result = facts.result
    resource = {
        "resourceType": "Observation",
        "status": status_of(facts),
        "code": {
            "coding": [{"system": LOCAL, "code": "block-result"}],
            "text": "Diagnostic SI joint block result",
        },
        "subject": ref(patient_url),
        "partOf": [ref(procedure_url)],
        "effectiveDateTime": display.iso_local(facts.injection.performed_at),
        "valueCodeableConcept": {
            "coding": [
                {
                    "system": f"{LOCAL}:outcome",
                    "code": result.outcome.value,
                    "display": display.outcome_label(result.outcome),
                }
            ],
            "text": display.result_words(result),
        },
        "method": {"text": f"{facts.profile}: {facts.evaluation.rule_text}"},
    }
    if derived_urls:
        resource["derivedFrom"] = [ref(url) for url in derived_urls]
    return resource


def report_resource(
    facts: InjectionFacts, patient_url: str, result_urls: list[str], *, with_reports: bool = False
) -> Resource:
    signoff = facts.signoff
    resource = {
        "resourceType": "DiagnosticReport",
        "status": "final" if signoff else "preliminary",
        "code": {"text": "Diagnostic sacroiliac joint block"},
        "subject": ref(patient_url),
        "effectiveDateTime": display.iso_local(facts.injection.performed_at),
        "result": [ref(url) for url in result_urls],
        "conclusion": display.result_words(facts.result),
    }
    if signoff is None:
        return resource
    resource["issued"] = display.iso_local(signoff.signed_at)
    resource["resultsInterpreter"] = [{"display": display.person(signoff.signed_by)}]
    archived = facts.signed_report
    if with_reports and archived is not None:
        try:
            pdf = verified_archive(archived)
        except ArchiveMismatch as problem:
            # Left out rather than sent unchecked, and the export goes on.
            log.warning(
                "FHIR export: signed PDF of injection %s left out: %s", archived.pk, problem
            )
            return resource
        data = base64.b64encode(pdf).decode()
        resource["presentedForm"] = [
            {
                "contentType": "application/pdf",
                "data": data,
                "title": f"Signed report, injection {facts.injection.pk}, "
                f"version {signoff.version}",
                "creation": display.iso_local(signoff.signed_at),
            }
        ]
    return resource


def injection_entries(
    facts: InjectionFacts, seen_patients: set[int | str], *, with_reports: bool = False
) -> Iterator[Resource]:
    injection, patient = facts.injection, facts.patient
    patient_url = urn("patient", patient.pk)
    if patient.pk not in seen_patients:
        seen_patients.add(patient.pk)
        yield entry(patient_url, patient_resource(patient))
    procedure_url = urn("injection", injection.pk)
    report_url = urn("injection", injection.pk, "report")
    yield entry(procedure_url, procedure_resource(facts, patient_url, report_url))
    reading_urls: dict[int, str] = {}
    for row in facts.readings:
        reading_urls[row.number] = urn("reading", row.reading.pk)
        yield entry(reading_urls[row.number], reading_resource(row, patient_url, procedure_url))
    baseline = facts.baseline
    used = ([baseline] if baseline else []) + [row for row in facts.readings if row.counted]
    used_urls = [reading_urls[row.number] for row in used]
    derived: list[str] = []
    if facts.result.percent_reduction is not None:
        reduction_url = urn("injection", injection.pk, "reduction")
        yield entry(reduction_url, reduction_resource(facts, patient_url, procedure_url, used_urls))
        derived.append(reduction_url)
    result_url = urn("injection", injection.pk, "result")
    yield entry(result_url, result_resource(facts, patient_url, procedure_url, derived + used_urls))
    yield from coverage_entries(facts, seen_patients, patient_url, procedure_url)
    yield entry(
        report_url,
        report_resource(facts, patient_url, [*derived, result_url], with_reports=with_reports),
    )


def coverage_entries(
    facts: InjectionFacts, seen: set[int | str], patient_url: str, procedure_url: str
) -> Iterator[Resource]:
    """The work-up (once per bundle) and one Observation per coverage checklist."""
    coverage = facts.coverage
    if coverage is None:
        return
    work_up_url = ""
    if coverage.work_up is not None:
        work_up = coverage.work_up
        work_up_url = urn("work-up", work_up.pk)
        if work_up_url not in seen:
            seen.add(work_up_url)
            code, side = LATERALITY_CODES[work_up.side]
            body_site = {
                "coding": [
                    {"system": SNOMED, "code": "39723000", "display": "Sacroiliac joint structure"}
                ],
                "text": f"{side} sacroiliac joint",
            }
            yield entry(work_up_url, work_up_resource(work_up, patient_url, body_site))
    for checklist in coverage.checklists:
        url = urn("injection", facts.injection.pk, "coverage", checklist.policy)
        resource = checklist_resource(
            checklist, facts, patient_url, procedure_url, work_up_url, status_of(facts)
        )
        yield entry(url, resource)


def dumps(value: Resource) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def chunks(all_facts: Iterable[InjectionFacts], *, with_reports: bool = False) -> Iterator[bytes]:
    """The bundle's JSON bytes, one injection's entries at a time. FHIR allows no empty
    array, so an empty selection is a bundle without "entry". with_reports: each signed
    DiagnosticReport carries its archived PDF (which names the patient)."""
    opening = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": display.iso_local(timezone.now()),
    }
    yield dumps(opening)[:-1].encode()
    seen_patients: set[int | str] = set()  # patient pks and work-up URLs
    separator = ',"entry":['
    for facts in all_facts:
        parts = []
        for item in injection_entries(facts, seen_patients, with_reports=with_reports):
            parts.append(separator + dumps(item))
            separator = ","
        yield "".join(parts).encode()
    yield b"}" if separator != "," else b"]}"
