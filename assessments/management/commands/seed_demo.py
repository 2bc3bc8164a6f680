"""Demo data: twenty patients covering every outcome, and a bulk mode for benchmarks."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessments import services
from assessments.models import Injection, PainReading, Patient

# (mrn, family, given, born, sex, side, performed minutes ago, readings as (minutes, score, context))
# Minutes are relative to the injection; negative ones are baselines.
DAY = 24 * 60
SCENARIOS = [
    (
        "DEMO-001",
        "Okafor",
        "Adaeze",
        date(1968, 3, 14),
        "female",
        "left",
        3 * DAY,
        [(-15, 8, "provoked"), (20, 2, "provoked"), (25, 1, "provoked"), (60, 2, "rest")],
    ),
    (
        "DEMO-002",
        "Lindqvist",
        "Erik",
        date(1955, 11, 2),
        "male",
        "right",
        2 * DAY,
        [(-10, 8, "provoked"), (25, 2, "provoked")],
    ),  # exactly 75 %
    (
        "DEMO-003",
        "Ångström-Nuñez",
        "Zoë",
        date(1979, 6, 30),
        "female",
        "left",
        5 * DAY,
        [(-20, 4, "provoked"), (22, 1, "provoked"), (28, 2, "rest")],
    ),  # exactly 75 % at baseline 4
    (
        "DEMO-004",
        "李",
        "小龍",
        date(1983, 1, 9),
        "male",
        "right",
        4 * DAY,
        [(-10, 7, "provoked"), (25, 4, "provoked")],
    ),  # indeterminate
    (
        "DEMO-005",
        "Moreau",
        "Camille",
        date(1990, 8, 21),
        "female",
        "right",
        6 * DAY,
        [(-5, 6, "rest"), (25, 6, "rest")],
    ),  # no change: negative
    (
        "DEMO-006",
        "Patel",
        "Ravi",
        date(1962, 4, 3),
        "male",
        "left",
        7 * DAY,
        [(-5, 5, "provoked"), (24, 7, "provoked")],
    ),  # pain up: negative
    (
        "DEMO-007",
        "Nowak",
        "Agnieszka",
        date(1971, 12, 12),
        "female",
        "left",
        8 * DAY,
        [(25, 3, "rest")],
    ),  # no baseline
    (
        "DEMO-008",
        "Silva",
        "João",
        date(1988, 2, 28),
        "male",
        "right",
        9 * DAY,
        [(-10, 0, "rest"), (25, 0, "rest")],
    ),  # baseline 0
    (
        "DEMO-009",
        "O'Brien",
        "Siobhan",
        date(1959, 9, 17),
        "female",
        "right",
        10 * DAY,
        [(-10, 7, "provoked"), (35, 1, "provoked"), (60, 1, "rest")],
    ),  # no window reading
    (
        "DEMO-010",
        "Kowalczyk",
        "Marek",
        date(1975, 5, 5),
        "male",
        "left",
        10,
        [(-8, 7, "provoked")],
    ),  # performed 10 minutes ago: the window is still to come
    (
        "DEMO-011",
        "Haddad",
        "Layla",
        date(1993, 7, 7),
        "female",
        "left",
        11 * DAY,
        [(-10, 9, "provoked"), (20, 3, "provoked"), (30, 0, "provoked")],
    ),
    (
        "DEMO-012",
        "Schmidt",
        "Jonas",
        date(1966, 10, 10),
        "male",
        "right",
        12 * DAY,
        [(-10, 6, "provoked"), (19.9, 0, "provoked"), (30.1, 1, "provoked")],
    ),  # all outside window
    (
        "DEMO-013",
        "Tanaka",
        "Yui",
        date(1985, 3, 3),
        "female",
        "right",
        1 * DAY,
        [(-10, 10, "provoked"), (26, 2, "provoked")],
    ),
    (
        "DEMO-014",
        "Mensah",
        "Kwame",
        date(1970, 1, 20),
        "male",
        "left",
        13 * DAY,
        [(-10, 8, "provoked"), (21, 5, "provoked"), (29, 4, "provoked")],
    ),
    (
        "DEMO-015",
        "García",
        "Lucía",
        date(1981, 4, 16),
        "female",
        "left",
        2 * DAY,
        [(-10, 5, "rest"), (25, 5, "rest")],
    ),
    (
        "DEMO-016",
        "Ivanova",
        "Olga",
        date(1958, 6, 6),
        "female",
        "right",
        3 * DAY,
        [(-10, 8, "provoked"), (25, 1, "provoked")],
    ),
    (
        "DEMO-017",
        "Cohen",
        "David",
        date(1964, 8, 8),
        "male",
        "left",
        6 * DAY,
        [(-10, 6, "provoked"), (25, 3, "provoked")],
    ),
    (
        "DEMO-018",
        "Nguyen",
        "Linh",
        date(1995, 12, 1),
        "female",
        "right",
        60,
        [(-10, 7, "provoked"), (25, 1, "provoked")],
    ),
    (
        "DEMO-019",
        "Andersen",
        "Freja",
        date(1977, 11, 11),
        "female",
        "left",
        9 * DAY,
        [(-10, 4, "rest"), (25, 2, "rest")],
    ),
    (
        "DEMO-020",
        "Dubois",
        "Louis",
        date(1950, 2, 2),
        "male",
        "right",
        14 * DAY,
        [(-10, 7, "provoked"), (25, 0, "provoked")],
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


class Command(BaseCommand):
    help = "Load demo patients covering every outcome; --patients N adds N synthetic ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--patients",
            type=int,
            default=0,
            help="Also make sure N synthetic patients exist, one injection and ~10 readings each.",
        )
        parser.add_argument(
            "--skip-history",
            action="store_true",
            help="Bulk-insert synthetic rows without audit history (benchmarks only; faster).",
        )

    def handle(self, *args, **options):
        proceduralist = self.demo_proceduralist()
        created = self.seed_scenarios(proceduralist)
        self.stdout.write(f"Demo scenarios: {created} new patient(s), {len(SCENARIOS)} in all.")
        if options["patients"]:
            added = seed_bulk(
                options["patients"],
                proceduralist,
                self.stdout,
                with_history=not options["skip_history"],
            )
            self.stdout.write(f"Synthetic patients: {added} added.")

    def demo_proceduralist(self):
        user, created = get_user_model().objects.get_or_create(
            username="dr.demo",
            defaults={"first_name": "Demo", "last_name": "Proceduralist", "is_staff": True},
        )
        if created:
            user.set_unusable_password()
            user.save()
        return user

    @transaction.atomic
    def seed_scenarios(self, proceduralist):
        now = timezone.now().replace(second=0, microsecond=0)
        rng = random.Random(2026)
        existing = set(Patient.objects.values_list("mrn", flat=True))
        created = 0
        for mrn, family, given, born, sex, side, ago, readings in SCENARIOS:
            if mrn in existing:
                continue
            patient = Patient.objects.create(
                mrn=mrn, family_name=family, given_name=given, date_of_birth=born, sex=sex
            )
            injection = Injection.objects.create(
                patient=patient,
                performed_at=now - timedelta(minutes=ago),
                side=side,
                proceduralist=proceduralist,
                created_by=proceduralist,
                guidance=Injection.Guidance.FLUOROSCOPY,
                contrast=Injection.Contrast.YES,
                anaesthetic_agent=Injection.Anaesthetic.LIDOCAINE,
                anaesthetic_concentration=Decimal("2"),
                anaesthetic_volume_ml=Decimal("2"),
            )
            rows = [(m, s, c, "staff") for m, s, c in readings] + diary(ago, rng)
            for minutes, score, context, source in rows:
                PainReading.objects.create(
                    injection=injection,
                    recorded_at=injection.performed_at + timedelta(seconds=int(minutes * 60)),
                    score=score,
                    context=context,
                    source=source,
                    entered_by=proceduralist,
                )
            services.refresh_evaluation(injection.pk)
            created += 1
        return created


def bulk_insert(model, rows, with_history):
    if with_history:
        return bulk_create_with_history(rows, model, default_change_reason="seed_demo bulk")
    return model.objects.bulk_create(rows)


class SyntheticReading(NamedTuple):
    """What the rule needs of a reading (recorded_at, score), without a model instance."""

    recorded_at: datetime
    score: int
    context: str
    source: str


READING_COLUMNS = ["injection_id", "recorded_at", "score", "context", "source", "note"]
READING_COLUMNS += ["created_at", "updated_at"]


def insert_readings(readings_of, injections, with_history, stamp):
    """Insert every injection's synthetic readings.

    With history they go through bulk_create_with_history like any other row. Without it
    (benchmarks) they are written as plain tuples: COPY on PostgreSQL, executemany
    elsewhere, which skips the ORM's per-field work on the ~10 rows per injection. The
    lock triggers still fire for every row either way.
    """
    if with_history:
        rows = [
            PainReading(injection=injection, **reading._asdict())
            for injection, readings in zip(injections, readings_of, strict=True)
            for reading in readings
        ]
        return bulk_insert(PainReading, rows, with_history=True)
    connection = transaction.get_connection()
    adapt = (
        (lambda value: value)
        if connection.vendor == "postgresql"
        else connection.ops.adapt_datetimefield_value
    )
    stamp = adapt(stamp)
    rows = [
        (injection.pk, adapt(r.recorded_at), r.score, r.context, r.source, "", stamp, stamp)
        for injection, readings in zip(injections, readings_of, strict=True)
        for r in readings
    ]
    table = connection.ops.quote_name(PainReading._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in READING_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # Table and column names come from the model, values are parameters.
            placeholders = ", ".join(["%s"] * len(READING_COLUMNS))
            insert = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(insert, rows)


def prepare_batch(connection):
    """Settings for one seeding transaction (PostgreSQL only; SET LOCAL ends with it).

    - synchronous_commit off: a crash may lose the last batches of synthetic rows (never
      corrupt them); they are simply seeded again.
    - plan_cache_mode force_generic_plan: the lock trigger's lookup
      `id = ANY(ids)` otherwise gets a custom plan, so is planned afresh, for every
      reading (~0.15 ms each). The check itself is unchanged.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.execute("SET LOCAL plan_cache_mode TO force_generic_plan")


def refresh_planner_statistics(connection):
    """ANALYZE the injection table before its readings go in (PostgreSQL only).

    The BEFORE INSERT lock trigger on readings looks each reading's injection up by id.
    On a table that was empty when last analysed, the trigger's cached plan scans the
    whole table for every reading, so seeding grew quadratically (10,000 injections took
    minutes). Fresh statistics give it the primary-key index again.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Injection._meta.db_table)}")


def seed_bulk(target, proceduralist, out, *, with_history=True, batch_size=5000):
    """Bulk-insert synthetic patients until `target` exist; returns how many were added."""
    have = Patient.objects.filter(mrn__startswith="SYN-").count()
    rng = random.Random(have)
    now = timezone.now().replace(second=0, microsecond=0)
    added = 0
    for start in range(have, target, batch_size):
        stop = min(start + batch_size, target)
        with transaction.atomic():
            connection = transaction.get_connection()
            prepare_batch(connection)
            patients = bulk_insert(
                Patient,
                [
                    Patient(
                        mrn=f"SYN-{number:07d}",
                        family_name=f"Synthetic{number}",
                        given_name="Test",
                        date_of_birth=date(1940 + number % 60, 1 + number % 12, 1 + number % 28),
                    )
                    for number in range(start, stop)
                ],
                with_history,
            )
            injections, readings_of = [], []
            for patient in patients:
                injection = Injection(
                    patient=patient,
                    performed_at=now - timedelta(minutes=rng.randint(60, 730 * DAY)),
                    side=rng.choice(["left", "right"]),
                    proceduralist=proceduralist,
                    guidance=rng.choice(["fluoroscopy", "ct", "ultrasound"]),
                    contrast="yes",
                    anaesthetic_agent="bupivacaine",
                    anaesthetic_concentration=Decimal("0.5"),
                    anaesthetic_volume_ml=Decimal("2"),
                )
                readings = synthetic_readings(injection, rng, now)
                injection.__dict__.update(services.evaluation_fields(injection.evaluate(readings)))
                injections.append(injection)
                readings_of.append(readings)
            bulk_insert(Injection, injections, with_history)
            refresh_planner_statistics(connection)
            insert_readings(readings_of, injections, with_history, timezone.now())
        added += stop - start
        out.write(f"  {stop}/{target} synthetic patients")
    return added


def synthetic_readings(injection, rng, now):
    baseline = rng.randint(3, 10)
    decisive = rng.randint(0, min(10, baseline + 1)) if rng.random() < 0.9 else None
    minutes = [(-rng.randint(5, 60), baseline)]
    minutes += [(m, min(10, (decisive or baseline) + rng.randint(0, 2))) for m in (15, 45, 90)]
    if decisive is not None:
        minutes.append((rng.randint(20, 30), decisive))
    minutes += [(day * DAY + rng.randint(0, 600), rng.randint(0, 10)) for day in range(1, 6)]
    performed_at = injection.performed_at
    readings = []
    for m, score in minutes:
        recorded_at = performed_at + timedelta(minutes=m)
        if recorded_at <= now:
            readings.append(
                SyntheticReading(
                    recorded_at,
                    score,
                    rng.choice(["rest", "provoked"]),
                    "patient" if m > DAY else "staff",
                )
            )
    return readings
