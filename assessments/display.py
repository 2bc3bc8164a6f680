"""How the tool writes times, dates, people, outcomes and the window: one place for all of it.

The admin, the bedside pages, the audit trail, the PDF and the exports call these functions,
so a time reads the same everywhere: "3 Mar 2026, 14:05 CET", always in the clinic's zone
(TIME_ZONE) and always with the zone. People are shown by their full name.
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.translation import pgettext

from . import rules

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

    from .models.result import Result

DATE_FORMAT = "{day} {month} {year}"

SHORT_OUTCOME = {
    rules.Outcome.POSITIVE: "Positive",
    rules.Outcome.INDETERMINATE: "Indeterminate",
    rules.Outcome.NEGATIVE: "Negative",
    rules.Outcome.NON_DIAGNOSTIC: "Non-diagnostic",
    rules.Outcome.PENDING: "Pending",
}


def local(moment: datetime) -> datetime:
    """`moment` in the clinic's time zone."""
    return timezone.localtime(moment, timezone.get_default_timezone())


def local_midnight(day: date) -> datetime:
    """The moment a clinic day begins: the lower bound of "performed on `day`"."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def zone_label(moment: datetime | None = None) -> str:
    """The clinic's zone as staff read it, e.g. "Europe/Paris (CET)"."""
    name = str(timezone.get_default_timezone())
    abbreviation = local(moment or timezone.now()).tzname()
    return name if abbreviation == name else f"{name} ({abbreviation})"


def day_text(day: date, *, weekday: bool = False) -> str:
    """ "3 Mar 2026", or "Tue 3 Mar 2026"."""
    text = f"{day.day} {day:%b %Y}"
    return f"{day:%a} {text}" if weekday else text


def clock(moment: datetime | None, *, seconds: bool = False) -> str:
    """ "14:05 CET" in the clinic's zone; "—" for no time."""
    if moment is None:
        return "—"
    return local(moment).strftime("%H:%M:%S %Z" if seconds else "%H:%M %Z")


def date_time(moment: datetime | None, *, weekday: bool = False, seconds: bool = False) -> str:
    """ "3 Mar 2026, 14:05 CET" in the clinic's zone; "—" for no time."""
    if moment is None:
        return "—"
    return f"{day_text(local(moment).date(), weekday=weekday)}, {clock(moment, seconds=seconds)}"


def patient_date_time(moment: datetime) -> str:
    """A time as the patient reads it, in the active language (the patient's): "Tue 3 Mar
    2026, 14:05 CET" in English, "martes 3 de marzo, 14:05 CET" in Spanish; clinic zone."""
    # Translators: Django's date format syntax (D weekday, j day, M month, H:i time, T zone).
    return dateformat.format(local(moment), pgettext("patient date and time", "D j M Y, H:i T"))


def short_date_time(moment: datetime) -> str:
    """ "3 Mar, 14:05 CET": a table row within one report, where the year is on the page."""
    when = local(moment)
    return f"{when.day} {when:%b}, {clock(moment)}"


def iso(moment: datetime | None) -> str:
    """ISO 8601 to the millisecond, for the browser's countdowns and for exports."""
    return moment.isoformat(timespec="milliseconds") if moment else ""


def iso_local(moment: datetime | None) -> str:
    """ISO 8601 in the clinic's zone, with its UTC offset: "2026-03-03T14:05:00+01:00"."""
    return local(moment).isoformat(timespec="seconds") if moment else ""


def minute_stamp(moment: datetime | None) -> str:
    """ "2026-03-03 14:05" in the clinic's zone (REDCap's datetime_ymd); "" for no time."""
    return f"{local(moment):%Y-%m-%d %H:%M}" if moment else ""


def person(user: "AbstractUser | None") -> str:
    """A user as people know them: full name, else the user name; "—" for nobody."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def amount(value: Decimal | None) -> str | None:
    """A dose, volume or concentration without trailing zeros or an exponent: "40", "1.5"
    (Decimal.normalize alone writes 40 as "4E+1"); None stays None."""
    return None if value is None else f"{value.normalize():f}"


def percent(value: Decimal | None) -> str:
    """A reduction as every page and report writes it: "87.5 %" (one decimal), "—" for none."""
    if value is None:
        return "—"
    return f"{rules.round_percent(value)}\u00a0%"


def rate(count: int, total: int) -> str:
    """A share of a group as the statistics write it: "42.1 %" (one decimal), "—" of none."""
    if not total:
        return "—"
    return f"{rules.round_percent(Decimal(count * 100) / Decimal(total))}\u00a0%"


def month_text(month: date) -> str:
    """ "Mar 2026"."""
    return f"{month:%b %Y}"


def duration(minutes: Any) -> str:
    """Minutes after the injection as people say them: "45 min", "2 h", "2 h 10 min"."""
    return rules.duration_words(minutes)


def minutes(value: Any) -> str:
    """A minute count in words, one decimal at most: "23.8 min" (rules.minutes_text, which
    the rule's own sentences use too, so every page, report and export agrees)."""
    return rules.minutes_text(value)


def keep_together(text: str) -> str:
    """A sentence with its figures unbroken: no line break inside "87.5 %", "> 75",
    "≥ 75 %" or "23.8 min" (non-breaking spaces), so a narrow column never leaves a "%"
    alone."""
    return KEEP_TOGETHER.sub("\u00a0", text)


KEEP_TOGETHER = re.compile(r"(?<=\d) (?=%|min\b)|(?<=[<>≥≤=]) (?=\d)")


def window_label() -> str:
    return f"{rules.WINDOW_START_MINUTES}–{rules.WINDOW_END_MINUTES} min"


def window_times(performed_at: datetime) -> str:
    """ "09:20–09:30 CET": the window as clock times."""
    opens = performed_at + timedelta(minutes=rules.WINDOW_START_MINUTES)
    closes = performed_at + timedelta(minutes=rules.WINDOW_END_MINUTES)
    return f"{local(opens):%H:%M}–{clock(closes)}"


def outcome_label(outcome: str, *, short: bool = False) -> str:
    outcome = rules.Outcome(outcome)
    return SHORT_OUTCOME[outcome] if short else outcome.label


def outcome_badge(outcome: str, *, short: bool = False, text: str = "") -> str:
    """The outcome as a coloured badge; styled by bedside.css and admin.css alike."""
    outcome = rules.Outcome(outcome)
    return format_html(
        '<span class="badge outcome-badge outcome-{}" data-outcome="{}">{}</span>',
        outcome.value,
        outcome.value,
        text or outcome_label(outcome, short=short),
    )


def result_words(result: "Result", *, short: bool = False) -> str:
    """The result in force in words: "Indeterminate (signed; overrides the computed Positive)",
    "Positive (provisional)", "Pending"."""
    words = outcome_label(result.outcome, short=short)
    if result.is_override:
        computed = outcome_label(result.computed, short=True)
        return f"{words} (signed; overrides the computed {computed})"
    if result.signed:
        return f"{words} (signed)"
    if result.provisional:
        return f"{words} (provisional: the window is open)"
    return words


def result_badge(result: "Result", *, short: bool = True) -> str:
    """The result in force as a badge, marked signed, override or provisional."""
    if result.is_override:
        mark = "signed, override"
    elif result.signed:
        mark = "signed"
    elif result.provisional:
        mark = "provisional"
    else:
        mark = ""
    badge = outcome_badge(result.outcome, short=short)
    if not mark:
        return badge
    return format_html('{} <span class="result-mark">{}</span>', badge, mark)
