from django.conf import settings
from django.core.management.base import BaseCommand

from assessments import services
from assessments.models import Injection, rule_inclusive


class Command(BaseCommand):
    help = (
        "Recompute stored evaluations after the rule settings (threshold, comparator) change. "
        "Signed injections keep the evaluation they were signed with."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Recompute every unsigned injection, not only stale ones.",
        )

    def handle(self, *args, **options):
        threshold, inclusive = settings.SI_THRESHOLD_PERCENT, rule_inclusive()
        if options["all"]:
            ids = Injection.objects.filter(locked_at__isnull=True).values_list("pk", flat=True)
        else:
            ids = services.stale_injections(threshold, inclusive)
        count = 0
        for injection_id in ids.iterator():
            services.refresh_evaluation(injection_id)
            count += 1
        comparator = "at least" if inclusive else "more than"
        self.stdout.write(
            f"Recomputed {count} injection(s) with the rule: {comparator} {threshold} %."
        )
