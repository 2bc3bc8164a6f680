"""The demo logins, printed last by `make run`: a fresh password on every run."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

# User name, first name, last name, group (None: superuser, the clinic administrator).
DEMO_USERS = [
    ("demo", "Demo", "Admin", None),
    ("demo.clinician", "Carmen", "Clinician", "Clinician"),
    ("demo.nurse", "Nora", "Nurse", "Nurse"),
    ("demo.auditor", "Aled", "Auditor", "Auditor"),
]


class Command(BaseCommand):
    help = (
        "Development only (DEBUG=1): make sure the demo users exist, give them a new password "
        "and print the login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Where it is served.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_login resets the demo users' password: it runs only with DEBUG=1, "
                "on a development database."
            )
        password = secrets.token_urlsafe(9)
        users = get_user_model().objects
        for username, first, last, group in DEMO_USERS:
            user = users.filter(username=username).first() or users.model(username=username)
            user.first_name, user.last_name, user.is_staff = first, last, True
            user.is_superuser = group is None
            user.is_active = True
            user.set_password(password)
            user.save()
            if group is not None:
                user.groups.set(Group.objects.filter(name=group))
        url = options["url"]
        names = ", ".join(username for username, *_ in DEMO_USERS[1:])
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "=" * 72,
                    self.style.SUCCESS(f"  Sign in at {url}  as  demo / {password}"),
                    f"  Same password for the roles: {names}.",
                    "  A new password on every `make run`; `make reset-demo` starts afresh.",
                    "=" * 72,
                    "",
                ]
            )
        )
