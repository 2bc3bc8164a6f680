"""CSV, one row per reading: the readings as the rule read them."""

from collections.abc import Iterable, Iterator

from .. import display
from .cells import Cell, csv_chunks, yes_no
from .rows import InjectionFacts

HEADER = [
    "injection_id",
    "mrn",
    "reading_number",
    "recorded_at",
    "minutes_after_injection",
    "phase",
    "score",
    "context",
    "source",
    "in_window",
    "counted",
    "decisive",
    "note",
]


def reading_rows(facts: InjectionFacts) -> list[list[Cell]]:
    injection = facts.injection
    return [
        [
            injection.pk,
            facts.patient.mrn,
            row.number,
            display.iso_local(row.reading.recorded_at),
            row.minutes_rounded,
            row.phase,
            row.reading.score,
            row.reading.context,
            row.reading.source,
            yes_no(row.in_window),
            yes_no(row.counted),
            yes_no(row.decisive),
            row.reading.note,
        ]
        for row in facts.readings
    ]


def chunks(all_facts: Iterable[InjectionFacts]) -> Iterator[bytes]:
    return csv_chunks(HEADER, (reading_rows(facts) for facts in all_facts))
