"""Many reports at once: rendered one by one and streamed into a zip.

Memory stays bounded whatever the selection: injections are read in chunks (two queries
per chunk), and each PDF leaves the process as soon as it is written into the archive.
"""

import logging
import zipfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone

from .. import zipstream
from ..models import Injection
from .data import report_filename, report_queryset
from .document import render_report

CHUNK_SIZE = 100
FAILURES_NAME = "REPORTS-NOT-INCLUDED.txt"

log = logging.getLogger(__name__)


def report_files(
    injections: "QuerySet[Injection]",
    *,
    invariant: bool = False,
    chunk_size: int = CHUNK_SIZE,
    failed: list[int] | None = None,
) -> Iterator[tuple[str, bytes]]:
    """(file name, PDF bytes) for each injection of a queryset, in id order.

    A report that cannot be drawn is left out and logged, never half-written: its id goes
    into `failed` (a list) and, at the end, a text file says which reports are missing.
    """
    failed = [] if failed is None else failed
    queryset = report_queryset().filter(pk__in=injections.values("pk")).order_by("pk")
    for injection in queryset.iterator(chunk_size=chunk_size):
        performed_on = timezone.localdate(injection.performed_at, timezone.get_default_timezone())
        name = report_filename(injection.patient.mrn, performed_on, injection.pk)
        try:
            pdf = render_report(injection, invariant=invariant)
        except Exception:  # noqa: BLE001 - one bad record must not break the whole archive
            log.exception("PDF report of injection %s could not be drawn", injection.pk)
            failed.append(injection.pk)
            continue
        yield name, pdf
    if failed:
        ids = ", ".join(f"#{pk}" for pk in failed)
        text = (
            f"These reports could not be drawn and are not in this archive: {ids}.\n"
            "The error is in the application log; open each injection's report on its own.\n"
        )
        yield FAILURES_NAME, text.encode()


def stream_zip(named_files: Iterable[tuple[str, bytes]]) -> Iterator[bytes]:
    """A zip of (name, content) pairs, streamed as each is added (zipstream.py). PDFs are
    already compressed, so entries are stored rather than deflated."""
    return zipstream.stream_zip(
        ((name, [content]) for name, content in named_files), compression=zipfile.ZIP_STORED
    )


def zip_filename() -> str:
    return f"si-reports-{timezone.localtime():%Y-%m-%d-%H%M}.zip"
