"""Two-factor sign-in (TOTP) and the client address behind trusted proxies.

There is one login page (the admin's). A user with a confirmed authenticator must give a
token there. When OTP_REQUIRED is on, superusers and clinicians (anyone who can sign off)
who have not enrolled are held on the enrolment page until they do.
"""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

ENROL_URL_NAME = "two_factor_enrol"


def client_ip(request):
    """REMOTE_ADDR, or the address the Nth trusted proxy saw (TRUSTED_PROXY_COUNT=N)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def needs_two_factor(user):
    return user.is_superuser or user.has_perm("assessments.sign_injection")


def has_authenticator(user):
    return any(True for _ in devices_for_user(user, confirmed=True))


class TwoFactorLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin login, asking for a token from users who have an authenticator."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label="Authenticator code",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Six digits from your authenticator app, if you have enrolled one.",
    )

    def _chosen_device(self, user):
        # Users enrol one authenticator here, so no device picker is needed.
        chosen = super()._chosen_device(user)
        if chosen is None:
            chosen = (
                TOTPDevice.objects.devices_for_user(user, confirmed=True)
                .select_for_update()
                .first()
            )
        return chosen

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and has_authenticator(user):
            self.clean_otp(user)
        return cleaned


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.OTP_REQUIRED
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and needs_two_factor(user)
            and not self.exempt(request.path)
        ):
            return redirect(f"{reverse(ENROL_URL_NAME)}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def exempt(path):
        allowed = [reverse(ENROL_URL_NAME), reverse("admin:logout"), settings.STATIC_URL]
        return any(
            path.startswith(prefix if prefix.startswith("/") else f"/{prefix}")
            for prefix in allowed
        )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def qr_data_uri(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def enrol(request):
    """Add a TOTP authenticator: scan the code, confirm one token, and you are verified."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    if request.user.is_verified():
        return render(request, "registration/two_factor_done.html", {"next": target})
    if has_authenticator(request.user):
        # Enrolled, but this session was not verified: sign in again with a code.
        messages.info(request, "Sign in again with your authenticator code.")
        return redirect(f"{reverse('admin:logout')}")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(target)
        form.add_error(
            "token", "That code is not valid. Check the time on your phone and try again."
        )
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "secret": secret,
        "qr": qr_data_uri(device.config_url),
        "required": settings.OTP_REQUIRED and needs_two_factor(request.user),
        "next": target,
    }
    return render(request, "registration/two_factor_enrol.html", context)
