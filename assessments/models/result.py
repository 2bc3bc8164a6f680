"""The result in force of an injection: decided here, and only here.

Signed, it is the signed outcome (an override is called out, the computed result comes
second and is labelled "computed"). Unsigned, it is the rule's outcome at this moment:
pending while the 20–30 minute window is open and no reading counts yet, provisional while
the window is open and one does. Nothing "pending" is stored, so no stored outcome goes
stale when the window closes: the database holds the outcome as if the window had closed
plus whether it is waiting for the window, and `now` decides, in Python (`decide`) and in
SQL (`InjectionQuerySet`) alike.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Case, F, Q, Value, When

from ..rules import WINDOW_END_MINUTES, Outcome

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
        Outcome(signed_outcome) if signed else Outcome(computed),
        Outcome(computed),
        signed=signed,
        provisional=provisional and not signed,
        percent_reduction=percent_reduction,
        at_threshold=at_threshold,
    )


def window_open(performed_at: datetime, now: datetime) -> bool:
    return now < performed_at + WINDOW_LENGTH


class InjectionQuerySet(models.QuerySet):
    """`decide` in SQL, so lists filter and sort by the result in force."""

    def with_result(self, now: datetime):
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

    def result_is(self, outcome: str, now: datetime):
        """Injections whose result in force is `outcome`, as index-friendly conditions."""
        signed = Q(locked_at__isnull=False)
        waiting = Q(awaits_window_reading=True, performed_at__gt=now - WINDOW_LENGTH)
        if outcome == Outcome.PENDING:
            return self.filter(~signed & waiting)
        unsigned = ~signed & Q(outcome=outcome) & ~waiting
        return self.filter((signed & Q(signed_outcome=outcome)) | unsigned)

    def signed(self, is_signed: bool = True):
        return self.filter(locked_at__isnull=not is_signed)
