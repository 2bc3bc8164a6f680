"""The facts every export format writes: the read model (assessments/record.py), read in
one planned pass over the injections.

Injections are read in id order, `CHUNK_SIZE` at a time (iterator(chunk_size) with
`Injection.objects.for_record()`: five queries a chunk), so memory stays flat whatever the
selection. A signed injection is read as signed (SignOff.reproduce), an unsigned one with
today's rule, exactly as the injection page and the PDF read it. Withdrawn readings stay on
the record and its page, not in research exports: formats write `readings`, the ones that
stand.
"""

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from .. import rules
from ..models import Injection
from ..record import InjectionRecord, RecordReading, records

CHUNK_SIZE = 500

InjectionFacts = InjectionRecord
ReadingFacts = RecordReading


def rounded_minutes(minutes: rules.Minutes | None) -> Decimal | None:
    """Minutes to one decimal at most, as a number, as every page writes them: 25, -5, 23.8
    (None stays None)."""
    return None if minutes is None else rules.round_minutes(minutes)


def rounded_percent(percent: Decimal | None) -> Decimal | None:
    """A reduction to one decimal, as the rule rounds it (None stays None)."""
    return None if percent is None else rules.round_percent(percent)


def export_facts(
    selection: "QuerySet[Injection]", *, now: datetime, chunk_size: int = CHUNK_SIZE
) -> Iterator[InjectionRecord]:
    """The record of each injection of the `selection` queryset, in id order."""
    return records(selection, now=now, chunk_size=chunk_size)
