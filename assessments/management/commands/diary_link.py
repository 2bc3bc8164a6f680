from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import display
from assessments.diary import services as diary
from assessments.diary.links import absolute_url
from assessments.models import Injection


class Command(BaseCommand):
    help = (
        "Print the patient's diary link for an injection (made if it has none). The last line "
        "is the URL; set SITE_URL to the address patients reach the site at."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("injection_id", type=int)

    def handle(self, *args: Any, injection_id: int, **options: Any) -> None:
        injection = Injection.objects.select_related("patient").filter(pk=injection_id).first()
        if injection is None:
            raise CommandError(f"No injection with id {injection_id}.")
        link = diary.diary_link(injection)
        self.stdout.write(
            f"Diary link for injection #{injection.pk}, until {display.date_time(link.expires_at)}:"
        )
        self.stdout.write(absolute_url(link))
