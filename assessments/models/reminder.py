"""Diary reminders: one row per diary link and slot (the claim), and the send log.

A row is planned when its slot is due, claimed by one sender (a row lock on PostgreSQL,
the IMMEDIATE transaction on SQLite), sent, and finished: sent, failed or not sent (the
slot was filled, the link switched off, the patient opted out before it went). A row
claimed by a sender that died stays "sending": it is never sent twice.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .diary import DiaryLink
from .limits import choice_values, length_constraint


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class Status(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    NOT_SENT = "not_sent", "Not sent"


class Reminder(models.Model):
    Status = Status
    Channel = Channel

    diary_link = models.ForeignKey(DiaryLink, on_delete=models.PROTECT, related_name="reminders")
    slot_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    slot_day = models.PositiveSmallIntegerField(null=True, blank=True)
    slot_at = models.DateTimeField()
    planned_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    channel = models.CharField(max_length=5, choices=Channel.choices, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)  # host:pid of the sender
    finished_at = models.DateTimeField(null=True, blank=True)
    why_not_sent = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["slot_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__isnull=True) ^ Q(slot_day__isnull=True),
                name="assessments_reminder_one_slot",
            ),
            models.UniqueConstraint(
                fields=["diary_link", "slot_minutes"],
                condition=Q(slot_minutes__isnull=False),
                name="assessments_reminder_once_per_hour_slot",
            ),
            models.UniqueConstraint(
                fields=["diary_link", "slot_day"],
                condition=Q(slot_day__isnull=False),
                name="assessments_reminder_once_per_day_slot",
            ),
            models.CheckConstraint(
                condition=Q(status__in=choice_values(Status)),
                name="assessments_reminder_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel="") | Q(channel__in=choice_values(Channel)),
                name="assessments_reminder_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(claimed_at__isnull=False),
                name="assessments_reminder_claimed_unless_pending",
            ),
            length_constraint("assessments_reminder_claimed_by_length", "claimed_by", 100),
            length_constraint("assessments_reminder_why_length", "why_not_sent", 100),
        ]
        indexes = [models.Index(fields=["status", "slot_at"])]

    def __str__(self) -> str:
        return f"Reminder #{self.pk} of diary link #{self.diary_link_id}"

    @property
    def slot_words(self) -> str:
        """ "30 min" or "day 3", for staff."""
        if self.slot_minutes is not None:
            return f"{self.slot_minutes} min"
        return f"day {self.slot_day}"


class ReminderSend(models.Model):
    """One attempt to deliver a reminder: where to, and the provider's answer or the error.
    Never the message itself. Append-only (assessments/triggers.py)."""

    reminder = models.ForeignKey(Reminder, on_delete=models.PROTECT, related_name="sends")
    at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=5, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    delivered = models.BooleanField()
    provider_reference = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=500, blank=True)
    sender = models.CharField(max_length=100)  # host:pid

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=choice_values(Channel)),
                name="assessments_remindersend_channel_valid",
            ),
            models.CheckConstraint(
                condition=Q(delivered=True) | ~Q(error=""),
                name="assessments_remindersend_failure_has_error",
            ),
            length_constraint("assessments_remindersend_error_length", "error", 500),
            length_constraint("assessments_remindersend_recipient_length", "recipient", 254),
        ]

    def __str__(self) -> str:
        return f"Reminder send #{self.pk} (reminder #{self.reminder_id})"
