"""Sign-off and amendment forms (admin pages in admin_views.py)."""

from django import forms

from .. import rules
from ..models.limits import REASON_MAX


class SignOffForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Signed outcome",
        choices=[(outcome.value, outcome.label) for outcome in rules.FINAL_OUTCOMES],
        help_text="Keep the computed outcome to confirm it; choose another to override it.",
    )
    reason = forms.CharField(
        label="Reason for override",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Required only when overriding the computed outcome.",
    )


class AmendmentForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the amendment",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept as an addendum on the record and printed on the report.",
    )
