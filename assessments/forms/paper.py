"""Transcribing a paper diary: one row per diary slot, blank rows skipped."""

from django import forms

from ..models import PainReading

SCORE_OR_BLANK = [("", "—"), *[(str(score), str(score)) for score in range(11)]]


class PaperEntryForm(forms.Form):
    # The diary time this row was shown for: a slot that came due after the page was opened
    # must not shift the rows onto other times.
    slot = forms.CharField(widget=forms.HiddenInput, max_length=40)
    score = forms.TypedChoiceField(
        choices=SCORE_OR_BLANK,
        coerce=int,
        empty_value=None,
        required=False,
        label="Score",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    context = forms.ChoiceField(
        choices=PainReading.Context.choices,
        initial=PainReading.Context.PROVOKED,
        label="Doing",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    medication = forms.CharField(
        max_length=200,
        required=False,
        label="Pain medicine",
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


PaperDiaryFormSet = forms.formset_factory(PaperEntryForm, extra=0)
