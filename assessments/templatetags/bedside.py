"""Presentation helpers for the bedside pages: badges and local times with their zone."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from assessments import rules

register = template.Library()

OUTCOME_BADGE_CLASSES = {
    rules.Outcome.POSITIVE: "text-bg-success",
    rules.Outcome.INDETERMINATE: "text-bg-warning",
    rules.Outcome.NEGATIVE: "text-bg-secondary",
    rules.Outcome.NON_DIAGNOSTIC: "text-bg-danger",
}
SHORT_OUTCOME_LABELS = {
    rules.Outcome.POSITIVE: "Positive",
    rules.Outcome.INDETERMINATE: "Indeterminate",
    rules.Outcome.NEGATIVE: "Negative",
    rules.Outcome.NON_DIAGNOSTIC: "Non-diagnostic",
}
STATUS_BADGE_CLASSES = {
    "due": "text-bg-danger",
    "waiting": "text-bg-info",
    "missed": "text-bg-dark",
    "done": "text-bg-success",
}


@register.simple_tag
def outcome_badge(outcome, short=False):
    outcome = rules.Outcome(outcome)
    label = SHORT_OUTCOME_LABELS[outcome] if short else outcome.label
    return format_html(
        '<span class="badge {} outcome-badge" data-outcome="{}">{}</span>',
        OUTCOME_BADGE_CLASSES[outcome],
        outcome.value,
        label,
    )


@register.filter
def status_badge_class(status):
    return STATUS_BADGE_CLASSES[status.slug]


@register.filter
def local_time(moment, with_date=False):
    """ "14:05 CET", or "Tue 3 Mar 2026, 14:05 CET" with a date; always the clinic's zone."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    text = local.strftime("%H:%M %Z")
    if with_date:
        text = f"{local:%a} {local.day} {local:%b %Y}, {text}"
    return text


@register.filter
def iso(moment):
    # Milliseconds: what every browser's Date.parse accepts.
    return moment.isoformat(timespec="milliseconds") if moment else ""
