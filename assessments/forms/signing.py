"""Sign-off and amendment forms (admin pages in admin_views.py)."""

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
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

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The bedside page draws it with crispy; the admin page draws its fields itself.
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "sign-off"
        self.helper.add_input(Submit("sign", "Sign off", css_class="btn-success btn-lg w-100"))


class AmendmentForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the amendment",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept as an addendum on the record and printed on the report.",
    )
