"""Write PDF reports to a file, a zip or a directory: export_report ID [ID ...] -o PATH."""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.access_log import record_report_access
from assessments.models import Injection, ReportAccess
from assessments.reports.bundle import report_files, stream_zip


class Command(BaseCommand):
    help = (
        "Export injection PDF reports. PATH ending in .pdf takes one injection; "
        "ending in .zip, one archive; anything else is a directory, one file per report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, metavar="ID", help="Injection ids.")
        parser.add_argument(
            "--all", action="store_true", dest="export_all", help="Export every injection."
        )
        parser.add_argument("-o", "--output", required=True, metavar="PATH")
        parser.add_argument(
            "--invariant",
            action="store_true",
            help="Identical bytes for identical records (archives): no generation time.",
        )

    def handle(
        self,
        *args: Any,
        ids: list[int],
        export_all: bool,
        output: str,
        invariant: bool,
        **options: Any,
    ) -> None:
        if export_all == bool(ids):
            raise CommandError("Give injection ids or --all, not both and not neither.")
        injections = Injection.objects.all() if export_all else Injection.objects.filter(pk__in=ids)
        missing = sorted(set(ids) - set(injections.values_list("pk", flat=True)))
        if missing:
            raise CommandError(f"No injection with id {', '.join(map(str, missing))}.")
        total = injections.count()
        if total == 0:
            raise CommandError("There are no injections to export.")
        path = Path(output)
        failed: list[int] = []
        rendered = report_files(injections, invariant=invariant, failed=failed)
        files = self.with_progress(rendered, total)
        if path.suffix.lower() == ".pdf":
            if total != 1:
                raise CommandError(f"A .pdf holds one report; {total} were asked for.")
            name, pdf = next(files)
            if failed:
                raise CommandError(f"The report of injection {failed[0]} could not be drawn.")
            path.write_bytes(pdf)
        elif path.suffix.lower() == ".zip":
            with path.open("wb") as archive:
                for chunk in stream_zip(files):
                    archive.write(chunk)
        else:
            path.mkdir(parents=True, exist_ok=True)
            for name, pdf in files:
                (path / name).write_bytes(pdf)
        written = set(injections.values_list("pk", flat=True)) - set(failed)
        record_report_access(sorted(written), ReportAccess.Kind.EXPORT)
        self.stdout.write(
            f"Wrote {len(written)} report{'s' if len(written) != 1 else ''} to {path}"
        )
        if failed:
            raise CommandError(
                f"{len(failed)} report(s) could not be drawn and were left out: "
                + ", ".join(f"#{pk}" for pk in failed)
            )

    def with_progress(
        self, files: Iterable[tuple[str, bytes]], total: int
    ) -> Iterator[tuple[str, bytes]]:
        """Pass files through, drawing a bar on stderr when it is a terminal."""
        terminal = self.stderr.isatty()
        for done, item in enumerate(files, start=1):
            yield item
            if terminal:
                filled = done * 30 // total
                bar = "#" * filled + "." * (30 - filled)
                self.stderr.write(f"\r[{bar}] {done}/{total}", style_func=str, ending="")
                self.stderr.flush()
        if terminal:
            self.stderr.write("", style_func=str)
