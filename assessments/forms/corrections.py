"""Correcting or withdrawing a reading at the bedside: the original is kept, struck through."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms

from .. import display
from ..models import PainReading
from ..models.limits import CORRECTION_REASON_MAX
from .fields import BUTTON_CHOICES_TEMPLATE, local_time_field, score_field

ACTIONS = [
    ("correct", "Correct it: the right score, time or context"),
    ("withdraw", "Withdraw it: it should not be on the record"),
]
CORRECTED_FIELDS = ("score", "recorded_at", "context")


class CorrectionForm(forms.Form):
    action = forms.ChoiceField(
        label="What to do", choices=ACTIONS, initial="correct", widget=forms.RadioSelect
    )
    score = score_field("Correct score (0–10)", required=False)
    recorded_at = local_time_field("Correct time", required=False)
    context = forms.ChoiceField(
        label="Context",
        choices=PainReading.Context.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        max_length=CORRECTION_REASON_MAX,
        help_text="Kept on the record and in the audit trail, e.g. “typed 03:31, meant 03:51”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, reading: PainReading, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "score": reading.score,
                "recorded_at": display.local(reading.recorded_at).replace(microsecond=0),
                "context": reading.context,
            },
        )
        super().__init__(*args, **kwargs)
        self.reading = reading
        self.fields["recorded_at"].help_text = f"Clinic time, {display.zone_label()}."
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "correct-reading"
        self.helper.layout = Layout(
            Field("action", template=BUTTON_CHOICES_TEMPLATE),
            Field("score", template=BUTTON_CHOICES_TEMPLATE, wrapper_class="score-buttons"),
            Row(
                Column("recorded_at", css_class="col-sm-6"),
                Column(Field("context", template=BUTTON_CHOICES_TEMPLATE), css_class="col-sm-6"),
            ),
            "reason",
            Submit("save", "Save", css_class="btn-lg w-100"),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("action") != "correct":
            return cleaned
        for name in CORRECTED_FIELDS:
            if cleaned.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, "Give the corrected value (or withdraw the reading).")
        if not self.errors and self.correction() == {
            name: getattr(self.reading, name) for name in CORRECTED_FIELDS
        }:
            self.add_error(
                None, "Nothing differs from the reading: change a value, or withdraw it."
            )
        return cleaned

    def correction(self) -> dict[str, Any]:
        """The corrected reading's fields."""
        return {name: self.cleaned_data[name] for name in CORRECTED_FIELDS}
