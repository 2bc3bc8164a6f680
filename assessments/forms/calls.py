from typing import Any

from django import forms

from ..models import Patient

SCORES = [(str(score), str(score)) for score in range(11)]
OUTCOMES = [("reached", "Save score"), ("no_answer", "No answer")]


class CallForm(forms.Form):
    """A call on the call list: the score the patient gave (chosen, then saved), or "no
    answer". Without `outcome` (an older page), an empty score means no answer."""

    injection = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(choices=SCORES, coerce=int, empty_value=None, required=False)
    outcome = forms.ChoiceField(choices=OUTCOMES, required=False)
    note = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == "no_answer":
            cleaned["score"] = None
        elif cleaned.get("outcome") == "reached" and cleaned.get("score") is None:
            self.add_error("score", "Choose the score the patient gave, then save it.")
        return cleaned


class PhoneForm(forms.Form):
    """A phone number typed on the call list, for a patient who has none on file."""

    injection = forms.IntegerField(widget=forms.HiddenInput)
    phone = forms.CharField(
        max_length=Patient._meta.get_field("phone").max_length,
        validators=Patient._meta.get_field("phone").validators,
    )
