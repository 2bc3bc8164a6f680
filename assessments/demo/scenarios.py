"""Demo patients: injections that between them show every result of the rule (2.1).

Each scenario says in its comment what it shows. Minutes are relative to the injection;
negative ones are baselines. `seed` writes them through the services, like staff would.
"""

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import services, signing
from ..models import DiaryLink, Injection, PainReading, Patient, WorkUp

DAY = 24 * 60


@dataclass(frozen=True)
class Scenario:
    mrn: str
    family: str
    given: str
    born: date
    sex: str
    side: str
    ago: int  # minutes since the injection when seeded
    readings: list  # (minutes, score, context)
    extra: dict = field(default_factory=dict)  # other injection fields
    sign: str = ""  # "confirm", or an outcome to sign as an override
    contact: dict = field(default_factory=dict)  # email, mobile, preferred language
    # The work-up (WorkUp fields), examined a week before the block.
    work_up: dict = field(default_factory=dict)
    # An earlier diagnostic block this one confirms: (days before, readings, injection fields).
    earlier: tuple = ()


P, R = "provoked", "rest"
# A work-up with everything Medicare LCD L39402 asks for.
COMPLETE_WORK_UP = {
    "pain_over_si_joint": True,
    "pain_onset": 300,  # days before the examination
    "usual_pain": 7,
    "distraction": "positive",
    "thigh_thrust": "positive",
    "compression": "positive",
    "sacral_thrust": "negative",
    "gaenslen": "positive",
    "faber": "not_done",
    "conservative_care": "Physiotherapy and NSAIDs",
    "conservative_weeks": 8,
    "active_rehab": True,
    "imaging_reviewed": True,
    "other_causes_excluded": True,
    "radiculopathy": False,
}
SCENARIOS = [
    # Positive, with an hourly diary: relief began 21 min after the injection and ended between 3 h and 4 h, about as
    # long as bupivacaine lasts. It confirms a lidocaine block two weeks earlier (relief 1–2 h): confirmed by
    # comparative blocks, and with its work-up the Medicare checklist is met.
    Scenario(
        "DEMO-001",
        "Okafor",
        "Adaeze",
        date(1968, 3, 14),
        "female",
        "left",
        3 * DAY,
        [(-15, 8, P), (21, 1, P), (25, 1, P), (60, 1, P), (120, 1, P), (180, 1, P), (240, 6, P)],
        extra={"anaesthetic_agent": "bupivacaine", "anaesthetic_concentration": Decimal("0.5")},
        work_up=COMPLETE_WORK_UP,
        earlier=(14, [(-10, 8, P), (25, 1, P), (60, 1, P), (100, 1, P), (150, 6, P)], {}),
    ),
    # Exactly 75 %: not "more than 75 %" (indeterminate), but meets the Medicare profile.
    Scenario(
        "DEMO-002",
        "Lindqvist",
        "Erik",
        date(1955, 11, 2),
        "male",
        "right",
        2 * DAY,
        [(-10, 8, P), (25, 2, P)],
    ),
    # Exactly 75 % at baseline 4; the rest reading in the window is listed, not counted. Its work-up has one
    # positive provocation manoeuvre of five done and two weeks of conservative care: the Medicare checklist is unmet.
    Scenario(
        "DEMO-003",
        "Ångström-Nuñez",
        "Zoë",
        date(1979, 6, 30),
        "female",
        "left",
        5 * DAY,
        [(-20, 4, P), (22, 1, P), (28, 2, R)],
        work_up={
            **COMPLETE_WORK_UP,
            "distraction": "negative",
            "thigh_thrust": "negative",
            "compression": "negative",
            "conservative_weeks": 2,
        },
    ),
    # 42.9 %: below the 50 % band, negative (rule 1.0 called it indeterminate).
    Scenario(
        "DEMO-004",
        "李",
        "小龍",
        date(1983, 1, 9),
        "male",
        "right",
        4 * DAY,
        [(-10, 7, P), (25, 4, P)],
    ),
    # No change: negative, intra-articular SI joint pain unlikely.
    Scenario(
        "DEMO-005",
        "Moreau",
        "Camille",
        date(1990, 8, 21),
        "female",
        "right",
        6 * DAY,
        [(-5, 6, R), (25, 6, R)],
    ),
    # Pain up: negative.
    Scenario(
        "DEMO-006",
        "Patel",
        "Ravi",
        date(1962, 4, 3),
        "male",
        "left",
        7 * DAY,
        [(-5, 5, P), (24, 7, P)],
    ),
    # No baseline: non-diagnostic.
    Scenario(
        "DEMO-007",
        "Nowak",
        "Agnieszka",
        date(1971, 12, 12),
        "female",
        "left",
        8 * DAY,
        [(25, 3, R)],
    ),
    # Baseline 0: non-diagnostic.
    Scenario(
        "DEMO-008",
        "Silva",
        "João",
        date(1988, 2, 28),
        "male",
        "right",
        9 * DAY,
        [(-10, 0, R), (25, 0, R)],
    ),
    # No reading in the window: non-diagnostic.
    Scenario(
        "DEMO-009",
        "O'Brien",
        "Siobhan",
        date(1959, 9, 17),
        "female",
        "right",
        10 * DAY,
        [(-10, 7, P), (35, 1, P), (60, 1, R)],
    ),
    # Injected 10 minutes ago: pending, waiting for the window.
    Scenario("DEMO-010", "Kowalczyk", "Marek", date(1975, 5, 5), "male", "left", 10, [(-8, 7, P)]),
    # Sustained: 3/10 at 20 min and 0/10 at 30 min; the 3 decides (66.7 %, indeterminate:
    # relief not sustained). Signed as an override.
    Scenario(
        "DEMO-011",
        "Haddad",
        "Layla",
        date(1993, 7, 7),
        "female",
        "left",
        11 * DAY,
        [(-10, 9, P), (20, 3, P), (30, 0, P)],
        sign="positive",
    ),
    # 19.9 and 30.1 minutes are outside the window: non-diagnostic.
    Scenario(
        "DEMO-012",
        "Schmidt",
        "Jonas",
        date(1966, 10, 10),
        "male",
        "right",
        12 * DAY,
        [(-10, 6, P), (19.9, 0, P), (30.1, 1, P)],
    ),
    # Positive, but an analgesic was taken after the baseline: a confounder is named.
    Scenario(
        "DEMO-013",
        "Tanaka",
        "Yui",
        date(1985, 3, 3),
        "female",
        "right",
        1 * DAY,
        [(-10, 10, P), (26, 2, P)],
        extra={"analgesic": "Paracetamol 1 g", "analgesic_at": 5},
    ),
    # 5/10 then 4/10 from 8: the 5 decides (37.5 %), but the 4 is 50 %: not every reading
    # shows little relief, so indeterminate (rule 2.0 read the 5 alone: negative).
    Scenario(
        "DEMO-014",
        "Mensah",
        "Kwame",
        date(1970, 1, 20),
        "male",
        "left",
        13 * DAY,
        [(-10, 8, P), (21, 5, P), (29, 4, P)],
    ),
    # No change at rest: negative.
    Scenario(
        "DEMO-015",
        "García",
        "Lucía",
        date(1981, 4, 16),
        "female",
        "left",
        2 * DAY,
        [(-10, 5, R), (25, 5, R)],
    ),
    # Positive under moderate sedation: the confounder is named on every screen.
    Scenario(
        "DEMO-016",
        "Ivanova",
        "Olga",
        date(1958, 6, 6),
        "female",
        "right",
        3 * DAY,
        [(-10, 8, P), (25, 1, P)],
        extra={"sedation": "moderate"},
    ),
    # A provoked baseline against a resting reading: non-diagnostic, says what to record.
    Scenario(
        "DEMO-017",
        "Cohen",
        "David",
        date(1964, 8, 8),
        "male",
        "left",
        6 * DAY,
        [(-10, 8, P), (25, 1, R)],
    ),
    # In the window now with a reading: positive, provisional until it closes.
    Scenario(
        "DEMO-018",
        "Nguyen",
        "Linh",
        date(1995, 12, 1),
        "female",
        "right",
        24,
        [(-10, 7, P), (21, 1, P)],
    ),
    # Low baseline (4/10 at rest), 50 %: indeterminate with a caution.
    Scenario(
        "DEMO-019",
        "Andersen",
        "Freja",
        date(1977, 11, 11),
        "female",
        "left",
        9 * DAY,
        [(-10, 4, R), (25, 2, R)],
    ),
    # Positive and signed (confirmed).
    Scenario(
        "DEMO-020",
        "Dubois",
        "Louis",
        date(1950, 2, 2),
        "male",
        "right",
        14 * DAY,
        [(-10, 7, P), (25, 0, P)],
        sign="confirm",
    ),
    # Due now: 22 minutes ago, no reading yet.
    Scenario("DEMO-021", "Rossi", "Giulia", date(1969, 9, 9), "female", "left", 22, [(-6, 7, P)]),
    # Done today: positive, the window closed an hour ago.
    Scenario(
        "DEMO-022",
        "Müller",
        "Hanna",
        date(1973, 5, 17),
        "female",
        "right",
        90,
        [(-10, 8, P), (22, 1, P), (28, 1, P)],
    ),
    # Spanish-speaking, agreed to reminders by email: her diary page, handout and reminders
    # (`manage.py send_reminders` prints them in `make run`) are in Spanish.
    Scenario(
        "DEMO-023",
        "García",
        "Lucía",
        date(1966, 4, 23),
        "female",
        "left",
        DAY + 300,
        [(-10, 7, P), (24, 1, P), (60, 2, P), (120, 3, P)],
        contact={"email": "lucia.garcia@example.com", "preferred_language": "es"},
    ),
]


def diary(performed_minutes_ago, rng):
    """Follow-up week entries (one or two a day) for days that have already passed."""
    entries = []
    for day in range(1, 8):
        minutes = day * DAY + rng.choice([-120, 0, 240])
        if minutes >= performed_minutes_ago - 5:
            break
        for extra in range(rng.choice([1, 1, 2])):
            entries.append((minutes + extra * 360, rng.randint(1, 6), "rest", "patient"))
    return entries


def injection_fields(scenario, performed_at):
    fields = {
        "guidance": Injection.Guidance.FLUOROSCOPY,
        "contrast": Injection.Contrast.YES,
        "anaesthetic_agent": Injection.Anaesthetic.LIDOCAINE,
        "anaesthetic_concentration": Decimal("2"),
        "anaesthetic_volume_ml": Decimal("2"),
        **scenario.extra,
    }
    if "analgesic_at" in fields:
        fields["analgesic_at"] = performed_at + timedelta(minutes=fields["analgesic_at"])
    return fields


@transaction.atomic
def seed(proceduralist):
    """Create the scenarios whose MRN is not on file yet; returns how many were created."""
    now = timezone.now().replace(second=0, microsecond=0)
    rng = random.Random(2026)
    existing = set(Patient.objects.values_list("mrn", flat=True))
    created = 0
    for number, scenario in enumerate(SCENARIOS):
        if scenario.mrn in existing:
            continue
        patient = Patient.objects.create(
            # Ofcom's numbers for drama (01632 960000-960999): never a real line. Every
            # fifth patient has none, so the call list shows how to add one.
            phone="" if number % 5 == 4 else f"01632 960{number:03d}",
            mrn=scenario.mrn,
            family_name=scenario.family,
            given_name=scenario.given,
            date_of_birth=scenario.born,
            sex=scenario.sex,
            **scenario.contact,
            **consent(scenario, proceduralist, now),
        )
        performed_at = now - timedelta(minutes=scenario.ago)
        if scenario.work_up:
            first = performed_at - timedelta(days=scenario.earlier[0] if scenario.earlier else 0)
            work_up_of(scenario, patient, first)
        confirms = None
        if scenario.earlier:
            days, readings, extra = scenario.earlier
            confirms = seed_block(
                patient,
                scenario.side,
                performed_at - timedelta(days=days),
                proceduralist,
                [(m, s, c, "staff") for m, s, c in readings],
                injection_fields(replace(scenario, extra=extra), performed_at),
            )
        fields = injection_fields(scenario, performed_at)
        rows = [(m, s, c, "staff") for m, s, c in scenario.readings]
        injection = seed_block(
            patient,
            scenario.side,
            performed_at,
            proceduralist,
            rows + diary(scenario.ago, rng),
            {**fields, "confirms": confirms},
        )
        if scenario.sign:
            sign_as_demo(injection, proceduralist, scenario.sign)
        if scenario.contact:
            DiaryLink.issue(injection, created_by=proceduralist)
        created += 1
    return created


def work_up_of(scenario, patient, first_block_at):
    """The scenario's work-up, a week before its first block."""
    examined_on = timezone.localdate(first_block_at) - timedelta(days=7)
    fields = dict(scenario.work_up)
    fields["pain_onset"] = examined_on - timedelta(days=fields["pain_onset"])
    return WorkUp.objects.create(
        patient=patient, side=scenario.side, examined_on=examined_on, **fields
    )


def seed_block(patient, side, performed_at, proceduralist, readings, fields):
    """One injection with its readings, entered as they happened."""
    injection = Injection.objects.create(
        patient=patient,
        performed_at=performed_at,
        side=side,
        proceduralist=proceduralist,
        created_by=proceduralist,
        **fields,
    )
    for minutes, score, context, source in readings:
        PainReading.objects.create(
            injection=injection,
            recorded_at=performed_at + timedelta(seconds=int(minutes * 60)),
            score=score,
            context=context,
            source=source,
            entered_by=proceduralist if source == "staff" else None,
        )
    # Entered as they happened: only late entries are marked "Recalled".
    injection.readings.update(created_at=F("recorded_at"))
    services.refresh_evaluation(injection.pk)
    return injection


def consent(scenario, proceduralist, now):
    """A patient with contact details agreed to reminders, recorded by the proceduralist."""
    if not scenario.contact:
        return {}
    return {"reminder_consent_at": now, "reminder_consent_by": proceduralist}


def sign_as_demo(injection, proceduralist, how):
    """Sign as the demo proceduralist, made a Clinician (seed_demo runs setup_roles first)."""
    proceduralist.groups.add(Group.objects.get(name="Clinician"))
    proceduralist = type(proceduralist).objects.get(pk=proceduralist.pk)  # fresh permissions
    if how == "confirm":
        signing.sign_off(injection.pk, proceduralist)
    else:
        signing.sign_off(
            injection.pk,
            proceduralist,
            outcome=how,
            reason="Demo override: full relief during the provoking activity at 30 minutes.",
        )
