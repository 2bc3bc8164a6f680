"""The follow-up call list: patients in their week with no entry today, and their calls."""

from datetime import date, timedelta
from typing import TypedDict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import display, rules
from ..access import AuthenticatedHttpRequest, staff_required
from ..diary import services as diary
from ..display import local_midnight
from ..forms.calls import CallForm, PhoneForm
from ..models import FollowUpCall, Injection, PainReading, Reminder
from ..models.result import InjectionQuerySet


class CallRow(TypedDict):
    """An injection to call today: no entry yet on this follow-up day."""

    injection: Injection
    day: int  # follow-up day, 1–7
    last: PainReading | None  # the latest entry after the injection
    yesterday: bool  # an entry yesterday
    calls: list[FollowUpCall]  # today's calls
    reminder: Reminder | None  # the latest reminder that went or failed


def week_injections(today: date) -> InjectionQuerySet:
    """Injections whose follow-up day 1–7 is today (clinic zone), signed or not (a sign-off
    does not end the week), with what the list shows: readings, and today's calls. Three
    queries, whatever the number."""
    first = local_midnight(today - timedelta(days=rules.FOLLOW_UP_DAYS))
    last = local_midnight(today)
    calls = FollowUpCall.objects.filter(called_at__gte=last).select_related("called_by")
    return (
        Injection.objects.filter(performed_at__gte=first, performed_at__lt=last)
        .select_related("patient")
        .prefetch_related(
            Prefetch("readings", queryset=PainReading.objects.live().order_by("recorded_at", "pk")),
            Prefetch("follow_up_calls", queryset=calls, to_attr="calls_today"),
        )
        .order_by("performed_at")
    )


def latest_reminders(injections: list[int]) -> dict[int, Reminder]:
    """Each injection's latest reminder that went or failed, by injection id: one query."""
    finished = (
        Reminder.objects.filter(
            diary_link__injection__in=injections,
            status__in=[Reminder.Status.SENT, Reminder.Status.FAILED],
        )
        .annotate(injection_id=F("diary_link__injection_id"))
        .order_by("finished_at", "pk")
    )
    # injection_id: the annotation above.
    return {reminder.injection_id: reminder for reminder in finished}


def call_rows(today: date) -> list[CallRow]:
    rows: list[CallRow] = []
    injections = list(week_injections(today))
    reminders = latest_reminders([injection.pk for injection in injections])
    for injection in injections:
        readings = [r for r in injection.readings.all() if not r.is_baseline]
        days = {timezone.localdate(r.recorded_at) for r in readings}
        if today in days:
            continue
        rows.append(
            {
                "injection": injection,
                "day": (today - timezone.localdate(injection.performed_at)).days,
                "last": readings[-1] if readings else None,
                "yesterday": today - timedelta(days=1) in days,
                "calls": injection.calls_today,  # type: ignore[attr-defined]  # Prefetch to_attr
                "reminder": reminders.get(injection.pk),
            }
        )
    rows.sort(key=lambda row: (row["yesterday"], -row["day"], row["injection"].patient.mrn))
    return rows


@staff_required(read=("assessments.add_painreading",))
def call_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST" and "phone" in request.POST:
        return add_phone(request)
    if request.method == "POST":
        return record_call(request)
    today = timezone.localdate()
    return render(
        request,
        "assessments/call_list.html",
        {
            "rows": call_rows(today),
            "today": today,
            "scores": range(11),
            "zone": display.zone_label(),
        },
    )


def record_call(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CallForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("assessments:call_list")
    injection = get_object_or_404(
        Injection.objects.select_related("patient"), pk=form.cleaned_data["injection"]
    )
    reached = form.cleaned_data["score"] is not None
    try:
        diary.record_call(
            injection,
            user=request.user,
            reached=reached,
            score=form.cleaned_data["score"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        what = f"score {form.cleaned_data['score']}/10 saved" if reached else "no answer noted"
        # A mistaken tap is put right where the week's entries are edited.
        week = reverse("assessments:follow_up_week", args=[injection.pk])
        messages.success(
            request,
            format_html(
                'MRN {}: {}. <a href="{}">Change it on the follow-up week</a>.',
                injection.patient.mrn,
                what,
                week,
            ),
        )
    return redirect("assessments:call_list")


def add_phone(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The number for a patient the list cannot call yet; the list comes back at that row."""
    if not request.user.has_perm("assessments.change_patient"):
        raise PermissionDenied
    form = PhoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("assessments:call_list")
    injection = get_object_or_404(
        Injection.objects.select_related("patient"), pk=form.cleaned_data["injection"]
    )
    patient = injection.patient
    if patient.phone:
        messages.error(request, f"MRN {patient.mrn} already has a phone number on file.")
    else:
        patient.phone = form.cleaned_data["phone"]
        patient._change_reason = "Phone number added on the call list"
        patient.save(update_fields=["phone", "updated_at"])
        messages.success(request, f"MRN {patient.mrn}: phone number saved.")
    return redirect(reverse("assessments:call_list") + f"#call-{injection.pk}")
