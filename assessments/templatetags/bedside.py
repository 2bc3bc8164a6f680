"""Template access to assessments.display: every page writes times and outcomes its way."""

from django import template

from assessments import display

register = template.Library()

STATUS_BADGE_CLASSES = {
    "due": "text-bg-danger",
    "recorded": "text-bg-primary",
    "waiting": "text-bg-info",
    "missed": "text-bg-dark",
    "done": "text-bg-success",
}


@register.simple_tag
def outcome_badge(outcome, short=False):
    return display.outcome_badge(outcome, short=short)


@register.simple_tag
def result_badge(result, short=True):
    return display.result_badge(result, short=short)


@register.filter
def result_words(result):
    return display.result_words(result)


@register.filter
def status_badge_class(status):
    return STATUS_BADGE_CLASSES[status.slug]


@register.filter
def clock(moment):
    """ "14:05 CET", in the clinic's zone."""
    return display.clock(moment)


@register.filter
def date_time(moment):
    """ "3 Mar 2026, 14:05 CET", in the clinic's zone."""
    return display.date_time(moment)


@register.filter
def short_date_time(moment):
    """ "3 Mar, 14:05 CET": a row on a page that names the year."""
    return display.short_date_time(moment)


@register.filter
def day_text(value):
    """ "3 Mar 2026" for a date (a birth date)."""
    return display.day_text(value)


@register.filter
def day(value):
    """ "Tue 3 Mar 2026" for a date."""
    return display.day_text(value, weekday=True)


@register.filter
def window_times(performed_at):
    return display.window_times(performed_at)


@register.filter
def percent(value):
    """ "87.5 %" (one decimal), "—" for none."""
    return display.percent(value)


@register.filter
def duration(minutes):
    """ "45 min", "2 h", "2 h 10 min"."""
    return display.duration(minutes)


@register.filter
def keep_together(text):
    """No line break inside "87.5 %" or "> 75 %"."""
    return display.keep_together(str(text))


@register.filter
def person(user):
    return display.person(user)


@register.filter
def iso(moment):
    return display.iso(moment)


@register.simple_tag
def window_label():
    return display.window_label()
