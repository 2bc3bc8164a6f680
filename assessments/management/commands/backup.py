from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from assessments.backups import backup_database


class Command(BaseCommand):
    help = (
        "Back up the database while it runs: SQLite's online backup API, or pg_dump "
        "(custom format) on PostgreSQL. See the README for restoring."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="File to write (refuses to overwrite).")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if path.exists():
            raise CommandError(f"{path} exists; backups are never overwritten.")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            backup_database(path)
        except Exception as error:
            path.unlink(missing_ok=True)
            raise CommandError(f"Backup failed: {error}") from error
        size = path.stat().st_size
        self.stdout.write(f"Backed up the {connection.vendor} database to {path} ({size} bytes).")
