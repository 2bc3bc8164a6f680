from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import display
from assessments.models import EnrolmentCode


class Command(BaseCommand):
    help = (
        "Issue a one-time code that lets USERNAME enrol a first authenticator (needed when "
        "OTP_REQUIRED=1). Give it to the user in person or by phone; it is shown only now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        row, code = EnrolmentCode.issue(user)
        until = display.date_time(row.expires_at)
        self.stdout.write(f"Enrolment code for {username}, valid until {until}:")
        self.stdout.write(code)
