"""Sign-off from the injection page: what is signed, what it locks, and the form."""

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .. import display, signing
from ..access import AuthenticatedHttpRequest, staff_required
from ..forms import SignOffForm, add_service_errors
from ..models import Injection, SignOff, primary_profile
from ..models.result import window_open
from ..record import build_record


def signoff_facts(injection: Injection, now: datetime) -> dict[str, Any]:
    """What a sign-off page shows about `injection` (readings that stand, as evaluated now by
    the clinic's rule, which is what signing keeps): the readings, the computed result, the
    criteria, and what signing locks."""
    record = build_record(injection, now=now)
    evaluation = record.computed
    closes = injection.window_closes_at
    is_open = window_open(injection.performed_at, now)
    readings = record.pain_readings
    decisive = evaluation.decisive_index
    return {
        "injection": record.injection,
        # The block a sign-off locks: the baseline and every reading up to the window's close.
        "readings": [reading for reading in readings if reading.recorded_at <= closes],
        "later": sum(1 for reading in readings if reading.recorded_at > closes),
        "evaluation": evaluation,
        "result": injection.result_of(evaluation),
        "criteria": record.criteria,
        "decisive": readings[decisive] if decisive is not None else None,
        "counted": {readings[i].pk for i in evaluation.counted},
        "profile": primary_profile().key,
        "window_open": is_open,
        "possible_from": display.date_time(closes) if is_open else "",
        "locks": locks_sentence(injection),
    }


def locks_sentence(injection: Injection) -> str:
    week_ends = display.date_time(injection.follow_up_ends_at - timedelta(minutes=1))
    return (
        "Signing locks the procedure, the baseline and every reading up to "
        f"{display.clock(injection.window_closes_at)} (the window's close), and this result. "
        "The follow-up week goes on: the patient's diary, calls and staff entries can still be "
        f"added until the end of day 7 ({week_ends}), then they are locked too. The duration "
        "of relief is read from them; they never change the signed result."
    )


def posted_sign_off(
    request: AuthenticatedHttpRequest, injection: Injection, facts: dict[str, Any]
) -> tuple[SignOffForm, SignOff | None]:
    """The sign-off form, and the sign-off when this request made one (None otherwise): the
    bedside page and the admin's sign off the same way."""
    form = SignOffForm(request.POST or None, initial={"outcome": facts["evaluation"].outcome.value})
    allowed = not injection.is_locked and not facts["window_open"]
    if request.method != "POST" or not allowed or not form.is_valid():
        return form, None
    try:
        signoff = signing.sign_off(
            injection.pk,
            request.user,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return form, None
    messages.success(
        request,
        f"Signed off: version {signoff.version}. The block and its result are locked; "
        "the follow-up week stays open until the end of day 7.",
    )
    return form, signoff


@staff_required(
    read=("assessments.view_injection", "assessments.sign_injection"),
    write=("assessments.sign_injection",),
)
def sign_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    injection = get_object_or_404(Injection.objects.for_record(), pk=pk)
    facts = signoff_facts(injection, timezone.now())
    form, signoff = posted_sign_off(request, injection, facts)
    if signoff is not None:
        return redirect("assessments:injection_detail", pk)
    allowed = not injection.is_locked and not facts["window_open"]
    return render(
        request,
        "assessments/sign_off.html",
        {**facts, "form": form, "allowed": allowed},
    )
