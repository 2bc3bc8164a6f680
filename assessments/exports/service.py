"""Run an export: choose the format, stream its bytes, write the export log's one row."""

import getpass
import logging
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from .. import display
from ..models import DataExport, Injection
from ..models.audit import SELECTION_MAX
from . import csv_long, csv_wide, fhir, redcap
from .rows import export_facts

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)

# The log names at most this many ids of a selection (its count is in the row too).
IDS_SHOWN = 50


@dataclass(frozen=True)
class Format:
    key: str
    writer: ModuleType
    stem: str
    extension: str
    content_type: str
    button: str  # the changelist's "Export these" button
    carries_reports: bool = False  # can embed the signed PDFs (FHIR), when asked to

    @property
    def label(self) -> str:
        return DataExport.Format(self.key).label


FORMATS = {
    format.key: format
    for format in [
        Format("csv", csv_long, "si-readings", "csv", "text/csv; charset=utf-8", "CSV readings"),
        Format(
            "csv-wide",
            csv_wide,
            "si-injections",
            "csv",
            "text/csv; charset=utf-8",
            "CSV injections",
        ),
        Format("redcap", redcap, "si-redcap", "zip", "application/zip", "REDCap"),
        Format(
            "fhir", fhir, "si-fhir", "json", "application/fhir+json", "FHIR", carries_reports=True
        ),
    ]
}


def export_filename(export_format: Format, now: datetime) -> str:
    """No patient in it: "si-injections-20261126-1830.csv", in clinic time."""
    return f"{export_format.stem}-{display.local(now):%Y%m%d-%H%M}.{export_format.extension}"


def export_chunks(
    key: str,
    selection: "QuerySet[Injection]",
    *,
    now: datetime | None = None,
    with_reports: bool = False,
) -> Iterator[bytes]:
    """The bytes of `selection` (an Injection queryset) in format `key`, as they are made.
    with_reports: the signed PDFs too (FHIR only); they name the patient."""
    now = now or timezone.now()
    export_format = FORMATS[key]
    facts = export_facts(selection, now=now)
    # The writers are modules (csv_long, fhir, …), each with its chunks(); FHIR's alone
    # takes with_reports.
    chunks: Iterator[bytes]
    if not with_reports:
        chunks = export_format.writer.chunks(facts)
        return chunks
    if not export_format.carries_reports:
        raise ValueError(f"The {key} format carries no reports.")
    chunks = export_format.writer.chunks(facts, with_reports=True)
    return chunks


def record_export(
    key: str,
    count: int,
    selection_text: str,
    *,
    user: "User | None" = None,
    with_reports: bool = False,
) -> DataExport:
    """The export log's row; a command-line export names the OS user."""
    actor = user.get_username() if user is not None else f"command line ({getpass.getuser()})"
    if len(selection_text) > SELECTION_MAX:
        selection_text = selection_text[: SELECTION_MAX - 1] + "…"
    entry = DataExport.objects.create(
        user=user,
        actor=actor,
        format=key,
        selection=selection_text,
        injections=count,
        with_reports=with_reports,
    )
    log.info(
        "data export: %s by %s, %d injection(s)%s",
        key,
        actor,
        count,
        ", with the signed PDFs" if with_reports else "",
    )
    return entry


class DatePart:
    """The values of a date drill-down parameter (performed_at__year=2026): a whole number."""

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 4


def changelist_text(query: QueryDict, known: Mapping[str, Container[str]]) -> str:
    """The changelist's filters, for the log: only the parameters in `known` (the list's
    filters: name → the values it offers), so nothing typed into the address bar (a
    patient's name as a filter value, a made-up parameter) reaches the log. A search term
    is left out too (it may be a patient's name) and only said to have been there."""
    kept, left_out = [], False
    for name, value in query.items():
        if name == SEARCH_VAR:
            continue
        if name in known and value in known[name]:
            kept.append((name, value))
        else:
            left_out = True
    text = f"changelist: {urlencode(kept) or 'all injections'}"
    if left_out:
        text += "; other parameters left out"
    return text + ("; searched (the term is not logged)" if query.get(SEARCH_VAR) else "")


def selected_ids_text(ids: Sequence[int] | Sequence[str]) -> str:
    """ "selected: ids 3, 5, 8", the first IDS_SHOWN of them, then "…"."""
    shown = ", ".join(map(str, sorted(ids)[:IDS_SHOWN]))
    return f"selected: ids {shown}" + (", …" if len(ids) > IDS_SHOWN else "")
