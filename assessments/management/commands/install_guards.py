from django.core.management.base import BaseCommand
from django.db import connections

from assessments import triggers
from assessments.models import Injection


class Command(BaseCommand):
    help = "(Re)install the database triggers that guard signed records and the audit."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        connection = connections[database]
        triggers.install(connection, Injection)
        count = len(triggers.installed_names(connection))
        self.stdout.write(f"{count} guard triggers installed on {connection.vendor}.")
