import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from assessments import display
from assessments.reminders.sending import Round, run_round, sender_name


class Command(BaseCommand):
    help = (
        "Send the diary reminders that are due now, by email or text, in each patient's "
        "language. Runs once (cron, a systemd timer) or, with --loop, every "
        "REMINDER_LOOP_SECONDS. Safe to run on several machines at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running, one round a while")
        parser.add_argument(
            "--interval",
            type=int,
            default=None,
            help="seconds between rounds with --loop (default REMINDER_LOOP_SECONDS)",
        )

    def handle(
        self, *args: Any, loop: bool = False, interval: float | None = None, **options: Any
    ) -> None:
        if not settings.SITE_URL and not settings.DEBUG:
            raise CommandError(
                "Set SITE_URL to the address patients reach the site at: reminders carry links."
            )
        interval = settings.REMINDER_LOOP_SECONDS if interval is None else interval
        sender = sender_name()
        while True:
            result = run_round(sender=sender)
            self.stdout.write(self.summary(result))
            if not loop:
                if result.count("failed"):
                    raise CommandError(f"{result.count('failed')} reminder(s) failed: see the log.")
                return
            time.sleep(interval)
            # A long-running worker: a connection broken or too old while asleep is replaced.
            close_old_connections()

    def summary(self, result: Round) -> str:
        when = display.clock(timezone.now())
        if result.quiet:
            return f"{when}: quiet hours, nothing sent."
        return (
            f"{when}: {result.planned} due, {result.count('sent')} sent, "
            f"{result.count('failed')} failed, {result.count('not_sent')} not sent."
        )
