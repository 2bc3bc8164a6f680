"""The bedside work-up: record or correct a patient's work-up for one side."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import services
from ..access import AuthenticatedHttpRequest, staff_required
from ..forms import WorkUpForm, add_service_errors
from ..models import Injection, Patient, WorkUp

WRITE_WORK_UPS = ("assessments.add_workup", "assessments.change_workup")


def back_to(patient: Patient, injection_id: int | None) -> str:
    """The injection page the nurse came from (this patient's only), else the search."""
    # pk=None matches no row (the stubs want a value).
    injection = Injection.objects.filter(
        pk=injection_id,  # type: ignore[misc]
        patient=patient,
    ).first()
    if injection is not None:
        return reverse("assessments:injection_detail", args=[injection.pk])
    return reverse("assessments:patient_search") + f"?q={patient.mrn}"


@staff_required(write=WRITE_WORK_UPS)
def work_up(
    request: AuthenticatedHttpRequest, patient_id: int, work_up_id: int | None = None
) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=patient_id)
    record = (
        get_object_or_404(WorkUp, pk=work_up_id, patient=patient)
        if work_up_id
        else WorkUp(patient=patient)
    )
    given = request.GET.get("injection", "")
    injection_id = int(given) if given.isdigit() else None
    initial: dict[str, Any] = {"examined_on": timezone.localdate()}
    if request.GET.get("side") in WorkUp.Side.values:
        initial["side"] = request.GET["side"]
    form = WorkUpForm(request.POST or None, instance=record, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_work_up(form.instance, examined_by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Work-up saved (MRN {patient.mrn}, {form.instance.side} side)."
            )
            return redirect(back_to(patient, injection_id))
    return render(
        request,
        "assessments/work_up.html",
        {
            "patient": patient,
            "form": form,
            "record": record,
            "locked": record.pk is not None and record.is_locked(),
            "back": back_to(patient, injection_id),
        },
    )
