from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand

from assessments import services
from assessments.models import Injection, evaluated_rule, primary_profile


class Command(BaseCommand):
    help = (
        "Recompute stored evaluations after the rule changes (a new rule version, SI_PROFILE "
        "or SI_CONFOUNDER_POLICY). Signed injections keep the evaluation they were signed "
        "with. Says how many outcomes changed, and from what to what."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Recompute every unsigned injection, not only stale ones.",
        )

    def handle(self, *args, **options):
        if options["all"]:
            ids = Injection.objects.filter(locked_at__isnull=True).values_list("pk", flat=True)
        else:
            ids = services.stale_injections()
        before = dict(Injection.objects.filter(pk__in=ids).values_list("pk", "outcome"))
        for injection_id in before:
            services.refresh_evaluation(injection_id)
        after = dict(Injection.objects.filter(pk__in=before).values_list("pk", "outcome"))
        moves = Counter((before[pk], after[pk]) for pk in before if before[pk] != after[pk])
        profile = primary_profile()
        self.stdout.write(
            f"Recomputed {len(before)} injection(s) under {profile.key} ({profile.criterion}; "
            f"confounders: {settings.SI_CONFOUNDER_POLICY}), stored as {evaluated_rule()}: "
            f"{sum(moves.values())} outcome(s) changed."
        )
        for (old, new), count in sorted(moves.items()):
            self.stdout.write(f"  {old} → {new}: {count}")
