"""The patient's opt-out page: no login, in the patient's language.

Opening the link (GET) changes nothing, since mail scanners open links; the page has one
button. Mail apps' own unsubscribe button posts straight here (RFC 8058 one-click), which
is why the POST needs no CSRF token: the signed token in the URL is the secret.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from ..diary.language import browser_language
from .messages import reminder_for_opt_out
from .services import stop_reminders


@never_cache
@csrf_exempt
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    reminder = reminder_for_opt_out(token)
    if reminder is None:
        with translation.override(browser_language(request)):
            return render(request, "reminders/opt_out.html", {"invalid": True}, status=404)
    patient = reminder.diary_link.injection.patient
    if request.method == "POST":
        stop_reminders(patient)
        return redirect("reminders:opt_out", token)
    with translation.override(patient.preferred_language):
        return render(
            request,
            "reminders/opt_out.html",
            {"first_name": patient.given_name, "stopped": not patient.reminders_allowed},
        )
