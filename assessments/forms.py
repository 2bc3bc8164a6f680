from datetime import timedelta
from decimal import Decimal

from django import forms
from django.forms.models import BaseInlineFormSet

from .models import MAX_AFTER_INJECTION, MAX_BEFORE_INJECTION, PainReading

MINUTES_MIN = -Decimal(MAX_BEFORE_INJECTION // timedelta(minutes=1))
MINUTES_MAX = Decimal(MAX_AFTER_INJECTION // timedelta(minutes=1))


class ReadingInlineForm(forms.ModelForm):
    """A reading entered either by clock time or as minutes after the injection."""

    minutes_after = forms.DecimalField(
        label="or minutes after injection",
        required=False,
        max_digits=7,
        decimal_places=1,
        min_value=MINUTES_MIN,
        max_value=MINUTES_MAX,
        help_text="e.g. 25; negative for a baseline before the injection.",
        widget=forms.NumberInput(attrs={"step": "0.1", "style": "width: 6em"}),
    )

    class Meta:
        model = PainReading
        fields = ["recorded_at", "minutes_after", "score", "context", "source", "note"]

    def __init__(self, *args, injection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.injection = injection
        self.fields["recorded_at"].required = False
        self.fields["score"].widget.attrs.update({"min": 0, "max": 10, "style": "width: 4em"})

    def clean(self):
        cleaned = super().clean()
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
                cleaned["recorded_at"] = self.injection.performed_at + timedelta(
                    seconds=int(minutes * 60)
                )
        elif recorded_at is None:
            self.add_error("recorded_at", "Enter the time of the reading, or minutes after.")
        return cleaned

    def _post_clean(self):
        self.instance._injection_for_clean = self.injection
        super()._post_clean()


class ReadingInlineFormSet(BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "injection": self.instance}

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None:
            form.instance.injection = self.instance
        return form
