"""Forms for pain readings: the admin's inline rows, quick entry, and the follow-up week."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .. import display, rules
from ..models import MAX_AFTER_INJECTION, MAX_BEFORE_INJECTION, Injection, PainReading
from .fields import BUTTON_CHOICES_TEMPLATE, aware_local, local_time_field, score_field

MINUTES_MIN = -Decimal(MAX_BEFORE_INJECTION // timedelta(minutes=1))
MINUTES_MAX = Decimal(MAX_AFTER_INJECTION // timedelta(minutes=1))


class ReadingInlineForm(forms.ModelForm):
    """A reading entered either by clock time or as minutes after the injection."""

    recorded_at = local_time_field("Recorded at", required=False)

    minutes_after = forms.DecimalField(
        label="or minutes after injection",
        required=False,
        max_digits=7,
        decimal_places=1,
        min_value=MINUTES_MIN,
        max_value=MINUTES_MAX,
        help_text="e.g. 25; negative for a baseline before the injection.",
        widget=forms.NumberInput(attrs={"step": "0.1", "class": "si-minutes"}),
    )

    class Meta:
        model = PainReading
        fields = ["recorded_at", "minutes_after", "score", "context", "source", "note"]
        widgets = {"note": forms.TextInput(attrs={"class": "si-note"})}

    def __init__(self, *args: Any, injection: Injection | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.injection = injection
        self.fields["score"].widget.attrs.update({"min": 0, "max": 10, "class": "si-score"})
        # The admin's table shows the labels only as column headings: each input names itself.
        row = self.prefix.rsplit("-", 1)[-1] if self.prefix else ""
        for field in self.fields.values():
            name = str(field.label or "").removeprefix("or ").capitalize()
            label = f"{name}, reading {int(row) + 1}" if row.isdigit() else f"{name}, new reading"
            field.widget.attrs["aria-label"] = label

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        recorded_at, minutes = cleaned.get("recorded_at"), cleaned.get("minutes_after")
        if "recorded_at" in self.errors or "minutes_after" in self.errors:
            return cleaned
        if recorded_at is not None and minutes is not None:
            self.add_error("minutes_after", "Give the clock time or the minutes, not both.")
        elif minutes is not None:
            if self.injection is None or self.injection.performed_at is None:
                self.add_error(
                    "minutes_after", "Enter a valid injection time first to count minutes from."
                )
            else:
                # One decimal place of a minute is a whole number of seconds: exact.
                try:
                    cleaned["recorded_at"] = self.injection.performed_at + timedelta(
                        seconds=int(minutes * 60)
                    )
                except OverflowError:
                    self.add_error("minutes_after", "That is past the last date a time can take.")
        elif recorded_at is None:
            self.add_error("recorded_at", "Enter the time of the reading, or minutes after.")
        return cleaned


class ReadingInlineFormSet(BaseInlineFormSet):
    """The injection's readings in the admin (those that stand: a withdrawn one is shown with
    the result, struck through); two in the same minute are refused. A new row takes the
    baseline's context: post-block pain is rated doing what provoked the baseline."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        baseline = None
        if self.instance.pk is not None and self.instance.performed_at is not None:
            baseline = (
                PainReading.objects.live()
                .filter(injection=self.instance, recorded_at__lt=self.instance.performed_at)
                .order_by("recorded_at")
                .last()
            )
        self.baseline_context = baseline.context if baseline else PainReading.Context.PROVOKED

    def get_queryset(self) -> "QuerySet[PainReading]":
        return super().get_queryset().filter(withdrawn_at__isnull=True)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            row = f"reading {index + 1}" if index is not None else "new reading"
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Delete, {row}"

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "injection": self.instance}

    @property
    def empty_form(self) -> forms.BaseForm:
        form = super().empty_form
        form.initial.setdefault("context", self.baseline_context)
        return form

    def _construct_form(self, i: int, **kwargs: Any) -> forms.BaseForm:
        # BaseFormSet._construct_form is Django's private hook; django-stubs leaves it out.
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]
        if form.instance.pk is None:
            form.initial.setdefault("context", self.baseline_context)
        return form

    def clean(self) -> None:
        super().clean()
        seen = {}
        for form in self.forms:
            recorded_at = getattr(form, "cleaned_data", {}).get("recorded_at")
            if recorded_at is None or form.cleaned_data.get("DELETE"):
                continue
            minute = recorded_at.replace(second=0, microsecond=0)
            if minute in seen:
                form.add_error(
                    "recorded_at",
                    f"Another reading here is also at {display.clock(minute)}: give each "
                    "reading its own minute.",
                )
            seen[minute] = form


# A reading this far from the window may be a mistyped window reading: it is saved only once
# confirmed. Readings in the window, and later follow-up, save at once.
CONFIRM_AFTER_CLOSE_MINUTES = 60


def needs_confirmation(minutes: Decimal) -> bool:
    """Between the injection and the window's opening, or within an hour of its close."""
    close = rules.WINDOW_END_MINUTES
    return 0 <= minutes < rules.WINDOW_START_MINUTES or (
        close < minutes <= close + CONFIRM_AFTER_CLOSE_MINUTES
    )


def confirmed_time(cleaned: dict[str, Any]) -> datetime | None:
    """The moment the confirmation box was shown for (None if none, or not a time)."""
    try:
        return datetime.fromisoformat(cleaned.get("confirm_time") or "")
    except ValueError:
        return None


def minutes_words(minutes: Decimal) -> str:
    return rules.minutes_text(minutes)


class QuickReadingForm(forms.ModelForm):
    """One reading after the injection, entered from the board with a few taps.

    A time before the injection is refused (a baseline is recorded as a baseline, on its own
    page); one just outside the window is saved only once confirmed, so a typo cannot move
    a window reading out of the window unnoticed.
    """

    score = score_field()
    recorded_at = local_time_field()
    context = forms.ChoiceField(
        label="Context", choices=PainReading.Context.choices, widget=forms.RadioSelect
    )
    confirmed = forms.BooleanField(required=False, label="The time is right")
    confirm_time = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    class Meta:
        model = PainReading
        fields = ["score", "recorded_at", "context"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.confirmation = ""
        self.fields[
            "recorded_at"
        ].help_text = f"Defaults to now. Clinic time, {display.zone_label()}."
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "quick-reading"
        self.helper.layout = Layout(
            Field("score", template=BUTTON_CHOICES_TEMPLATE, wrapper_class="score-buttons"),
            Row(
                Column("recorded_at", HTML(self.minutes_after_hint()), css_class="col-sm-6"),
                Column(Field("context", template=BUTTON_CHOICES_TEMPLATE), css_class="col-sm-6"),
            ),
            HTML(
                '{% if form.confirmation %}<div class="alert alert-warning confirm-time">'
                '<input type="hidden" name="confirm_time" value="{{ form.confirmation }}">'
                '<div class="form-check"><input class="form-check-input" type="checkbox" '
                'name="confirmed" id="id_confirmed" value="on">'
                '<label class="form-check-label" for="id_confirmed">'
                "{{ form.confirmation_label }}</label></div></div>{% endif %}"
            ),
            Submit("save", "Save reading", css_class="btn-lg w-100"),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        recorded_at = cleaned.get("recorded_at")
        if recorded_at is None or "recorded_at" in self.errors:
            return cleaned
        injection = self.instance.injection
        minutes = injection.minutes_after(recorded_at)
        if recorded_at > timezone.now():
            return cleaned  # the model says so on the field
        if minutes < 0:
            self.add_error("recorded_at", before_injection(injection))
        elif needs_confirmation(minutes) and not (
            cleaned.get("confirmed") and confirmed_time(cleaned) == recorded_at
        ):
            self.confirmation = recorded_at.isoformat()
            self.confirmation_label = (
                f"Yes, {display.clock(recorded_at)} is right: save it as "
                f"{minutes_words(minutes)} after the injection (listed, not counted)."
            )
            self.add_error("recorded_at", outside_window(injection, minutes))
        return cleaned

    def minutes_after_hint(self) -> SafeString:
        """A live "N min after the injection" line under the time; see bedside.js."""
        performed_at = self.instance.injection.performed_at
        # An aware local time always has an offset.
        offset = timezone.localtime(performed_at).utcoffset() or timedelta(0)
        return format_html(
            '<p class="small mb-3 minutes-after" aria-live="polite" data-minutes-after="{}"'
            ' data-performed-at="{}" data-utc-offset-minutes="{}" data-window-start="{}"'
            ' data-window-end="{}"></p>',
            self["recorded_at"].auto_id,
            performed_at.isoformat(timespec="milliseconds"),
            int(offset.total_seconds() // 60),
            rules.WINDOW_START_MINUTES,
            rules.WINDOW_END_MINUTES,
        )


def before_injection(injection: Injection) -> SafeString:
    url = reverse("assessments:baseline_reading", args=[injection.pk])
    return format_html(
        'This is before the injection ({}). To record a new baseline, use <a href="{}">'
        "Record a baseline</a>.",
        display.clock(injection.performed_at),
        url,
    )


def outside_window(injection: Injection, minutes: Decimal) -> str:
    where = (
        "before the window opens"
        if minutes < rules.WINDOW_START_MINUTES
        else "after the window closed"
    )
    return (
        f"This is {minutes_words(minutes)} after the injection, {where} "
        f"({display.window_times(injection.performed_at)}): it would be listed, not counted. "
        "Check the time; if it is right, confirm it below and save again."
    )


class BaselineForm(forms.ModelForm):
    """A baseline reading taken before the injection, recorded as a baseline."""

    score = score_field("Baseline pain score (0–10)")
    recorded_at = local_time_field()
    context = forms.ChoiceField(
        label="Context",
        choices=PainReading.Context.choices,
        initial=PainReading.Context.PROVOKED,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PainReading
        fields = ["score", "recorded_at", "context"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        performed = display.clock(self.instance.injection.performed_at)
        self.fields[
            "recorded_at"
        ].help_text = f"Before the injection ({performed}). Clinic time, {display.zone_label()}."
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "baseline-reading"
        self.helper.layout = Layout(
            Field("score", template=BUTTON_CHOICES_TEMPLATE, wrapper_class="score-buttons"),
            Row(
                Column("recorded_at", css_class="col-sm-6"),
                Column(Field("context", template=BUTTON_CHOICES_TEMPLATE), css_class="col-sm-6"),
            ),
            Submit("save", "Save baseline", css_class="btn-lg w-100"),
        )

    def clean_recorded_at(self) -> datetime:
        recorded_at = self.cleaned_data["recorded_at"]
        injection = self.instance.injection
        if recorded_at >= injection.performed_at:
            url = reverse("assessments:quick_reading", args=[injection.pk])
            raise ValidationError(
                format_html(
                    "A baseline is before the injection ({}). For a reading after it, use "
                    '<a href="{}">Enter score</a>.',
                    display.clock(injection.performed_at),
                    url,
                )
            )
        return recorded_at


class FollowUpEntryForm(forms.ModelForm):
    """One diary entry on a given follow-up day: the day is fixed, staff type the time.

    Built for the keyboard: the time is typed as 0830 or 08:30 (one box, 24-hour), one Tab
    reaches the score buttons, a digit picks the score (bedside.js), Enter saves.
    """

    recorded_at = forms.TimeField(
        label="Time (24 h)",
        input_formats=["%H:%M", "%H%M", "%H.%M", "%H:%M:%S"],
        error_messages={"invalid": "Enter the time as HH:MM, e.g. 08:30 or 0830."},
        widget=forms.TimeInput(
            format="%H:%M",
            attrs={
                "inputmode": "numeric",
                "placeholder": "HH:MM",
                "autocomplete": "off",
                "maxlength": 8,
                "class": "entry-time-input",
            },
        ),
    )
    score = score_field("Score")

    class Meta:
        model = PainReading
        fields = ["recorded_at", "score", "context", "source"]

    def __init__(self, *args: Any, day_date: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.day_date = day_date
        if self.instance.pk is not None:
            self.initial["recorded_at"] = timezone.localtime(self.instance.recorded_at).time()
        else:
            self.initial.setdefault("source", PainReading.Source.PATIENT)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("recorded_at", css_class="col-5 col-sm-3 col-lg-2"),
                Column(
                    Field("score", template=BUTTON_CHOICES_TEMPLATE, wrapper_class="score-buttons"),
                    css_class="col-12 col-sm-9 col-lg-10",
                ),
                Column("context", css_class="col-12 col-sm-6 col-md-4"),
                Column("source", css_class="col-12 col-sm-6 col-md-4"),
                Column(
                    Submit("save", "Save" if self.instance.pk else "Add", css_class="flex-fill"),
                    *self.cancel_button(),
                    css_class="col-12 col-md-4 mb-3 d-flex align-items-end gap-2",
                ),
                css_class="g-2",
            )
        )

    def cancel_button(self) -> list[HTML]:
        """An edit folds away again without saving (the add form has nothing to cancel)."""
        if self.instance.pk is None:
            return []
        return [
            HTML(
                format_html(
                    '<button type="button" class="btn btn-outline-secondary flex-fill" '
                    'data-bs-toggle="collapse" data-bs-target="#edit-{}">Cancel</button>',
                    self.prefix,
                )
            )
        ]

    def clean_recorded_at(self) -> datetime:
        # Refuses a clock time that is skipped or repeated on a daylight-saving day.
        return aware_local(datetime.combine(self.day_date, self.cleaned_data["recorded_at"]))
