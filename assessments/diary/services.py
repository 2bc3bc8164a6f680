"""Writes of the patient's week: diary links, patient entries, follow-up calls."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import display, services
from ..models import DiaryLink, FollowUpCall, Injection, PainReading


def link_refusal(injection: Injection, now: datetime | None = None) -> str:
    """Why no new diary link can be made for `injection` now, for staff; "" when one can."""
    now = now or timezone.now()
    ends = min(DiaryLink.expiry(injection), injection.follow_up_ends_at)
    if now >= ends:
        return (
            f"The diary's week ended on {display.date_time(ends - timedelta(microseconds=1))}: "
            "a new link would not work. Record late follow-up as staff entries."
        )
    return ""


def diary_link(injection: Injection, *, user: Any = None) -> DiaryLink:
    """The injection's working link, or a new one (a handout always has one to print).
    Refused (ValidationError) once the diary's week is over."""
    current = DiaryLink.current(injection)
    if current is not None:
        return current
    refusal = link_refusal(injection)
    if refusal:
        raise ValidationError(refusal, code="ended")
    return DiaryLink.issue(injection, created_by=user)


def entry_time_error(link: DiaryLink, recorded_at: datetime, now: datetime) -> str:
    """Why a patient's entry cannot be at `recorded_at`; "" when it can.

    The patient writes the diary, not the result: their entries start when the 20–30 minute
    window closes (the baseline and the window are staff's), and end with the link's week.
    """
    injection = link.injection
    opens = injection.window_closes_at
    ends = min(now, link.expires_at)
    if opens < recorded_at <= ends:
        return ""
    return _(
        "Choose a time from %(opens)s until %(ends)s: your diary starts after the clinic's "
        "own readings."
    ) % {"opens": display.patient_date_time(opens), "ends": display.patient_date_time(ends)}


@transaction.atomic
def revoke(link: DiaryLink, *, user: Any) -> DiaryLink:
    DiaryLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    link.refresh_from_db()
    return link


def posts_in_the_last_hour(link: DiaryLink, now: datetime) -> int:
    return link.readings.filter(created_at__gt=now - timedelta(hours=1)).count()


@transaction.atomic
def add_patient_entry(link: DiaryLink, **fields: Any) -> PainReading:
    """One reading the patient sent through their link (source "patient", no staff user).

    The link is checked again inside the transaction: revoked, expired, the week over and
    the hourly limit all refuse with a ValidationError whose message suits the patient; a
    time outside the patient's part of the record is refused on its field.
    """
    link = DiaryLink.objects.select_for_update().select_related("injection").get(pk=link.pk)
    now = timezone.now()
    refusal = link.refusal(now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    if posts_in_the_last_hour(link, now) >= settings.DIARY_POSTS_PER_HOUR:
        raise ValidationError(
            _(
                "You have sent a lot of entries in the last hour. Please try again later, or "
                "call the clinic."
            ),
            code="rate",
        )
    recorded_at = fields.get("recorded_at")
    problem = entry_time_error(link, recorded_at, now) if recorded_at else ""
    if problem:
        raise ValidationError({"recorded_at": problem}, code="time")
    reading = PainReading(
        injection=link.injection, source=PainReading.Source.PATIENT, diary_link=link, **fields
    )
    reading._change_reason = "Patient diary entry"
    return services.save_reading(reading).reading


@transaction.atomic
def record_call(
    injection: Injection, *, user: Any, reached: bool, score: int | None = None, note: str = ""
) -> FollowUpCall:
    """A follow-up call: with the score the patient gave, or "no answer"."""
    call = FollowUpCall(
        injection=injection,
        called_by=user,
        outcome=FollowUpCall.Outcome.REACHED if reached else FollowUpCall.Outcome.NO_ANSWER,
        note=note.strip(),
    )
    call.full_clean()
    if reached:
        if score is None:
            raise ValidationError({"score": "Choose the score the patient gave."})
        # Rated as on the day of the injection: the provoking activity, as the baseline was.
        baseline = injection.readings.live().filter(recorded_at__lt=injection.performed_at).last()
        services.add_reading(
            injection,
            entered_by=user,
            recorded_at=call.called_at.replace(microsecond=0),
            score=score,
            context=baseline.context if baseline else PainReading.Context.PROVOKED,
            source=PainReading.Source.STAFF,
            note="Follow-up call" + (f": {call.note}" if call.note else ""),
        )
    call.save()
    return call
