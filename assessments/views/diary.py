"""Staff side of the patient's diary: the link, the handout, transcribing a paper diary."""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from .. import display, services
from ..access import AuthenticatedHttpRequest, staff_required
from ..access_log import record_report_access
from ..diary import services as diary
from ..diary.links import absolute_url
from ..forms.paper import PaperDiaryFormSet, PaperEntryForm
from ..models import DiaryLink, Injection, PainReading, ReportAccess
from ..reports.data import report_filename
from ..reports.handout import handout_facts, render_handout
from ..rules.schedule import Slot
from .queries import injections_with_readings

if TYPE_CHECKING:
    from django.contrib.auth.models import User

WRITE_READINGS = ("assessments.add_painreading",)


def detail_url(injection: Injection) -> str:
    return reverse("assessments:injection_detail", args=[injection.pk]) + "#diary"


@staff_required(write=WRITE_READINGS)
@require_POST
def issue_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    injection = get_object_or_404(Injection, pk=pk)
    try:
        link = diary.diary_link(injection, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Diary link ready, until {display.date_time(link.expires_at)}.")
    return redirect(detail_url(injection))


@staff_required(write=WRITE_READINGS)
@require_POST
def revoke_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    injection = get_object_or_404(Injection, pk=pk)
    link = DiaryLink.current(injection)
    if link is not None:
        diary.revoke(link, user=request.user)
        messages.success(
            request, "Diary link switched off: the patient can no longer send entries."
        )
    return redirect(detail_url(injection))


@staff_required(read=WRITE_READINGS)
def handout(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The take-home handout. A GET prints the working link; making a link takes a POST
    (the handout button on the injection page), so opening a URL never creates one."""
    injection = get_object_or_404(Injection.objects.select_related("patient"), pk=pk)
    link = DiaryLink.current(injection)
    if link is None and request.method != "POST":
        messages.info(request, "This injection has no diary link yet: make one to print it.")
        return redirect(detail_url(injection))
    if link is None:
        try:
            link = diary.diary_link(injection, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(detail_url(injection))
    pdf = render_handout(handout_facts(injection, absolute_url(link, request), link))
    record_report_access([injection.pk], ReportAccess.Kind.HANDOUT, user=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    performed_on = timezone.localdate(injection.performed_at)
    name = report_filename(injection.patient.mrn, performed_on, injection.pk).replace(
        "si-report", "si-diary-handout"
    )
    response["Content-Disposition"] = content_disposition_header(False, name) or ""
    response["Cache-Control"] = "private, no-store"
    return response


def paper_slots(injection: Injection, readings: list[PainReading], now: datetime) -> list[Slot]:
    """The diary times a paper diary can fill: after the clinic's window, up to now."""
    starts = injection.window_closes_at
    return [slot for slot in injection.diary(readings) if starts < slot.at <= now]


def slot_key(slot: Slot) -> str:
    return slot.at.isoformat()


@staff_required(read=WRITE_READINGS)
def paper_diary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Type in a paper diary: a row per slot that has come, blank rows are skipped. Each row
    carries its slot's time, so a slot that came due after the page was opened is shown
    for checking instead of shifting the rows."""
    injection = get_object_or_404(injections_with_readings(), pk=pk)
    readings = list(injection.readings.all())
    now = timezone.now()
    slots = paper_slots(injection, readings, now)
    keys = [slot_key(slot) for slot in slots]
    initial = [{"slot": key} for key in keys]
    formset = PaperDiaryFormSet(initial=initial)
    if request.method == "POST":
        posted = PaperDiaryFormSet(request.POST, initial=initial)
        # A row left blank has no cleaned data: its slot is read from what was posted.
        if posted.is_valid() and [form["slot"].value() for form in posted] == keys:
            rows = list(zip(slots, posted.forms, strict=True))
            try:
                saved = save_paper_rows(injection, rows, request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                formset = posted
            else:
                messages.success(
                    request, f"{saved} paper diary entr{'y' if saved == 1 else 'ies'} saved."
                )
                return redirect(detail_url(injection))
        elif posted.is_valid():
            formset = PaperDiaryFormSet(initial=carried_over(posted, keys))
            messages.warning(
                request,
                "The diary times changed since this page was opened (a new one has come "
                "due): nothing was saved. Check the rows and save again.",
            )
        else:
            formset = posted
    return render(
        request,
        "assessments/paper_diary.html",
        {
            "injection": injection,
            "result": injection.result(now),
            "formset": formset,
            "rows": list(zip(slots, formset.forms, strict=False)),
        },
    )


def carried_over(posted: Iterable[PaperEntryForm], keys: list[str]) -> list[dict[str, Any]]:
    """Fresh rows for `keys`, keeping what was typed for the slots still on the page."""
    typed = {form["slot"].value(): form.cleaned_data for form in posted}
    return [{**typed.get(key, {}), "slot": key} for key in keys]


@transaction.atomic
def save_paper_rows(
    injection: Injection, rows: Iterable[tuple[Slot, PaperEntryForm]], user: "User"
) -> int:
    saved = 0
    for slot, form in rows:
        if form.cleaned_data.get("score") is None:
            continue
        medication = form.cleaned_data["medication"].strip()
        services.add_reading(
            injection,
            entered_by=user,
            recorded_at=slot.at,
            score=form.cleaned_data["score"],
            context=form.cleaned_data["context"],
            source=PainReading.Source.PAPER,
            medication=medication,
            medication_at=slot.at if medication else None,
            note="Transcribed from the paper diary",
        )
        saved += 1
    return saved
