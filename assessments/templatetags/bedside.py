"""Template access to assessments.display: no page writes a time, name or figure its own way.

Each filter is the display function of the same name, called with the value alone:
{{ moment|date_time }} is display.date_time(moment). `day` is a date with its weekday.
"""

from collections.abc import Callable
from functools import partial

from django import template

from assessments import display
from assessments.board import Status
from assessments.models import Result
from assessments.rules.profiles import MATRIX_TITLE, Criterion

register = template.Library()

STATUS_BADGE_CLASSES = {
    "due": "text-bg-danger",
    "recorded": "text-bg-primary",
    "waiting": "text-bg-info",
    "missed": "text-bg-dark",
    "done": "text-bg-success",
}

FILTERS: dict[str, Callable[..., str]] = {
    "clock": display.clock,  # "14:05 CET"
    "date_time": display.date_time,  # "3 Mar 2026, 14:05 CET"
    "short_date_time": display.short_date_time,  # "3 Mar, 14:05 CET" (the year is on the page)
    "day_text": display.day_text,  # "3 Mar 2026" (a birth date)
    "day": partial(display.day_text, weekday=True),  # "Tue 3 Mar 2026"
    "window_times": display.window_times,  # "09:20–09:30 CET"
    "percent": display.percent,  # "87.5 %"
    "duration": display.duration,  # "2 h 10 min"
    "minutes": display.minutes,  # "23.8 min"
    "keep_together": lambda text: display.keep_together(str(text)),  # no break in "87.5 %"
    "person": display.person,  # full name
    "iso": display.iso,  # for the browser's countdowns
    "result_words": display.result_words,
}
for name, function in FILTERS.items():
    register.filter(name, function)


@register.simple_tag
def outcome_badge(outcome: str, short: bool = False) -> str:
    return display.outcome_badge(outcome, short=short)


@register.simple_tag
def result_badge(result: Result, short: bool = True) -> str:
    return display.result_badge(result, short=short)


@register.simple_tag
def window_label() -> str:
    return display.window_label()


@register.simple_tag
def criteria_title() -> str:
    return MATRIX_TITLE


CRITERION_MARKS = {"yes": "✓", "no": "✗", "pending": "○", "not-applicable": "–"}


@register.filter
def criterion_mark(criterion: Criterion) -> str:
    """The row's sign: ✓ meets, ✗ does not, ○ not yet, – not applicable."""
    return CRITERION_MARKS[criterion.status]


@register.filter
def status_badge_class(status: Status) -> str:
    return STATUS_BADGE_CLASSES[status.slug]
