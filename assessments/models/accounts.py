import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .limits import staff_member

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Unambiguous letters and digits (no 0/O, 1/I/L), read aloud or typed from a note.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def code_digest(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


class EnrolmentCode(models.Model):
    """A one-time code from an administrator that lets a user enrol a first authenticator.

    With OTP_REQUIRED on, a stolen password alone must not be enough to enrol the thief's
    phone; this code reaches the real user another way (in person, by phone). Only its
    SHA-256 is stored: the code is shown once, when issued.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = staff_member(null=True, editable=False)
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    used_at = models.DateTimeField(null=True, editable=False)
    # The authenticator this code enrolled: with OTP_REQUIRED, only such a device counts for
    # a clinician or superuser (one enrolled on a password alone, as a nurse, does not).
    device = models.OneToOneField(
        TOTPDevice,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="enrolment_code",
    )
    if TYPE_CHECKING:
        # The code itself, held on the unsaved row by the admin that issues it (shown once).
        plain_code: str

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = "two-factor enrolment code"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")),
                name="assessments_enrolmentcode_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"Enrolment code #{self.pk} for user #{self.user_id}"

    def prepare(self) -> str:
        """Give this unsaved row a new code (earlier open codes stop working); returns it."""
        now = timezone.now()
        EnrolmentCode.objects.filter(
            user_id=self.user_id, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now + timedelta(microseconds=1))
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        self.digest = code_digest(code)
        self.issued_at = now
        self.expires_at = now + timedelta(hours=settings.ENROLMENT_CODE_HOURS)
        return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))

    @classmethod
    def issue(cls, user: "User", *, issued_by: "User | None" = None) -> tuple["EnrolmentCode", str]:
        """A new code for `user`: returns (the saved row, the code to hand over)."""
        row = cls(user=user, issued_by=issued_by)
        code = row.prepare()
        row.save()
        return row, code

    @classmethod
    def valid_for(cls, user: "User", code: str) -> "EnrolmentCode | None":
        """The unused, unexpired code `code` of `user`, or None."""
        return cls.objects.filter(
            user=user,
            digest=code_digest(code),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).first()

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
