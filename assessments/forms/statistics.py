"""The dashboard's filters: whole clinic months only, up to the last complete one.

A range of days would let two ranges one day apart be subtracted to give back one day's
injections; a month still in progress changes from one day to the next. So the range is
from a first month to a last month ("2026-03"), both whole, and the last month has ended.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from ..models import primary_profile
from ..models.limits import EARLIEST_DAY
from ..rules.profiles import computable_profiles

EARLIEST = EARLIEST_DAY.replace(day=1)
MONTH_FORMAT = "%Y-%m"


def month_back(month: date, count: int) -> date:
    """The first day of the month `count` months before `month`'s."""
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def last_complete_month(today: date) -> date:
    return month_back(today, 1)


def last_twelve_months(today: date) -> tuple[date, date]:
    """The twelve complete months before this one: (first month, last month)."""
    last = last_complete_month(today)
    return month_back(last, 11), last


class MonthField(forms.DateField):
    """A month as "2026-03" (what <input type="month"> sends): its first day."""

    input_formats = [MONTH_FORMAT]
    default_error_messages = {
        "invalid": "Give a month as YYYY-MM, e.g. 2026-03: the statistics cover whole months."
    }

    def __init__(self, **kwargs: Any):
        widget = forms.DateInput(format=MONTH_FORMAT, attrs={"type": "month"})
        super().__init__(widget=widget, **kwargs)


class StatisticsForm(forms.Form):
    """The dashboard's filters, read from the query string: a bad value is a field error."""

    start = MonthField(label="First month")
    end = MonthField(label="Last month")
    profile = forms.ChoiceField(label="Criteria profile")

    def __init__(self, data: Mapping[str, str] | None = None, **kwargs: Any):
        self.today = timezone.localdate()
        start, end = last_twelve_months(self.today)
        profiles = computable_profiles(primary_profile())
        defaults = {
            "start": f"{start:{MONTH_FORMAT}}",
            "end": f"{end:{MONTH_FORMAT}}",
            "profile": profiles[0].key,
        }
        # A field left empty (a cleared box) takes its default, like one not sent.
        given = {name: value for name, value in (data or {}).items() if name in defaults and value}
        super().__init__({**defaults, **given}, **kwargs)
        self.profiles = {profile.key: profile for profile in profiles}
        profile_field = cast(forms.ChoiceField, self.fields["profile"])
        profile_field.choices = [(p.key, f"{p.title} ({p.criterion})") for p in profiles]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "statistics-filters"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("start", css_class="col-sm-6 col-lg-3"),
                Column("end", css_class="col-sm-6 col-lg-3"),
                Column("profile", css_class="col-lg-4"),
                Column(
                    Submit("", "Show", css_class="w-100"), css_class="col-lg-2 align-self-end mb-3"
                ),
            )
        )

    def query(self) -> str:
        """The cleaned filters as a query string (for the CSV link): nothing else the request
        carried."""
        data = self.cleaned_data
        return urlencode(
            {
                "start": f"{data['start']:{MONTH_FORMAT}}",
                "end": f"{data['end']:{MONTH_FORMAT}}",
                "profile": data["profile"].key,
            }
        )

    def clean_start(self) -> date:
        return self.within_complete_months(self.cleaned_data["start"])

    def clean_end(self) -> date:
        return self.within_complete_months(self.cleaned_data["end"])

    def within_complete_months(self, month: date) -> date:
        last = last_complete_month(self.today)
        if month < EARLIEST:
            raise forms.ValidationError(
                f"Choose a month from {EARLIEST:%B %Y} on.", code="out_of_range"
            )
        if month > last:
            raise forms.ValidationError(
                f"Choose {last:%B %Y} or earlier: a month is shown once it has ended.",
                code="incomplete",
            )
        return month

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The last month is before the first: choose a later one.")
        if cleaned.get("profile") in self.profiles:
            cleaned["profile"] = self.profiles[cleaned["profile"]]
        return cleaned
