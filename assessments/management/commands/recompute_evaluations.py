from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import QuerySet

from assessments import services
from assessments.models import Injection, evaluated_rule, primary_profile

COLUMNS = ("outcome", "percent_reduction", "evaluated_rule")


class Command(BaseCommand):
    help = (
        "Recompute stored evaluations after the rule changes (a new rule version, SI_PROFILE "
        "or SI_CONFOUNDER_POLICY). Signed injections keep the evaluation they were signed "
        "with. Says how many outcomes changed, from what to what, and which injections moved. "
        "Stores the coverage checklists' status where SI_COVERAGE_POLICIES changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Recompute every unsigned injection, not only stale ones.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            ids = Injection.objects.filter(locked_at__isnull=True).values_list("pk", flat=True)
        else:
            ids = services.stale_injections()
        before = stored(Injection.objects.filter(pk__in=ids))
        for injection_id in before:
            services.refresh_evaluation(injection_id)
        after = stored(Injection.objects.filter(pk__in=before))
        moved = [pk for pk in before if before[pk]["outcome"] != after[pk]["outcome"]]
        moves = Counter((before[pk]["outcome"], after[pk]["outcome"]) for pk in moved)
        profile = primary_profile()
        self.stdout.write(
            f"Recomputed {len(before)} injection(s) under {profile.key} ({profile.criterion}; "
            f"confounders: {settings.SI_CONFOUNDER_POLICY}), stored as {evaluated_rule()}: "
            f"{sum(moves.values())} outcome(s) changed."
        )
        refreshed = refresh_coverage(everything=options["all"])
        self.stdout.write(
            f"Coverage checklists ({', '.join(settings.SI_COVERAGE_POLICIES)}) stored for "
            f"{refreshed} injection(s)."
        )
        for (old, new), count in sorted(moves.items()):
            self.stdout.write(f"  {old} → {new}: {count}")
        if moved:
            self.stdout.write("Moved (injection, outcome and % reduction before → after):")
        names = {pk: str(injection) for pk, injection in Injection.objects.in_bulk(moved).items()}
        for pk in sorted(moved):
            old, new = before[pk], after[pk]
            self.stdout.write(
                f"  {names[pk]}: {old['outcome']} {percent(old)} → {new['outcome']} "
                f"{percent(new)} (was {old['evaluated_rule'] or 'rule 1.0'})"
            )


def refresh_coverage(*, everything: bool) -> int:
    """Store the coverage status of the injections checked under other policies, or never
    (all of them with --all), signed or not: it is derived, never signed."""
    policies = ",".join(settings.SI_COVERAGE_POLICIES)
    stale = Injection.objects.all()
    if not everything:
        stale = stale.exclude(coverage__policies=policies)
    ids = list(stale.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        services.refresh_coverage(Injection.objects.filter(pk__in=ids[start : start + 500]))
    return len(ids)


def stored(queryset: "QuerySet[Injection]") -> dict[int, dict[str, Any]]:
    """{pk: the stored evaluation's outcome, percent and rule}."""
    return {row["pk"]: row for row in queryset.values("pk", *COLUMNS)}


def percent(row: dict[str, Any]) -> str:
    value = row["percent_reduction"]
    return "(—)" if value is None else f"({value} %)"
