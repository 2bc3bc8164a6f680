"""Demo data: patients covering every result of the rule, and a bulk mode for benchmarks."""

from io import StringIO
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from assessments.demo import scenarios
from assessments.demo.bulk import seed_bulk

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Command(BaseCommand):
    help = "Load demo patients covering every outcome; --patients N adds N synthetic ones."

    def add_arguments(self, parser: CommandParser) -> None:
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

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo signs two injections as a Clinician: the roles must exist.
        call_command("setup_roles", stdout=StringIO())
        proceduralist = self.demo_proceduralist()
        created = scenarios.seed(proceduralist)
        total = len(scenarios.SCENARIOS)
        self.stdout.write(f"Demo scenarios: {created} new patient(s), {total} in all.")
        if options["patients"]:
            added = seed_bulk(
                options["patients"],
                proceduralist,
                self.stdout,
                with_history=not options["skip_history"],
            )
            self.stdout.write(f"Synthetic patients: {added} added.")

    def demo_proceduralist(self) -> "User":
        user, created = get_user_model().objects.get_or_create(
            username="dr.demo",
            defaults={"first_name": "Demo", "last_name": "Proceduralist", "is_staff": True},
        )
        if created:
            user.set_unusable_password()
            user.save()
        return user
