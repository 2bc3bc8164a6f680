"""Registering an injection, and the injection page."""

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import display, services
from ..access import AuthenticatedHttpRequest, staff_required
from ..diary import services as diary
from ..diary.links import absolute_url
from ..forms import NewInjectionForm, add_service_errors
from ..models import DiaryLink, Injection, Patient
from ..models.result import window_open
from ..record import build_record
from .fragments import kept, next_minute, render_blocks


def known_patient(request: HttpRequest) -> dict[str, Any]:
    """The patient's details to start from, when the page was opened for one (?patient=id)."""
    wanted = request.GET.get("patient", "")
    patient = Patient.objects.filter(pk=wanted).first() if wanted.isdigit() else None
    if patient is None:
        return {}
    fields = ["mrn", "family_name", "given_name", "date_of_birth", "sex", "phone"]
    return {name: getattr(patient, name) for name in fields}


@staff_required(
    read=("assessments.add_injection",),
    write=("assessments.add_patient", "assessments.add_painreading"),
)
def new_injection(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewInjectionForm(request.POST or None, user=request.user, initial=known_patient(request))
    if request.method == "POST" and not form.is_valid():
        # The record's own checks too, so every error shows in this one round trip.
        form.add_registration_errors(
            services.registration_errors(**form.registration(request.user))
        )
    elif request.method == "POST":
        try:
            injection = services.register_injection(**form.registration(request.user))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            performed = display.date_time(injection.performed_at, weekday=True)
            messages.success(
                request,
                f"Injection registered for MRN {injection.patient.mrn} ({injection.side}), "
                f"performed {performed}. The {display.window_label()} reading is due "
                f"{display.day_text(display.local(injection.performed_at).date())}, "
                f"{display.window_times(injection.performed_at)}.",
            )
            # Today's injections wait on the board; an earlier one is not on it.
            if timezone.localdate(injection.performed_at) == timezone.localdate():
                return redirect("assessments:board")
            return redirect("assessments:injection_detail", injection.pk)
    return render(request, "assessments/new_injection.html", {"form": form})


# The record template's blocks, rendered one by one; the diary link and its forms go between.
RECORD_PARTS = ("record_head", "record_diary_actions", "record_tail")
# Every permission _injection_record.html asks about: the kept record is per combination.
RECORD_PERMISSIONS = (
    "assessments.add_painreading",
    "assessments.change_painreading",
    "assessments.sign_injection",
    "assessments.change_injection",
    "assessments.add_workup",
    "assessments.change_workup",
)


def injection_record(
    request: HttpRequest, pk: int, now: datetime
) -> tuple[tuple[tuple[str, ...], str], datetime]:
    """The page's record part (summary, result, readings, diary times) and why no new diary
    link can be made ("" when one can), as ((html, refusal), until)."""
    record = build_record(get_object_or_404(Injection.objects.for_record(), pk=pk), now=now)
    injection = record.injection
    for row in record.readings:
        # Marks the readings table shows beside the withdrawn ones (`shown`).
        row.reading.not_counted_why = row.not_counted_why
    parts = render_blocks(
        "assessments/_injection_record.html",
        RECORD_PARTS,
        {
            "record": record,
            "injection": injection,
            "signoff": record.signoff,
            "shown": record.shown(),
            "evaluation": record.evaluation,
            "result": record.result,
            "criteria": record.criteria,
            "decisive": record.decisive.reading if record.decisive else None,
            "baseline": record.baseline.reading if record.baseline else None,
            "relief": record.relief,
            "diary": record.diary,
            "coverage": record.coverage,
            "slots": record.slots,
            "counted": {row.reading.pk for row in record.readings if row.counted},
            "after_signoff": {row.reading.pk for row in record.readings if row.after_signoff},
            "correctable": {row.reading.pk for row in record.readings if row.correctable},
            "profile": record.profile,
            "follow_up_open": injection.follow_up_open(now),
            "window_open": window_open(injection.performed_at, now),
            "week_ends": injection.follow_up_ends_at - timedelta(minutes=1),
        },
        request=request,
    )
    # The page changes by the clock alone when the window opens and closes, and when the
    # follow-up week of a signed record (or the diary's) ends.
    moments = [
        injection.window_opens_at,
        injection.window_closes_at,
        injection.follow_up_ends_at,
        DiaryLink.expiry(injection),
    ]
    until = min([next_minute(now), *(moment for moment in moments if moment > now)])
    return (parts, diary.link_refusal(injection, now)), until


@staff_required
def injection_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The injection's page. The record's parts are kept until a write or the next minute
    (views/fragments.py); the diary link and its forms (a CSRF token) are made per request."""
    now = timezone.now()
    user = request.user
    allowed = "".join("1" if user.has_perm(name) else "0" for name in RECORD_PERMISSIONS)
    key = ("injection", pk, allowed)
    record, refusal = kept(key, now, lambda: injection_record(request, pk, now))
    link = DiaryLink.current(pk)
    return render(
        request,
        "assessments/injection_detail.html",
        {
            "pk": pk,
            "record": [mark_safe(part) for part in record],  # noqa: S308 - rendered
            "diary_link": link,
            "diary_url": absolute_url(link, request) if link else "",
            "link_refusal": "" if link else refusal,
        },
    )
