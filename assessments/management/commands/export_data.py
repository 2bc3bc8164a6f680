"""Export injections and readings: export_data --format FORMAT [--signed-only]
[--since DATE] [--until DATE] [--with-reports] -o PATH.

The file is written beside PATH under a temporary name and linked into place only when
complete, so a failed or interrupted export leaves no partial file; PATH is never
overwritten. Errors exit with status 2.
"""

import os
import tempfile
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.display import local_midnight
from assessments.exports import service as exports
from assessments.models import Injection
from assessments.models.limits import EARLIEST_DAY as EARLIEST
from assessments.models.limits import LATEST_DAY as LATEST

USAGE_ERROR = 2


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def clinic_day(text: str, option: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise usage_error(f"{option} {text!r}: give a date as YYYY-MM-DD.") from None
    if not EARLIEST <= day <= LATEST:
        raise usage_error(f"{option} {text}: give a date from {EARLIEST.year} to {LATEST.year}.")
    return day


class Command(BaseCommand):
    help = (
        "Export injections: csv (one row per reading), csv-wide (one per injection), "
        "redcap (a zip: data dictionary and records) or fhir (an R4 bundle, JSON)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Checked in handle(), not by argparse, so that every mistake exits with status 2
        # and a sentence, however the command is called.
        parser.add_argument("--format", required=True, help=", ".join(exports.FORMATS))
        parser.add_argument("--signed-only", action="store_true", help="Signed injections only.")
        parser.add_argument("--since", metavar="DATE", help="Performed on or after (clinic day).")
        parser.add_argument("--until", metavar="DATE", help="Performed on or before (clinic day).")
        parser.add_argument(
            "--with-reports",
            action="store_true",
            help="fhir only: put each signed PDF in its DiagnosticReport. The PDFs name the "
            "patient (name, date of birth): not for research.",
        )
        parser.add_argument("-o", "--output", required=True, metavar="PATH")

    def handle(
        self,
        *args: Any,
        format: str,
        signed_only: bool,
        since: str | None,
        until: str | None,
        with_reports: bool,
        output: str,
        **options: Any,
    ) -> None:
        if format not in exports.FORMATS:
            raise usage_error(
                f"Unknown format {format!r}: choose one of {', '.join(exports.FORMATS)}."
            )
        if with_reports and not exports.FORMATS[format].carries_reports:
            raise usage_error(f"--with-reports is for --format fhir, not {format}.")
        injections, described = Injection.objects.all(), [f"format {format}"]
        if signed_only:
            injections = injections.signed()
            described.append("signed only")
        if since:
            injections = injections.filter(
                performed_at__gte=local_midnight(clinic_day(since, "--since"))
            )
            described.append(f"since {since}")
        if until:
            end = local_midnight(clinic_day(until, "--until") + timedelta(days=1))
            injections = injections.filter(performed_at__lt=end)
            described.append(f"until {until}")
        path = Path(output)
        if path.exists():
            raise usage_error(f"{path} exists: give a new file name (nothing is overwritten).")
        if not path.parent.is_dir():
            raise usage_error(f"{path.parent} is not a directory.")
        if with_reports:
            described.append("with the signed PDFs (they name the patient)")
        count = injections.count()
        chunks = exports.export_chunks(format, injections, with_reports=with_reports)
        self.write_atomically(path, chunks)
        exports.record_export(
            format, count, "command line: " + ", ".join(described), with_reports=with_reports
        )
        self.stdout.write(f"Wrote {count} injection{'s' if count != 1 else ''} to {path}")

    def write_atomically(self, path: Path, chunks: Iterable[bytes]) -> None:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
        try:
            with os.fdopen(handle, "wb") as part:
                for chunk in chunks:
                    part.write(chunk)
            try:
                os.link(temporary, path)  # fails if PATH appeared meanwhile: never overwrite
            except FileExistsError:
                raise usage_error(
                    f"{path} appeared during the export; nothing was written."
                ) from None
        finally:
            os.unlink(temporary)
