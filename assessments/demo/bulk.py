"""Bulk synthetic data for benchmarks: `seed_demo --patients N` (100,000 in minutes)."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .. import services
from ..models import Injection, PainReading, Patient
from .scenarios import DAY


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

    @property
    def rescue_at(self):
        return None  # No synthetic entry reports a rescue analgesic.


READING_COLUMNS = ["injection_id", "recorded_at", "score", "context", "source", "note"]
READING_COLUMNS += ["medication", "withdrawn_reason", "created_at", "updated_at"]


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
    tuples = [
        (injection.pk, adapt(r.recorded_at), r.score, r.context, r.source, "", "", "", stamp, stamp)
        for injection, readings in zip(injections, readings_of, strict=True)
        for r in readings
    ]
    table = connection.ops.quote_name(PainReading._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in READING_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in tuples:
                    copy.write_row(row)
        else:
            # Table and column names come from the model, values are parameters.
            placeholders = ", ".join(["%s"] * len(READING_COLUMNS))
            insert = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            cursor.executemany(insert, tuples)


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
                injection.__dict__.update(services.evaluation_fields(injection, readings))
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
            # In the clinic the window reading repeats the baseline's provoking activity;
            # one in ten is taken at rest by mistake, which the rule then does not count.
            context = "provoked" if m < DAY and rng.random() < 0.9 else "rest"
            readings.append(
                SyntheticReading(recorded_at, score, context, "patient" if m > DAY else "staff")
            )
    return readings
