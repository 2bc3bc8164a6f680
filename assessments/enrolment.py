"""Enrolling an authenticator (TOTP) at /account/two-factor/.

With OTP_REQUIRED on, superusers and clinicians are held here until they enrol, and their
first authenticator needs an enrolment code that an administrator issued (see
models.EnrolmentCode): a stolen password alone cannot enrol the thief's phone. The secret
is shown only after that code is accepted, on a device made fresh for that moment.
"""

import base64
from io import BytesIO
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from axes.helpers import get_credentials
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import AuthenticatedHttpRequest
from .models import EnrolmentCode
from .two_factor import has_authenticator, needs_two_factor, verified_by_trusted_device

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ACCEPTED_CODE = "enrolment_code_id"


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="Enrolment code from your administrator",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text="Twelve letters and digits, e.g. ABCD-EFGH-JKMN. Ask an administrator for one.",
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def needs_enrolment_code(user: "User") -> bool:
    return settings.OTP_REQUIRED and needs_two_factor(user)


def safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


def accepted_code(request: AuthenticatedHttpRequest) -> EnrolmentCode | None:
    accepted = request.session.get(ACCEPTED_CODE)
    if accepted is None:
        return None
    code = EnrolmentCode.objects.filter(pk=accepted, user=request.user).first()
    return code if code is not None and code.is_usable else None


def fresh_device(user: "User") -> TOTPDevice:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator")


def check_enrolment_code(
    request: AuthenticatedHttpRequest,
) -> tuple[EnrolmentCodeForm | None, HttpResponse | None]:
    """The code step: accept a valid code (and make a fresh device), or count a failure."""
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = EnrolmentCode.valid_for(request.user, form.cleaned_data["code"])
        if code is not None:
            request.session[ACCEPTED_CODE] = code.pk
            fresh_device(request.user)
            return None, redirect(request.get_full_path())
        user_login_failed.send(
            sender=__name__,
            credentials=get_credentials(request.user.get_username()),
            request=request,
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)
        form.add_error("code", "That enrolment code is not valid, or it has expired or been used.")
    return form, None


@login_required
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Add a TOTP authenticator: (enrolment code,) scan, confirm one token, verified."""
    target = safe_next(request)
    user = request.user
    if verified_by_trusted_device(user):
        return render(request, "registration/two_factor_done.html", {"next": target})
    if has_authenticator(user):
        # Enrolled, but this session was not verified: sign in again with a code.
        messages.info(request, "Sign in again with your authenticator code.")
        return redirect(reverse("admin:logout"))
    code = None
    if needs_enrolment_code(user):
        code = accepted_code(request)
        if code is None:
            code_form, done = check_enrolment_code(request)
            if done is not None:
                return done
            return render(
                request, "registration/two_factor_code.html", {"form": code_form, "next": target}
            )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or fresh_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            if code is not None:
                EnrolmentCode.objects.filter(pk=code.pk).update(
                    used_at=timezone.now(), device=device
                )
                request.session.pop(ACCEPTED_CODE, None)
                # Authenticators that no longer count (enrolled without a code) are replaced.
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(target)
        form.add_error(
            "token", "That code is not valid. Check the time on your phone and try again."
        )
    context = {
        "form": form,
        "secret": base64.b32encode(device.bin_key).decode(),
        "qr": qr_data_uri(device.config_url),
        "required": settings.OTP_REQUIRED and needs_two_factor(user),
        "next": target,
    }
    return render(request, "registration/two_factor_enrol.html", context)
