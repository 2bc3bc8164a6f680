"""Demo data: twenty patients covering every outcome, and a bulk mode for benchmarks."""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assessments import services
from assessments.demo_bulk import seed_bulk
from assessments.demo_data import SCENARIOS, diary
from assessments.models import Injection, PainReading, Patient


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
