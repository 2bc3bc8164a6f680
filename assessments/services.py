"""Writes that span models, each in one transaction."""

from django.db import transaction

from . import rules
from .models import Injection, PainReading


def evaluation_fields(evaluation):
    """The stored columns of an Evaluation, as written on the injection."""
    percent = evaluation.percent_reduction
    return {
        "outcome": evaluation.outcome.value,
        "percent_reduction": None if percent is None else rules.round_percent(percent),
        "at_threshold": evaluation.at_threshold,
        "baseline_score": evaluation.baseline,
        "decisive_score": evaluation.decisive_score,
        "evaluated_threshold": evaluation.threshold,
        "evaluated_inclusive": evaluation.inclusive,
    }


@transaction.atomic
def refresh_evaluation(injection_id):
    """Recompute and store an injection's evaluation from all of its readings.

    The row lock serialises concurrent writers on the same injection, so the last
    one to commit always evaluates every reading the others saved.
    """
    injection = Injection.objects.select_for_update().get(pk=injection_id)
    evaluation = injection.evaluate(PainReading.objects.filter(injection_id=injection_id))
    Injection.objects.filter(pk=injection_id).update(**evaluation_fields(evaluation))
    return evaluation


@transaction.atomic
def add_reading(injection, *, entered_by, **fields):
    """Validate and save one reading, then refresh the injection's evaluation."""
    reading = PainReading(injection=injection, entered_by=entered_by, **fields)
    reading.full_clean()
    reading.save()
    refresh_evaluation(injection.pk)
    return reading


def stale_injections(threshold, inclusive):
    return Injection.objects.exclude(
        evaluated_threshold=threshold, evaluated_inclusive=inclusive
    ).values_list("pk", flat=True)
