from datetime import date
from urllib.parse import urlencode

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from ..models.limits import EARLIEST_DAY, LATEST_DAY
from ..statistics.figures import computable_profiles

EARLIEST, LATEST = EARLIEST_DAY, LATEST_DAY


def last_twelve_months(today: date) -> tuple[date, date]:
    """From the first day of the month eleven months back to today: twelve month bars."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1), today


class StatisticsForm(forms.Form):
    """The dashboard's filters, read from the query string: a bad value is a field error."""

    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    profile = forms.ChoiceField(label="Criteria profile")

    def __init__(self, data=None, **kwargs):
        start, end = last_twelve_months(timezone.localdate())
        profiles = computable_profiles()
        defaults = {"start": start.isoformat(), "end": end.isoformat(), "profile": profiles[0].key}
        # A field left empty (a cleared date box) takes its default, like one not sent.
        given = {name: value for name, value in (data or {}).items() if name in defaults and value}
        super().__init__({**defaults, **given}, **kwargs)
        self.profiles = {profile.key: profile for profile in profiles}
        self.fields["profile"].choices = [(p.key, f"{p.title} ({p.criterion})") for p in profiles]
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
            {"start": data["start"], "end": data["end"], "profile": data["profile"].key}
        )

    def clean_start(self):
        return within_stored_dates(self.cleaned_data["start"])

    def clean_end(self):
        return within_stored_dates(self.cleaned_data["end"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end is before the start: choose a later end date.")
        if cleaned.get("profile") in self.profiles:
            cleaned["profile"] = self.profiles[cleaned["profile"]]
        return cleaned


def within_stored_dates(day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            f"Choose a date from {EARLIEST.year} to {LATEST.year}.", code="out_of_range"
        )
    return day
