from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import display
from ..forms.fields import BUTTON_CHOICES_TEMPLATE, local_now, local_time_field, score_field
from ..models import PainReading

CONTEXT_CHOICES = [
    (PainReading.Context.PROVOKED, gettext_lazy("While doing the activity that usually hurts")),
    (PainReading.Context.REST, gettext_lazy("At rest")),
]


class PatientEntryForm(forms.Form):
    """The patient's own diary entry: a score, when, doing what, and any pain medicine."""

    score = score_field(
        gettext_lazy("How bad is the pain you came in with? (0 = none, 10 = worst)")
    )
    context = forms.ChoiceField(
        label=gettext_lazy("Doing what?"),
        choices=CONTEXT_CHOICES,
        initial=PainReading.Context.PROVOKED,
        widget=forms.RadioSelect,
    )
    recorded_at = local_time_field(gettext_lazy("When?"), seconds=False)
    medication = forms.CharField(
        label=gettext_lazy("Pain medicine since your last entry (what and how much)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Leave empty if you took none."),
    )
    medication_at = local_time_field(
        gettext_lazy("When did you take it?"), seconds=False, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("recorded_at", local_now().replace(second=0))
        zone = display.zone_label()
        self.fields["recorded_at"].help_text = _(
            "Now, unless you are writing down an earlier time. Clinic time: %(zone)s."
        ) % {"zone": zone}
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "diary-entry"
        self.helper.layout = Layout(
            Field("score", template=BUTTON_CHOICES_TEMPLATE, wrapper_class="score-buttons"),
            Field("context", template=BUTTON_CHOICES_TEMPLATE),
            "recorded_at",
            Fieldset(_("Pain medicine"), "medication", "medication_at"),
            Submit("save", _("Send"), css_class="btn-lg w-100"),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("medication") and not cleaned.get("medication_at"):
            self.add_error("medication_at", _("Say when you took it."))
        if cleaned.get("medication_at") and not cleaned.get("medication"):
            self.add_error("medication", _("Say which medicine you took."))
        return cleaned
