"""One round of reminders: plan what is due, then claim, send and record each one.

Safe on several machines at once. Planning inserts one row per diary link and slot (a
unique constraint: a second sender's insert is ignored). Each row is claimed in its own
short transaction: `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (another sender skips
a row being claimed), the IMMEDIATE transaction on SQLite (one writer at a time), and the
claim is an UPDATE from "pending" that only one sender can win. The message goes out after
the claim has committed, and the result is recorded with a send-log row: a sender that dies
in between leaves the row "sending", never sent twice.
"""

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from ..models import DiaryLink, PainReading, Patient, Reminder, ReminderSend
from . import sms
from .messages import compose
from .timing import in_quiet_hours, same_slot, slot_to_remind

log = logging.getLogger(__name__)
# The values stored (Reminder.Status, Reminder.Channel), as plain strings.
PENDING, SENDING, SENT, FAILED, NOT_SENT = "pending", "sending", "sent", "failed", "not_sent"
EMAIL, SMS = "email", "sms"


def sender_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def zone() -> tzinfo:
    return timezone.get_default_timezone()


def quiet(now: datetime) -> bool:
    return in_quiet_hours(now.astimezone(zone()).time(), settings.REMINDER_QUIET_HOURS)


def channel_for(patient: Patient) -> tuple[str, str] | None:
    """(channel, address) a reminder goes by: email first, else a text when texts are on."""
    if patient.email:
        return EMAIL, patient.email
    if patient.mobile and settings.SMS_BACKEND:
        return SMS, patient.mobile
    return None


def allowed_patients() -> Q:
    consented = Q(injection__patient__reminder_consent_at__isnull=False) & (
        Q(injection__patient__reminders_stopped_at__isnull=True)
        | Q(
            injection__patient__reminders_stopped_at__lt=F(
                "injection__patient__reminder_consent_at"
            )
        )
    )
    reachable = ~Q(injection__patient__email="")
    if settings.SMS_BACKEND:
        reachable |= ~Q(injection__patient__mobile="")
    return consented & reachable


def working_links(now: datetime) -> Any:
    """Diary links that may be reminded about: working, consent and an address. A signed
    record is reminded about too: the sign-off locks the block, not the patient's week."""
    readings = PainReading.objects.live().only("injection_id", "recorded_at")
    return (
        DiaryLink.objects.filter(revoked_at=None, expires_at__gt=now)
        .filter(allowed_patients())
        .select_related("injection__patient")
        .prefetch_related(Prefetch("injection__readings", queryset=readings))
    )


def patient_slots(injection: Any, readings: Any) -> list[Any]:
    """The diary's slots a patient fills: after the 20–30 minute window, which is the
    clinic's (the diary refuses earlier times)."""
    starts = injection.window_closes_at
    return [slot for slot in injection.diary(readings) if slot.at > starts]


def plan(now: datetime) -> int:
    """Insert a pending reminder for each link whose slot is due; returns how many links
    had one (rows another sender inserted first are left as they are)."""
    due = []
    for link in working_links(now):
        injection = link.injection
        slot = slot_to_remind(
            patient_slots(injection, injection.readings.all()),
            now,
            zone=zone(),
            quiet=settings.REMINDER_QUIET_HOURS,
        )
        if slot is not None:
            due.append(
                Reminder(
                    diary_link=link,
                    slot_minutes=slot.minutes,
                    slot_day=slot.day,
                    slot_at=slot.at,
                    planned_at=now,
                )
            )
    Reminder.objects.bulk_create(due, ignore_conflicts=True)
    return len(due)


def claim(now: datetime, sender: str) -> Reminder | None:
    """The next pending reminder, claimed for `sender`; None when none is left."""
    while True:
        with transaction.atomic():
            pending = (
                Reminder.objects.filter(status=PENDING)
                .order_by("slot_at", "pk")
                .select_for_update(skip_locked=True)
            )
            pk = pending.values_list("pk", flat=True).first()
            if pk is None:
                return None
            won = Reminder.objects.filter(pk=pk, status=PENDING).update(
                status=SENDING, claimed_at=now, claimed_by=sender
            )
        if won:
            return Reminder.objects.select_related("diary_link__injection__patient").get(pk=pk)


def why_not(reminder: Reminder, now: datetime) -> str:
    """Why a claimed reminder must not go after all (staff read it); "" when it may."""
    link = reminder.diary_link
    injection = link.injection
    patient = injection.patient
    if link.revoked_at is not None:
        return "diary link switched off"
    if now >= link.expires_at:
        return "diary link ended"
    if not injection.follow_up_open(now):
        return "follow-up week of the signed record over"
    if not patient.reminders_allowed:
        return "patient opted out" if patient.reminders_stopped_at else "no consent"
    if channel_for(patient) is None:
        return "no email or mobile number"
    slots = patient_slots(injection, injection.readings.live())
    if any(
        same_slot(slot, reminder.slot_minutes, reminder.slot_day) and slot.filled for slot in slots
    ):
        return "slot filled"
    slot = slot_to_remind(slots, now, zone=zone(), quiet=settings.REMINDER_QUIET_HOURS)
    if slot is None or not same_slot(slot, reminder.slot_minutes, reminder.slot_day):
        return "no longer due"
    return ""


def deliver(channel: str, address: str, reminder: Reminder) -> str:
    """Send; the provider's reference (an email's Message-ID, Twilio's SID)."""
    message = compose(reminder)
    if channel == SMS:
        backend = sms.backend()
        if backend is None:
            raise sms.SmsError("text messages are switched off (SMS_BACKEND)")
        return backend.send(address, message.text)
    message_id = make_msgid()
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[address],
        headers={
            "Message-ID": message_id,
            "Content-Language": message.language,
            "Auto-Submitted": "auto-generated",
            # One tap in the mail app (RFC 8058): a POST to the opt-out page.
            "List-Unsubscribe": f"<{message.opt_out_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.send(fail_silently=False)
    return message_id[:100]


@transaction.atomic
def finish(
    reminder: Reminder,
    status: str,
    *,
    now: datetime,
    why: str = "",
    send: ReminderSend | None = None,
) -> None:
    Reminder.objects.filter(pk=reminder.pk, status=SENDING).update(
        status=status,
        channel=send.channel if send else "",
        finished_at=now,
        why_not_sent=why[:100],
    )
    if send is not None:
        send.save()


def send_one(reminder: Reminder, sender: str) -> str:
    """Send a claimed reminder and record what happened; returns the status."""
    now = timezone.now()
    why = why_not(reminder, now)
    if why:
        finish(reminder, NOT_SENT, now=now, why=why)
        return NOT_SENT
    how = channel_for(reminder.diary_link.injection.patient)
    assert how is not None  # why_not() said so
    channel, address = how
    send = ReminderSend(reminder=reminder, channel=channel, recipient=address, sender=sender)
    try:
        send.provider_reference = deliver(channel, address, reminder)
    except Exception as error:  # noqa: BLE001 - any failure is recorded for staff
        send.delivered = False
        send.error = f"{type(error).__name__}: {error}"[:500]
        log.warning("Reminder #%s by %s failed: %s", reminder.pk, channel, send.error)
    else:
        send.delivered = True
        log.info("Reminder #%s sent by %s", reminder.pk, channel)
    send.at = timezone.now()
    status = SENT if send.delivered else FAILED
    finish(reminder, status, now=send.at, send=send)
    return status


@dataclass
class Round:
    planned: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    quiet: bool = False

    def count(self, status: str) -> int:
        return self.outcomes.get(status, 0)


def run_round(now: datetime | None = None, sender: str | None = None) -> Round:
    """Plan what is due now and send it all. In the quiet hours, nothing."""
    now = now or timezone.now()
    sender = sender or sender_name()
    if quiet(now):
        return Round(quiet=True)
    result = Round(planned=plan(now))
    while (reminder := claim(now, sender)) is not None:
        status = send_one(reminder, sender)
        result.outcomes[status] = result.outcomes.get(status, 0) + 1
    return result
