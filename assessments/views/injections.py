"""Registering an injection, and the injection page."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import display, services
from ..access import staff_required
from ..coverage_facts import coverage_for
from ..diary import services as diary
from ..diary.links import absolute_url
from ..diary.schedule import completeness
from ..forms import NewInjectionForm, add_service_errors
from ..models import DiaryLink, Patient, primary_profile
from ..models.result import window_open
from .fragments import kept, next_minute
from .queries import injections_with_readings


def known_patient(request):
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
def new_injection(request):
    form = NewInjectionForm(request.POST or None, user=request.user, initial=known_patient(request))
    if request.method == "POST" and form.is_valid():
        try:
            injection = services.register_injection(
                mrn=form.cleaned_data["mrn"],
                patient_details=form.patient_details(),
                injection_fields=form.injection_fields(),
                baseline_score=form.cleaned_data["baseline_score"],
                baseline_at=form.cleaned_data["baseline_at"],
                baseline_context=form.cleaned_data["baseline_context"],
                created_by=request.user,
                confirms_latest=form.cleaned_data["confirms_latest"],
            )
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


RECORD_PARTS = ("<!--diary-link-->", "<!--diary-link-forms-->")
# Every permission _injection_record.html asks about: the kept record is per combination.
RECORD_PERMISSIONS = (
    "assessments.add_painreading",
    "assessments.change_painreading",
    "assessments.sign_injection",
    "assessments.change_injection",
    "assessments.add_workup",
    "assessments.change_workup",
)


def mark_readings(injection, readings, evaluation, signoff, now):
    """Each reading's marks for the table: why one near the window is not counted, whether
    it came after the sign-off, and whether it can still be corrected."""
    counted = set(evaluation.counted)
    for index, reading in enumerate(readings):
        reading.not_counted_why = reading.not_counted_reason(
            counted=index in counted, baseline_context=evaluation.baseline_context
        )
        reading.after_signoff = signoff is not None and reading.created_at > signoff.signed_at
        reading.correctable = not injection.reading_lock_message(reading.recorded_at, now)


def injection_record(request, pk, now):
    """The page's record part (summary, result, readings, diary times) and why no new diary
    link can be made ("" when one can), as ((html, refusal), until)."""
    injection = get_object_or_404(injections_with_readings(withdrawn=True), pk=pk)
    readings = list(injection.readings.all())
    signoff = injection.signoff_in_force()
    # A signed injection shows the evaluation as signed, whatever the settings are now.
    evaluation = injection.evaluation_in_force(signoff, readings, now=now)
    decisive = evaluation.decisive_index
    slots = injection.diary(readings)
    mark_readings(injection, readings, evaluation, signoff, now)
    shown = sorted([*readings, *injection.withdrawn_readings], key=lambda r: (r.recorded_at, r.pk))
    html = render_to_string(
        "assessments/_injection_record.html",
        {
            "injection": injection,
            "signoff": signoff,
            "readings": readings,
            "shown": shown,
            "evaluation": evaluation,
            "result": injection.result_of(evaluation, signoff),
            "criteria": injection.criteria(readings, now=now),
            "decisive": readings[decisive] if decisive is not None else None,
            "baseline": (
                readings[evaluation.baseline_index]
                if evaluation.baseline_index is not None
                else None
            ),
            "relief": injection.relief(readings),
            "diary": completeness(slots),
            "coverage": coverage_for(injection, readings),
            "slots": slots,
            "counted": {readings[i].pk for i in evaluation.counted},
            "after_signoff": {r.pk for r in readings if r.after_signoff},
            "correctable": {r.pk for r in readings if r.correctable},
            "profile": signoff.profile if signoff else primary_profile().key,
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
    return (html, diary.link_refusal(injection, now)), until


@staff_required
def injection_detail(request, pk):
    """The injection's page. The record part is kept until a write or the next minute
    (views/fragments.py); the diary link and its forms (a CSRF token) are made per request."""
    now = timezone.now()
    user = request.user
    key = ("injection", pk, tuple(user.has_perm(name) for name in RECORD_PERMISSIONS))
    record, refusal = kept(key, now, lambda: injection_record(request, pk, now))
    head, rest = record.split(RECORD_PARTS[0], 1)
    middle, tail = rest.split(RECORD_PARTS[1], 1)
    link = DiaryLink.current(pk)
    return render(
        request,
        "assessments/injection_detail.html",
        {
            "pk": pk,
            "record": [mark_safe(part) for part in (head, middle, tail)],  # noqa: S308 - rendered
            "diary_link": link,
            "diary_url": absolute_url(link, request) if link else "",
            "link_refusal": "" if link else refusal,
        },
    )
