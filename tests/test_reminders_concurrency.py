"""Two `send_reminders` processes at once on PostgreSQL send each reminder exactly once."""

import asyncio
import os
import random
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from assessments.models import DiaryLink, Reminder, ReminderSend

ROOT = Path(__file__).resolve().parent.parent
REMINDERS = 40


def database_url():
    db = connection.settings_dict
    user = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def quiet_hours_away_from(now):
    """Quiet hours two to three hours from now (clinic time): the run is never in them,
    whatever the hour the suite runs at."""
    local = timezone.localtime(now)
    start, end = local + timedelta(hours=2), local + timedelta(hours=3)
    return f"{start:%H:%M}-{end:%H:%M}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_reminder_exactly_once(
    smtp_server, make_patient, make_injection, make_user
):
    inbox, port = smtp_server

    async def slow_delivery(server, session, envelope, deliver=inbox.handle_DATA):
        # Deliveries of random length, so the two senders' claims drift in and out of step.
        await asyncio.sleep(random.uniform(0.02, 0.3))
        return await deliver(server, session, envelope)

    inbox.handle_DATA = slow_delivery
    now = timezone.now()
    nurse = make_user()
    for number in range(REMINDERS):
        patient = make_patient(
            email=f"patient{number}@example.org",
            reminder_consent_at=now,
            reminder_consent_by=nurse,
        )
        # The 120-minute slot came ten minutes ago, empty: due for every one of them.
        injection = make_injection(
            [(-10, 7), (15, 3), (30, 3), (45, 3), (60, 3)],
            patient=patient,
            performed_at=now - timedelta(minutes=130),
        )
        DiaryLink.issue(injection, created_by=nurse)
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "SITE_URL": "https://si.example.org",
        "REMINDER_QUIET_HOURS": quiet_hours_away_from(now),
        "DEBUG": "0",
        "HTTPS": "0",
    }
    senders = [
        subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [sender.communicate(timeout=240) for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], outputs

    recipients = Counter(address for delivered in inbox.recipients for address in delivered)
    assert len(inbox.messages) == REMINDERS
    assert set(recipients.values()) == {1}
    assert Reminder.objects.filter(status="sent").count() == REMINDERS
    assert ReminderSend.objects.filter(delivered=True).count() == REMINDERS
    by_sender = Counter(ReminderSend.objects.values_list("sender", flat=True))
    assert len(by_sender) == 2, by_sender  # both processes sent some
    sent = sorted(int(out.split(", ")[1].split()[0]) for out, _ in outputs)
    assert sum(sent) == REMINDERS and sent == sorted(by_sender.values())
