"""Write PDF reports to a file, a zip or a directory: export_report ID [ID ...] -o PATH."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.access_log import record_report_access
from assessments.models import Injection, ReportAccess
from assessments.report_bundle import report_files, stream_zip


class Command(BaseCommand):
    help = (
        "Export injection PDF reports. PATH ending in .pdf takes one injection; "
        "ending in .zip, one archive; anything else is a directory, one file per report."
    )

    def add_arguments(self, parser):
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

    def handle(self, *args, ids, export_all, output, invariant, **options):
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
        files = self.with_progress(report_files(injections, invariant=invariant), total)
        if path.suffix.lower() == ".pdf":
            if total != 1:
                raise CommandError(f"A .pdf holds one report; {total} were asked for.")
            path.write_bytes(next(files)[1])
        elif path.suffix.lower() == ".zip":
            with path.open("wb") as archive:
                for chunk in stream_zip(files):
                    archive.write(chunk)
        else:
            path.mkdir(parents=True, exist_ok=True)
            for name, pdf in files:
                (path / name).write_bytes(pdf)
        record_report_access(injections.values_list("pk", flat=True), ReportAccess.Kind.EXPORT)
        self.stdout.write(f"Wrote {total} report{'s' if total != 1 else ''} to {path}")

    def with_progress(self, files, total):
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
