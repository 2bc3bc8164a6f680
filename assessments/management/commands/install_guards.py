from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from assessments import triggers
from assessments.models import Injection


class Command(BaseCommand):
    help = "(Re)install the database triggers that guard signed records and the audit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, database: str, **options: Any) -> None:
        connection = connections[database]
        triggers.install(connection, Injection)
        count = len(triggers.installed_names(connection))
        self.stdout.write(f"{count} guard triggers installed on {connection.vendor}.")
