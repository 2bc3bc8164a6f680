"""Two-factor sign-in (TOTP) and the client address behind trusted proxies.

There is one login page (the admin's). A user with a confirmed authenticator must give a
token there. When OTP_REQUIRED is on, superusers and clinicians (anyone who can sign off)
who have not enrolled are held on the enrolment page until they do.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from axes.helpers import get_credentials
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .access import VerifiedUser

ENROL_URL_NAME = "two_factor_enrol"


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address the Nth trusted proxy saw (TRUSTED_PROXY_COUNT=N)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def needs_two_factor(user: "User") -> bool:
    return user.is_superuser or user.has_perm("assessments.sign_injection")


def trusted_devices(user: "User") -> "QuerySet[TOTPDevice]":
    """The confirmed authenticators that count for `user`. With OTP_REQUIRED, a clinician's
    or superuser's counts only if an enrolment code enrolled it: a device enrolled on a
    password alone (as a nurse, or before OTP_REQUIRED) does not carry over a promotion."""
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    if settings.OTP_REQUIRED and needs_two_factor(user):
        devices = devices.filter(enrolment_code__isnull=False)
    return devices


def has_authenticator(user: "User") -> bool:
    return trusted_devices(user).exists()


def verified_by_trusted_device(user: "VerifiedUser") -> bool:
    """Whether this session's code came from an authenticator that counts for `user`."""
    device = getattr(user, "otp_device", None)
    return (
        user.is_verified()
        and isinstance(device, TOTPDevice)
        and trusted_devices(user).filter(pk=device.pk).exists()
    )


class TwoFactorLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin login, asking for a token from users who have an authenticator.

    A wrong password and a wrong (or missing) code get the same message, so the page never
    tells an attacker that the password was right; a wrong code counts towards the lockout
    like a wrong password.
    """

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label="Authenticator code",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Six digits from your authenticator app, if you have enrolled one.",
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter a correct username and password, and your authenticator code if "
            "you have enrolled one. Note that both fields may be case-sensitive."
        ),
        "inactive": AdminAuthenticationForm.error_messages["invalid_login"],
    }

    def _chosen_device(self, user: "User") -> TOTPDevice | None:
        # Users enrol one authenticator here, so there is no device picker; a device named
        # in the post is not taken either (it might be one that does not count, see
        # trusted_devices).
        return trusted_devices(user).select_for_update().first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and has_authenticator(user):
            try:
                self.clean_otp(user)
            except forms.ValidationError:
                user_login_failed.send(
                    sender=__name__,
                    credentials=get_credentials(user.get_username()),
                    request=self.request,
                )
                raise self.get_invalid_login_error() from None
        return cleaned


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            settings.OTP_REQUIRED
            and user is not None
            and user.is_authenticated
            and needs_two_factor(user)
            and not verified_by_trusted_device(user)
            and not self.exempt(request.path)
        ):
            return redirect(f"{reverse(ENROL_URL_NAME)}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def exempt(path: str) -> bool:
        allowed = [reverse(ENROL_URL_NAME), reverse("admin:logout"), settings.STATIC_URL]
        return any(
            path.startswith(prefix if prefix.startswith("/") else f"/{prefix}")
            for prefix in allowed
        )
