"""What the reminder tests share: a real SMTP server on 127.0.0.1 (aiosmtpd) and a patient
who agreed to reminders, in a clinic in Madrid, on a fixed day.

conftest.py loads this module as a plugin, so every test module can use the fixtures.
"""

import socket
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from assessments.models import DiaryLink

MADRID = ZoneInfo("Europe/Madrid")
# The injection: Tuesday 3 March 2026, 09:00 in Madrid. Its hour slots run to 17:00, its
# daily slots are at 18:00 on 4-10 March, and the week is over at midnight on 10 March.
INJECTED = datetime(2026, 3, 3, 9, 0, tzinfo=MADRID)
SITE = "https://si.example.org"


def at(day, hour, minute=0):
    """A moment in March 2026, clinic time."""
    return datetime(2026, 3, day, hour, minute, tzinfo=MADRID)


@dataclass
class Inbox:
    refuse: str = ""  # an SMTP reply to refuse every message with, e.g. "550 ..."
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.refuse:
            return self.refuse
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1: (the Inbox it fills, its port)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def clinic_settings(settings):
    settings.TIME_ZONE = "Europe/Madrid"
    settings.SITE_URL = SITE
    settings.CLINIC_NAME = "Clínica Sol"
    settings.CLINIC_PHONE = "+34 910 000 000"
    settings.SMS_BACKEND = ""
    settings.REMINDER_QUIET_HOURS = (datetime(1, 1, 1, 21).time(), datetime(1, 1, 1, 8).time())
    return settings


@pytest.fixture
def inbox(smtp_server, clinic_settings):
    """The SMTP server's inbox, with Django sending to it."""
    box, port = smtp_server
    clinic_settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    clinic_settings.EMAIL_HOST = "127.0.0.1"
    clinic_settings.EMAIL_PORT = port
    clinic_settings.EMAIL_TIMEOUT = 10
    clinic_settings.DEFAULT_FROM_EMAIL = "reminders@si.example.org"
    return box


@pytest.fixture
def remindable(make_patient, make_injection, make_user, clinic_settings):
    """remindable(readings=..., **patient fields): an injection at INJECTED (with a
    baseline) of a patient who agreed to reminders, and its diary link."""

    def build(readings=(), **patient_fields):
        nurse = make_user()
        fields = {
            "mrn": "MRN-4242",
            "given_name": "Lucía",
            "family_name": "Zubizarreta",
            "email": "lucia@example.org",
            "preferred_language": "es",
            "reminder_consent_at": INJECTED,
            "reminder_consent_by": nurse,
            **patient_fields,
        }
        injection = make_injection(
            [(-10, 7), *readings], performed_at=INJECTED, patient=make_patient(**fields)
        )
        return DiaryLink.issue(injection, created_by=nurse)

    return build
