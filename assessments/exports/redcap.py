"""REDCap: a data dictionary and the records, as a repeating instrument, in one zip.

One REDCap record is one injection (record_id = the injection's id): the readings are a
repeating instrument of it ("pain_reading", instances numbered 1, 2, … in time order). A
record per patient would make the injections repeat and their readings repeat inside them,
and REDCap has no repeat within a repeat. The MRN is a field marked as an identifier, so
REDCap's de-identified exports leave it out. The fields are in redcap_fields.py.
"""

from collections.abc import Iterable, Iterator

from ..zipstream import stream_zip
from .cells import Cell, csv_chunks
from .redcap_fields import DICTIONARY_HEADER, INJECTION_FORM, READING_FORM, Field, fields
from .rows import InjectionFacts

REPEAT_COLUMNS = ["redcap_repeat_instrument", "redcap_repeat_instance"]
DICTIONARY_NAME = "si-redcap-dictionary.csv"
RECORDS_NAME = "si-redcap-records.csv"


def dictionary_chunks(all_fields: list[Field]) -> Iterator[bytes]:
    rows = [field.dictionary_row() for field in all_fields]
    return csv_chunks(DICTIONARY_HEADER, [rows], byte_order_mark=False)


def records_header(all_fields: list[Field]) -> list[str]:
    return ["record_id", *REPEAT_COLUMNS, *(field.name for field in all_fields[1:])]


def record_rows(facts: InjectionFacts, all_fields: list[Field]) -> list[list[Cell]]:
    """The injection's row, then one row per reading (an instance of the repeating form)."""
    injection_fields = [field for field in all_fields[1:] if field.form == INJECTION_FORM]
    reading_fields = [field for field in all_fields if field.form == READING_FORM]
    blank_readings = [""] * len(reading_fields)
    rows = [
        [
            facts.injection.pk,
            "",
            "",
            *(field.code(field.value(facts)) for field in injection_fields),
            *blank_readings,
        ]
    ]
    blank_injection = [""] * len(injection_fields)
    for reading in facts.readings:
        rows.append(
            [
                facts.injection.pk,
                READING_FORM,
                reading.number,
                *blank_injection,
                *(field.code(field.value(reading)) for field in reading_fields),
            ]
        )
    return rows


def records_chunks(all_facts: Iterable[InjectionFacts], all_fields: list[Field]) -> Iterator[bytes]:
    return csv_chunks(
        records_header(all_fields),
        (record_rows(facts, all_fields) for facts in all_facts),
        byte_order_mark=False,
    )


def chunks(all_facts: Iterable[InjectionFacts]) -> Iterator[bytes]:
    all_fields = fields()
    yield from stream_zip(
        [
            (DICTIONARY_NAME, dictionary_chunks(all_fields)),
            (RECORDS_NAME, records_chunks(all_facts, all_fields)),
        ]
    )
