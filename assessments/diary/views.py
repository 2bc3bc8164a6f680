"""The patient's diary pages: open to anyone with the link, phone-first, first name only.

Opening the link (GET) never records or consumes anything, since mail scanners pre-open
links; only a POST records, one reading at a time.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import display
from ..forms import add_service_errors
from ..models import DiaryLink
from ..rules.schedule import due_slot
from . import services
from .forms import PatientEntryForm
from .language import in_patient_language


def closed(
    request: HttpRequest, link: DiaryLink | None, message: str, status: int = 410
) -> HttpResponse:
    # A closed link (switched off, forwarded, the week over) greets nobody by name.
    context = {
        "link": link,
        "message": message,
        "first_name": "",
        "posted": request.method == "POST",
    }
    return render(request, "diary/closed.html", context, status=status)


def first_name(link: DiaryLink | None) -> str:
    """The patient's first name, only while their link works."""
    return link.injection.patient.given_name if link and not link.refusal() else ""


@never_cache
@in_patient_language
def entry(request: HttpRequest, token: str) -> HttpResponse:
    link = DiaryLink.from_token(token)
    if link is None:
        return closed(
            request,
            None,
            _("This diary link is not valid. Please check it, or call the clinic."),
            404,
        )
    refusal = link.refusal()
    if refusal:
        return closed(request, link, refusal)
    form = PatientEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_patient_entry(link, **form.cleaned_data)
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code in ("closed", "rate"):
                return closed(request, link, error.messages[0], 429 if code == "rate" else 410)
            add_service_errors(form, error)
        else:
            return redirect("diary:thanks", token)
    injection = link.injection
    now = timezone.now()
    readings = list(injection.readings.live())
    # The patient's diary starts when the clinic's own 20–30 minute readings end.
    starts = injection.window_closes_at
    slots = [slot for slot in injection.diary(readings) if slot.at > starts]
    slot = due_slot(slots, now)
    context = {
        "form": form,
        "first_name": first_name(link),
        "slot": slot,
        "slot_time": display.patient_date_time(slot.at) if slot else "",
        "slot_to_come": slot is not None and slot.at > now,
        "starts": display.patient_date_time(starts) if now <= starts else "",
        "entries": sum(1 for reading in readings if reading.diary_link_id == link.pk),
    }
    return render(request, "diary/entry.html", context)


@never_cache
@in_patient_language
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    link = DiaryLink.from_token(token)
    if link is None:
        return closed(request, None, _("This diary link is not valid."), 404)
    return render(request, "diary/thanks.html", {"first_name": first_name(link), "token": token})
