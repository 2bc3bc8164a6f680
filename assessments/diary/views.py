"""The patient's diary pages: open to anyone with the link, phone-first, first name only.

Opening the link (GET) never records or consumes anything, since mail scanners pre-open
links; only a POST records, one reading at a time.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import display
from ..forms import add_service_errors
from ..models import DiaryLink
from . import services
from .forms import PatientEntryForm
from .language import in_patient_language
from .schedule import due_slot


def closed(request, link, message, status=410):
    context = {"link": link, "message": message, "first_name": first_name(link)}
    return render(request, "diary/closed.html", context, status=status)


def first_name(link):
    return link.injection.patient.given_name if link else ""


@never_cache
@in_patient_language
def entry(request, token):
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
    readings = list(injection.readings.all())
    slot = due_slot(injection.diary(readings), timezone.now())
    context = {
        "form": form,
        "first_name": first_name(link),
        "slot": slot,
        "slot_time": display.patient_date_time(slot.at) if slot else "",
        "slot_to_come": slot is not None and slot.at > timezone.now(),
        "entries": sum(1 for reading in readings if reading.diary_link_id == link.pk),
    }
    return render(request, "diary/entry.html", context)


@never_cache
@in_patient_language
def thanks(request, token):
    link = DiaryLink.from_token(token)
    if link is None:
        return closed(request, None, _("This diary link is not valid."), 404)
    return render(request, "diary/thanks.html", {"first_name": first_name(link), "token": token})
