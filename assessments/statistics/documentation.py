"""Coverage documentation by clinic month: how many blocks' checklists are incomplete or unmet.

One query (the stored CoverageStatus, services.refresh_coverage), whatever the data. The
same suppression as the outcome figures: a month of fewer than SMALL patients is left out,
and within a month the counts by status are hidden together (suppression.suppressed_counts).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from ..display import local_midnight
from ..models import Injection
from .figures import months, next_month
from .sql import month_key
from .suppression import SMALL, SUPPRESSED, WITHHELD, suppressed_counts

STATUSES = ("incomplete", "unmet", "met", "unchecked")


@dataclass(frozen=True)
class DocumentationMonth:
    month: date
    blocks: int
    counts: dict[str, str]  # status → the count as shown ("< 5" when hidden)
    left_out: bool = False


def documentation_by_month(start: date, end: date) -> list[DocumentationMonth]:
    start, end = start.replace(day=1), end.replace(day=1)
    in_range = Injection.objects.filter(
        performed_at__gte=local_midnight(start),
        performed_at__lt=local_midnight(next_month(end)),
    )
    rows = {
        row["month"]: row
        for row in in_range.values(month=month_key(months(start, end)))
        .annotate(
            blocks=Count("pk"),
            patients=Count("patient", distinct=True),
            incomplete=Count("pk", filter=Q(coverage__status="incomplete")),
            unmet=Count("pk", filter=Q(coverage__status="unmet")),
            met=Count("pk", filter=Q(coverage__status="met")),
            unchecked=Count("pk", filter=Q(coverage__isnull=True)),
        )
        .order_by()
    }
    found = []
    for month in months(start, end):
        row = rows.get(f"{month:%Y-%m}")
        if row is None:
            found.append(DocumentationMonth(month, 0, dict.fromkeys(STATUSES, "0")))
            continue
        if row["patients"] < SMALL:
            found.append(DocumentationMonth(month, 0, dict.fromkeys(STATUSES, "—"), True))
            continue
        counts = [row[status] for status in STATUSES]
        hidden = suppressed_counts(counts)
        shown = {
            status: (SUPPRESSED if count < SMALL else WITHHELD) if hide else str(count)
            for status, count, hide in zip(STATUSES, counts, hidden, strict=True)
        }
        found.append(DocumentationMonth(month, row["blocks"], shown))
    return found
