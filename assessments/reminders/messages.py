"""What a reminder says, in the patient's language.

It names the clinic and the patient's first name and carries the diary link and the opt-out
link; never a score, the result, a diagnosis, the family name or the MRN.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .. import display
from ..diary.links import absolute_url
from ..models import Reminder

OPT_OUT_SALT = "assessments.reminder-opt-out"


@dataclass(frozen=True)
class Message:
    language: str
    subject: str
    body: str  # the email
    text: str  # the text message
    diary_url: str
    opt_out_url: str


def opt_out_token(reminder: Reminder) -> str:
    """The reminder's number, signed: nothing about the patient, and it cannot be forged."""
    return signing.Signer(salt=OPT_OUT_SALT).sign(str(reminder.pk))


def reminder_for_opt_out(token: str) -> Reminder | None:
    try:
        pk = signing.Signer(salt=OPT_OUT_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Reminder.objects.select_related("diary_link__injection__patient").filter(pk=pk).first()


def site_url(path: str) -> str:
    return (settings.SITE_URL or "http://127.0.0.1:8000") + path


def compose(reminder: Reminder) -> Message:
    link = reminder.diary_link
    patient = link.injection.patient
    diary_url = absolute_url(link)
    opt_out_url = site_url(reverse("reminders:opt_out", args=[opt_out_token(reminder)]))
    with translation.override(patient.preferred_language):
        words = {
            "name": patient.given_name,
            "clinic": settings.CLINIC_NAME,
            "phone": settings.CLINIC_PHONE,
            "when": display.patient_date_time(reminder.slot_at),
            "diary_url": diary_url,
            "opt_out_url": opt_out_url,
        }
        return Message(
            language=patient.preferred_language,
            subject=_("%(clinic)s: time for your pain diary") % words,
            body=email_body() % words,
            text=_(
                "%(clinic)s: Hello %(name)s, time for your pain diary: %(diary_url)s "
                "To stop reminders: %(opt_out_url)s"
            )
            % words,
            diary_url=diary_url,
            opt_out_url=opt_out_url,
        )


def email_body() -> str:
    """The email, in the active language, with %(…)s placeholders."""
    return "\n\n".join(
        [
            _("Hello %(name)s,"),
            _(
                "It is time to fill in your pain diary (%(when)s). Please rate the pain you "
                "came in with, ideally while doing the activity that usually hurts:"
            ),
            "%(diary_url)s",
            _("Thank you,\n%(clinic)s\nQuestions or worse pain? Call %(phone)s."),
            _("You agreed to these reminders from %(clinic)s. To stop them: %(opt_out_url)s"),
        ]
    )
