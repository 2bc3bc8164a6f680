"""The result in force of an injection: decided here, and only here.

Signed, it is the signed outcome (an override is called out, the computed result comes
second and is labelled "computed"). Unsigned, it is the rule's outcome at this moment:
pending while the 20–30 minute window is open and no reading counts yet, provisional while
the window is open and one does. Nothing "pending" is stored, so no stored outcome goes
stale when the window closes: the database holds the outcome as if the window had closed
plus whether it is waiting for the window, and `now` decides, in Python (`decide`) and in
SQL (`InjectionQuerySet`) alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from .. import display, rules
from ..rules import FOLLOW_UP_DAYS, WINDOW_END_MINUTES, Evaluation, Outcome

if TYPE_CHECKING:
    from .injection import Injection  # noqa: F401 (the QuerySet's type argument names it)
    from .reading import PainReading
    from .signoff import SignOff

WINDOW_LENGTH = timedelta(minutes=WINDOW_END_MINUTES)


@dataclass(frozen=True)
class Result:
    outcome: Outcome  # in force: what the record says
    computed: Outcome  # the rule's, now (as signed, for a signed record)
    signed: bool = False
    provisional: bool = False
    percent_reduction: Decimal | None = None
    at_threshold: bool = False

    @property
    def is_override(self) -> bool:
        return self.signed and self.outcome != self.computed

    @property
    def pending(self) -> bool:
        return self.outcome is Outcome.PENDING


def decide(
    *,
    signed_outcome: str | None,
    computed: Outcome,
    provisional: bool,
    percent_reduction: Decimal | None = None,
    at_threshold: bool = False,
) -> Result:
    """The one rule: a signed outcome wins; otherwise the computed one, as it stands now."""
    signed = bool(signed_outcome)
    return Result(
        Outcome(signed_outcome) if signed_outcome else Outcome(computed),
        Outcome(computed),
        signed=signed,
        provisional=provisional and not signed,
        percent_reduction=percent_reduction,
        at_threshold=at_threshold,
    )


def window_open(performed_at: datetime, now: datetime) -> bool:
    return now < performed_at + WINDOW_LENGTH


class InjectionQuerySet(models.QuerySet["Injection"]):
    """`decide` in SQL, so lists filter and sort by the result in force."""

    def with_result(self, now: datetime) -> "InjectionQuerySet":
        signed = Q(locked_at__isnull=False)
        waiting = Q(awaits_window_reading=True, performed_at__gt=now - WINDOW_LENGTH)
        return self.annotate(
            result_in_force=Case(
                When(signed, then=F("signed_outcome")),
                When(waiting, then=Value(Outcome.PENDING.value)),
                default=F("outcome"),
                output_field=models.CharField(),
            )
        )

    def result_is(self, outcome: str, now: datetime) -> "InjectionQuerySet":
        """Injections whose result in force is `outcome`, as index-friendly conditions."""
        signed = Q(locked_at__isnull=False)
        waiting = Q(awaits_window_reading=True, performed_at__gt=now - WINDOW_LENGTH)
        if outcome == Outcome.PENDING:
            return self.filter(~signed & waiting)
        unsigned = ~signed & Q(outcome=outcome) & ~waiting
        return self.filter((signed & Q(signed_outcome=outcome)) | unsigned)

    def signed(self, is_signed: bool = True) -> "InjectionQuerySet":
        return self.filter(locked_at__isnull=not is_signed)

    def for_record(self) -> "InjectionQuerySet":
        """Everything an InjectionRecord reads (assessments/record.py): the patient and the
        proceduralist joined; the readings that stand in time order, the withdrawn ones,
        the sign-offs and the amendments prefetched. Five queries per chunk of injections."""
        # The related models import this module: imported when asked.
        from .reading import PainReading as reading
        from .signoff import Amendment as amendment
        from .signoff import SignOff as signoff

        return self.select_related("patient", "proceduralist").prefetch_related(
            models.Prefetch(
                "readings", queryset=reading.objects.live().order_by("recorded_at", "pk")
            ),
            models.Prefetch(
                "readings",
                queryset=reading.objects.filter(withdrawn_at__isnull=False)
                .select_related("withdrawn_by", "replaced_by")
                .order_by("recorded_at", "pk"),
                to_attr="withdrawn_readings",
            ),
            models.Prefetch(
                "signoffs",
                queryset=signoff.objects.select_related("signed_by", "archived_report"),
            ),
            models.Prefetch("amendments", queryset=amendment.objects.select_related("opened_by")),
        )


LOCKED_MESSAGE = (
    "This injection is signed and locked. Open an amendment, with a reason, to change it."
)


def follow_up_ends(performed_at: datetime) -> datetime:
    """The end of follow-up day 7 (midnight after it) in the clinic's zone.

    Signing locks the block; the week's follow-up readings can be added until this moment,
    and are locked after it (the sign-off stores it, for the database's guard).
    """
    performed_on = timezone.localdate(performed_at, timezone.get_default_timezone())
    return display.local_midnight(performed_on + timedelta(days=FOLLOW_UP_DAYS + 1))


class ResultInForce:
    """The injection's side of it: its result in force, its lock and the sign-off in force
    (mixed into Injection)."""

    if TYPE_CHECKING:
        # Injection's columns and relations that the mixin reads.
        performed_at: datetime
        awaits_window_reading: bool
        outcome: str
        signed_outcome: str | None
        decisive_score: int | None
        percent_reduction: Decimal | None
        at_threshold: bool
        locked_at: datetime | None

        @property
        def window_closes_at(self) -> datetime: ...

        signoffs: "models.Manager[SignOff]"

        def evaluate(
            self,
            readings: "Iterable[PainReading] | None" = None,
            *,
            now: datetime | None = None,
            window_closed: bool = False,
        ) -> Evaluation: ...

    def result(self, now: datetime | None = None) -> Result:
        """The result in force from the stored columns (no query), by `decide`."""
        now = now or timezone.now()
        is_open = window_open(self.performed_at, now)
        waiting = self.awaits_window_reading and is_open
        computed = rules.Outcome.PENDING if waiting else rules.Outcome(self.outcome)
        return decide(
            signed_outcome=self.signed_outcome if self.is_locked else None,
            computed=computed,
            provisional=is_open and self.decisive_score is not None,
            percent_reduction=self.percent_reduction,
            at_threshold=self.at_threshold,
        )

    def result_of(self, evaluation: Evaluation, signoff: "SignOff | None" = None) -> Result:
        """The result in force, given the full evaluation (as signed, when signed)."""
        return decide(
            signed_outcome=signoff.signed_outcome if signoff else None,
            computed=evaluation.outcome,
            provisional=evaluation.provisional,
            percent_reduction=evaluation.percent_reduction,
            at_threshold=evaluation.at_threshold,
        )

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def ensure_editable(self) -> None:
        """Refuse a change to a signed injection with a message people can act on."""
        if self.is_locked:
            raise ValidationError(LOCKED_MESSAGE, code="locked")

    @property
    def follow_up_ends_at(self) -> datetime:
        return follow_up_ends(self.performed_at)

    def follow_up_open(self, now: datetime | None = None) -> bool:
        """Whether follow-up readings can be added: always while unsigned; once signed, until
        the end of follow-up day 7 in the clinic's zone."""
        return not self.is_locked or (now or timezone.now()) < self.follow_up_ends_at

    def reading_lock_message(self, recorded_at: datetime, now: datetime | None = None) -> str:
        """Why a reading at `recorded_at` cannot be added or changed now; "" when it can.

        A sign-off locks the procedure, the baseline and every reading up to the window's
        close (what the result was read from); later readings stay open for the week.
        """
        if not self.is_locked:
            return ""
        if recorded_at <= self.window_closes_at:
            return (
                "This reading is part of the signed block result (readings up to "
                f"{display.clock(self.window_closes_at)}, the window's close): open an "
                "amendment, with a reason, to change it."
            )
        if not self.follow_up_open(now):
            return (
                "The follow-up week of this signed record ended on "
                f"{display.date_time(self.follow_up_ends_at - timedelta(microseconds=1))}: "
                "its readings are locked. Open an amendment, with a reason, to change them."
            )
        return ""

    def ensure_reading_editable(
        self, *moments: datetime | None, now: datetime | None = None
    ) -> None:
        """Refuse a reading written at any of `moments` when the sign-off locks it."""
        for moment in moments:
            message = self.reading_lock_message(moment, now) if moment is not None else ""
            if message:
                raise ValidationError(message, code="locked")

    def signoff_in_force(self, signoffs: "Iterable[SignOff] | None" = None) -> "SignOff | None":
        """The latest sign-off while the injection is locked; None while it is a draft.

        `signoffs`: the injection's sign-offs when already fetched (saves the query).
        """
        if not self.is_locked:
            return None
        if signoffs is not None:
            return max(signoffs, key=lambda signoff: signoff.version, default=None)
        return self.signoffs.order_by("-version").first()
