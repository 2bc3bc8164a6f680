"""FHIR R4 resources for the work-up and the coverage checklists (exports/fhir.py writes them).

- The work-up: one Observation per work-up (once per bundle), body site the SI joint with its
  side; usual pain with LOINC 72514-3, everything else as components coded in the local code
  system `urn:si-assessments:work-up` (the README lists its codes): no SNOMED CT or LOINC code
  exists for most of the items as recorded (e.g. "pain primarily over the SI joint region").
- Each checklist: an Observation part of the block's Procedure, coded
  `urn:si-assessments` "coverage-checklist", its status (met / unmet / incomplete) in
  `urn:si-assessments:coverage-status`, one component per item (code in
  `urn:si-assessments:coverage-item`, status in `urn:si-assessments:coverage-status`, the why as
  the value's text), the policy's source as the method; derivedFrom the work-up.
"""

from typing import Any

from .. import display
from ..models import WorkUp
from ..rules.coverage import MANOEUVRES, Checklist
from .rows import InjectionFacts

# A FHIR resource or element as JSON.
Resource = dict[str, Any]

LOCAL = "urn:si-assessments"
WORK_UP = f"{LOCAL}:work-up"
ITEM = f"{LOCAL}:coverage-item"
STATUS = f"{LOCAL}:coverage-status"
PROVOCATION = f"{LOCAL}:provocation-result"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def local_code(code: str, text: str, system: str = WORK_UP) -> Resource:
    return {"coding": [{"system": system, "code": code}], "text": text}


def components(work_up: WorkUp) -> list[Resource]:
    found: list[Resource] = []

    def boolean(code: str, text: str, value: bool | None) -> None:
        if value is not None:
            found.append({"code": local_code(code, text), "valueBoolean": value})

    boolean("pain-over-si-joint", "Pain primarily over the SI joint", work_up.pain_over_si_joint)
    if work_up.pain_onset is not None:
        found.append(
            {
                "code": local_code("pain-onset", "Pain began on"),
                "valueDateTime": work_up.pain_onset.isoformat(),
            }
        )
    if work_up.usual_pain is not None:
        found.append(
            {
                "code": {
                    "coding": [
                        {
                            "system": LOINC,
                            "code": "72514-3",
                            "display": "Pain severity - 0-10 verbal numeric rating [Score] - "
                            "Reported",
                        }
                    ],
                    "text": "Usual pain",
                },
                "valueInteger": work_up.usual_pain,
            }
        )
    for name in MANOEUVRES:
        result = getattr(work_up, name)
        if result:
            found.append(
                {
                    "code": local_code(f"provocation-{name.replace('_', '-')}", name),
                    "valueCodeableConcept": local_code(result, result, PROVOCATION),
                }
            )
    if work_up.conservative_weeks is not None:
        found.append(
            {
                "code": local_code(
                    "conservative-care", work_up.conservative_care or "Conservative care"
                ),
                "valueQuantity": {
                    "value": work_up.conservative_weeks,
                    "unit": "wk",
                    "system": UCUM,
                    "code": "wk",
                },
            }
        )
    boolean("active-rehab", "Active rehabilitation", work_up.active_rehab)
    boolean("imaging-reviewed", "Imaging reviewed", work_up.imaging_reviewed)
    boolean("other-causes-excluded", "Other causes excluded", work_up.other_causes_excluded)
    boolean("radiculopathy", "Radiculopathy", work_up.radiculopathy)
    return found


def work_up_resource(work_up: WorkUp, patient_url: str, body_site: Resource) -> Resource:
    resource: Resource = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "exam"}]}],
        "code": local_code("si-joint-work-up", "SI joint work-up before a block", LOCAL),
        "subject": {"reference": patient_url},
        "effectiveDateTime": work_up.examined_on.isoformat(),
        "bodySite": body_site,
    }
    found = components(work_up)
    if found:
        resource["component"] = found
    return resource


def checklist_resource(
    checklist: Checklist,
    facts: InjectionFacts,
    patient_url: str,
    procedure_url: str,
    work_up_url: str,
    status: str,
) -> Resource:
    resource: Resource = {
        "resourceType": "Observation",
        "status": status,
        "code": local_code("coverage-checklist", f"Coverage checklist {checklist.policy}", LOCAL),
        "subject": {"reference": patient_url},
        "partOf": [{"reference": procedure_url}],
        "effectiveDateTime": display.iso_local(facts.injection.performed_at),
        "valueCodeableConcept": local_code(checklist.status, checklist.status_words, STATUS),
        "method": {"text": f"{checklist.policy}: {checklist.source}"},
        "component": [
            {
                "code": {
                    "coding": [{"system": ITEM, "code": item.code, "display": item.label}],
                    "text": item.label,
                },
                "valueCodeableConcept": {
                    "coding": [{"system": STATUS, "code": item.status}],
                    "text": item.why,
                },
            }
            for item in checklist.items
        ],
    }
    if work_up_url:
        resource["derivedFrom"] = [{"reference": work_up_url}]
    return resource
