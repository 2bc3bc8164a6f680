"""Quick score entry from the board, and the follow-up week."""

import copy
import datetime
from datetime import timedelta
from typing import TypedDict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import display, rules, services
from ..access import AuthenticatedHttpRequest, staff_required
from ..display import local_midnight
from ..forms import (
    BaselineForm,
    CorrectionForm,
    FollowUpEntryForm,
    QuickReadingForm,
    add_service_errors,
    local_now,
)
from ..models import Injection, PainReading
from ..rules.schedule import completeness
from .queries import injections_with_readings

WEEK = range(1, rules.FOLLOW_UP_DAYS + 1)


class DayEntry(TypedDict):
    reading: PainReading
    form: FollowUpEntryForm
    target: str  # the form's prefix: "r<reading id>"


class WeekDay(TypedDict):
    number: int  # 1–7 after the injection day
    date: datetime.date
    zone: str | None
    entries: list[DayEntry]
    add_form: FollowUpEntryForm | None  # None for a day still to come
    add_target: str  # the add form's prefix: "d<number>"
    future: bool


def reading_saved_message(saved: services.SavedReading) -> tuple[int, str]:
    """What the nurse needs to hear after saving (`saved`: services.SavedReading): the
    reading, whether it counts, the result in force. A reading that is listed but not counted
    is a warning, with why (messages level)."""
    injection, reading, evaluation = saved.injection, saved.reading, saved.evaluation
    text = f"MRN {injection.patient.mrn}, {injection.side}: {reading.score}/10 ({reading.phase})."
    why = saved.not_counted_why
    if why:
        text += f" Not counted: {why}"
    if injection.is_locked:
        text += " Follow-up after the sign-off: the signed result stands."
    elif evaluation is not None:
        text += f" Result: {display.result_words(injection.result())}"
        if evaluation.percent_reduction is not None:
            text += f", reduction {evaluation.percent_display}"
        text += "."
        if evaluation.at_threshold:
            text += " " + evaluation.at_threshold_sentence
    return (messages.WARNING if why else messages.SUCCESS), text


def say_saved(request: HttpRequest, saved: services.SavedReading) -> None:
    level, text = reading_saved_message(saved)
    messages.add_message(request, level, text)


@staff_required(write=("assessments.add_painreading",))
def quick_reading(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    injection = get_object_or_404(injections_with_readings(), pk=pk)
    readings = list(injection.readings.all())
    baseline = next((r for r in reversed(readings) if r.is_baseline), None)
    unsaved = PainReading(injection=injection, source=PainReading.Source.STAFF)
    if request.method == "POST":
        form = QuickReadingForm(request.POST, instance=unsaved)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in ("score", "recorded_at", "context")}
            try:
                saved = services.add_reading(
                    injection,
                    entered_by=request.user,
                    source=PainReading.Source.STAFF,
                    **fields,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                say_saved(request, saved)
                return redirect("assessments:board")
    else:
        # Post-block pain is rated doing what provoked the baseline: same context.
        context = baseline.context if baseline else PainReading.Context.PROVOKED
        form = QuickReadingForm(
            instance=unsaved, initial={"recorded_at": local_now(), "context": context}
        )
    return render(
        request,
        "assessments/quick_reading.html",
        {
            "injection": injection,
            "result": injection.result(),
            "readings": readings,
            "form": form,
            "can_add": injection.follow_up_open(),
        },
    )


@staff_required(write=("assessments.add_painreading",))
def baseline_reading(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A baseline taken before the injection, recorded as one (never from the after form)."""
    injection = get_object_or_404(injections_with_readings(), pk=pk)
    unsaved = PainReading(injection=injection, source=PainReading.Source.STAFF)
    form = BaselineForm(request.POST or None, instance=unsaved)
    if request.method == "POST" and form.is_valid() and not injection.is_locked:
        try:
            saved = services.add_reading(injection, entered_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            say_saved(request, saved)
            return redirect("assessments:injection_detail", injection.pk)
    return render(
        request,
        "assessments/baseline_reading.html",
        {
            "injection": injection,
            "result": injection.result(),
            "readings": list(injection.readings.all()),
            "form": form,
        },
    )


@staff_required(write=("assessments.add_painreading", "assessments.change_painreading"))
def correct_reading(request: AuthenticatedHttpRequest, pk: int, reading_pk: int) -> HttpResponse:
    """Correct or withdraw one reading, with a reason; the original stays, struck through."""
    injection = get_object_or_404(injections_with_readings(), pk=pk)
    reading = get_object_or_404(
        PainReading.objects.live().select_related("injection"), pk=reading_pk, injection=injection
    )
    locked = injection.reading_lock_message(reading.recorded_at)
    form = CorrectionForm(request.POST or None, reading=reading)
    if request.method == "POST" and form.is_valid() and not locked:
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["action"] == "withdraw":
                services.withdraw_reading(reading, user=request.user, reason=reason)
                messages.success(
                    request,
                    f"Reading withdrawn ({reading.score}/10 at "
                    f"{display.clock(reading.recorded_at)}): it stays on the record, struck "
                    "through.",
                )
            else:
                corrected = services.correct_reading(
                    reading, user=request.user, reason=reason, **form.correction()
                )
                say_saved(request, corrected)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("assessments:injection_detail", injection.pk)
    return render(
        request,
        "assessments/correct_reading.html",
        {
            "injection": injection,
            "result": injection.result(),
            "reading": reading,
            "locked": locked,
            "form": form,
        },
    )


def week_days(
    injection: Injection,
    readings: list[PainReading],
    today: datetime.date,
    bound_form: FollowUpEntryForm | None = None,
    bound_target: str | None = None,
) -> list[WeekDay]:
    """Days 1–7 with their entries and forms; `bound_form` replaces the one it was posted from."""
    performed_day = timezone.localdate(injection.performed_at)
    days: list[WeekDay] = []
    for number in WEEK:
        date = performed_day + timedelta(days=number)
        entries: list[DayEntry] = []
        for reading in readings:
            if reading.follow_up_day != number:
                continue
            target = f"r{reading.pk}"
            form = bound_form if target == bound_target else None
            form = form or FollowUpEntryForm(instance=reading, day_date=date, prefix=target)
            entries.append({"reading": reading, "form": form, "target": target})
        target = f"d{number}"
        add_form = None
        if date <= today:
            add_form = bound_form if target == bound_target else None
            add_form = add_form or FollowUpEntryForm(day_date=date, prefix=target)
        days.append(
            {
                "number": number,
                "date": date,
                "zone": local_midnight(date).tzname(),
                "entries": entries,
                "add_form": add_form,
                "add_target": target,
                "future": date > today,
            }
        )
    return days


def next_place(injection: Injection, saved: PainReading, *, edited: bool) -> str:
    """Where the week page opens after a save: an edit stays on its day; an added entry moves
    on to the next day's form (bedside.js focuses its time box), or stays on the last one."""
    day = saved.follow_up_day
    if edited:
        return f"#day-{day}"
    following = timezone.localdate(injection.performed_at) + timedelta(days=day + 1)
    if day + 1 in WEEK and following <= timezone.localdate():
        day += 1
    return f"#add-d{day}"


def posted_entry_form(
    injection: Injection, readings: list[PainReading], target: str, data: QueryDict
) -> tuple[FollowUpEntryForm, PainReading | None]:
    """The bound form for a POST from the week page, or 404 for a target not on it."""
    performed_day = timezone.localdate(injection.performed_at)
    if target.startswith("d") and target[1:].isdigit() and int(target[1:]) in WEEK:
        date = performed_day + timedelta(days=int(target[1:]))
        unsaved = PainReading(injection=injection)
        return FollowUpEntryForm(data, instance=unsaved, day_date=date, prefix=target), None
    for reading in readings:
        if f"r{reading.pk}" == target and reading.follow_up_day in WEEK:
            date = performed_day + timedelta(days=reading.follow_up_day)
            # A copy, so a rejected edit does not change the entry shown beside the form.
            edited = copy.copy(reading)
            return FollowUpEntryForm(data, instance=edited, day_date=date, prefix=target), reading
    raise Http404("No such follow-up entry on this page.")


@staff_required(write=("assessments.add_painreading", "assessments.change_painreading"))
def follow_up_week(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    injection = get_object_or_404(injections_with_readings(), pk=pk)
    readings = list(injection.readings.all())
    form, target = None, None
    if request.method == "POST":
        target = request.POST.get("target", "")
        form, reading = posted_entry_form(injection, readings, target, request.POST)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form._meta.fields or ()}
            try:
                if reading is None:
                    added = services.add_reading(injection, entered_by=request.user, **fields)
                else:
                    added = services.update_reading(reading, **fields)
                saved = added.reading
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Day {saved.follow_up_day}: {saved.score}/10 at "
                    f"{display.clock(saved.recorded_at)} {'saved' if reading else 'added'}.",
                )
                url = reverse("assessments:follow_up_week", args=[injection.pk])
                return redirect(f"{url}{next_place(injection, saved, edited=reading is not None)}")
    today = timezone.localdate()
    days = week_days(injection, readings, today, form, target)
    return render(
        request,
        "assessments/follow_up_week.html",
        {
            "injection": injection,
            "result": injection.result(),
            "diary": completeness(injection.diary(readings)),
            "days": days,
            "days_with_score": sum(1 for day in days if day["entries"]),
            "day_count": len(WEEK),
            "failed_target": target if form is not None else None,
            "follow_up_open": injection.follow_up_open(),
        },
    )
