import secrets
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from .injection import Injection
from .limits import length_constraint, staff_member

if TYPE_CHECKING:
    from django.contrib.auth.models import User

LINK_SALT = "assessments.diary-link"


class DiaryLink(models.Model):
    """A patient's link to their own diary for one injection.

    The URL carries a random nonce signed with SECRET_KEY, so it cannot be guessed or forged,
    and the same link can be shown again (on the page, the handout) until staff revoke it.
    """

    injection = models.ForeignKey(Injection, on_delete=models.PROTECT, related_name="diary_links")
    nonce = models.CharField(max_length=43, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = staff_member(null=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = staff_member(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="assessments_diarylink_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="assessments_diarylink_revoked_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Diary link #{self.pk} of injection #{self.injection_id}"

    def get_absolute_url(self) -> str:
        return reverse("diary:entry", args=[self.token])

    @staticmethod
    def expiry(injection: Injection) -> datetime:
        """When a link of `injection` stops working: the end of follow-up day DIARY_LINK_DAYS
        (clinic zone)."""
        zone = timezone.get_default_timezone()
        last_day = timezone.localdate(injection.performed_at, zone) + timedelta(
            days=settings.DIARY_LINK_DAYS + 1
        )
        return timezone.make_aware(datetime.combine(last_day, time.min), zone)

    @classmethod
    def issue(cls, injection: Injection, *, created_by: "User | None" = None) -> "DiaryLink":
        """A new link for `injection`, valid until the end of follow-up day DIARY_LINK_DAYS.
        The caller checks that day is still to come (diary.services.diary_link)."""
        expires_at = cls.expiry(injection)
        return cls.objects.create(
            injection=injection,
            nonce=secrets.token_urlsafe(32),
            created_by=created_by,
            expires_at=expires_at,
        )

    @classmethod
    def current(cls, injection: Injection | int) -> "DiaryLink | None":
        """The newest link that still works, or None."""
        now = timezone.now()
        return (
            cls.objects.filter(injection=injection, revoked_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )

    @property
    def token(self) -> str:
        return signing.Signer(salt=LINK_SALT).sign(self.nonce)

    @classmethod
    def from_token(cls, token: str) -> "DiaryLink | None":
        """The link a token names, or None for a forged or malformed one."""
        try:
            nonce = signing.Signer(salt=LINK_SALT).unsign(token)
        except signing.BadSignature:
            return None
        return cls.objects.select_related("injection__patient").filter(nonce=nonce).first()

    def refusal(self, now: datetime | None = None) -> str:
        """Why the link cannot take an entry now, in the patient's words; "" when it can.

        A sign-off does not close the diary: the clinician signs the block on the day, and
        the week's entries are what the duration of relief is read from.
        """
        now = now or timezone.now()
        if self.revoked_at is not None:
            return _("This diary link has been switched off by the clinic.")
        if now >= self.expires_at or not self.injection.follow_up_open(now):
            return _("This diary link has ended: your follow-up week is over.")
        return ""


class FollowUpCall(models.Model):
    """A phone call to a patient in their follow-up week: a score was given, or no answer."""

    class Outcome(models.TextChoices):
        REACHED = "reached", "Reached: score recorded"
        NO_ANSWER = "no_answer", "No answer"

    injection = models.ForeignKey(
        Injection, on_delete=models.PROTECT, related_name="follow_up_calls"
    )
    called_at = models.DateTimeField(default=timezone.now)
    called_by = staff_member()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-called_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["reached", "no_answer"]),
                name="assessments_followupcall_outcome_valid",
            ),
            length_constraint("assessments_followupcall_note_length", "note", 200),
        ]

    def __str__(self) -> str:
        return f"Follow-up call #{self.pk} for injection #{self.injection_id}"
