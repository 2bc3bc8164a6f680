from django import forms

SCORES = [(str(score), str(score)) for score in range(11)]


class CallForm(forms.Form):
    """One tap on the call list: the score the patient gave, or "no answer" (no score)."""

    injection = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(choices=SCORES, coerce=int, empty_value=None, required=False)
    note = forms.CharField(max_length=200, required=False)
