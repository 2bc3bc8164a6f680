"""The bedside work-up: what payers ask to see before a block (rules/coverage.py)."""

from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms

from ..models import WorkUp
from ..rules.coverage import MANOEUVRES
from .fields import BUTTON_CHOICES_TEMPLATE

YES_NO = [("", "Not recorded"), ("True", "Yes"), ("False", "No")]


def yes_no_field(label: str, help_text: str = "") -> forms.NullBooleanField:
    return forms.NullBooleanField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.RadioSelect(choices=YES_NO),
    )


class WorkUpForm(forms.ModelForm):
    pain_over_si_joint = yes_no_field(
        "Pain primarily over the SI joint", "Below L5, between the iliac crest and gluteal fold."
    )
    active_rehab = yes_no_field("Active rehabilitation tried")
    imaging_reviewed = yes_no_field("Imaging reviewed")
    other_causes_excluded = yes_no_field(
        "Other causes excluded", "By examination and imaging (disc, facet, hip, fracture…)."
    )
    radiculopathy = yes_no_field("Radiculopathy")

    class Meta:
        model = WorkUp
        fields = [
            "side",
            "examined_on",
            "pain_over_si_joint",
            "pain_onset",
            "usual_pain",
            *MANOEUVRES,
            "conservative_care",
            "conservative_weeks",
            "active_rehab",
            "imaging_reviewed",
            "other_causes_excluded",
            "radiculopathy",
        ]
        widgets = {
            "side": forms.RadioSelect,
            "examined_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "pain_onset": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "usual_pain": forms.NumberInput(attrs={"min": 0, "max": 10}),
            **{name: forms.RadioSelect for name in MANOEUVRES},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["side"]).choices = WorkUp.Side.choices
        for name in MANOEUVRES:
            cast(forms.ChoiceField, self.fields[name]).choices = [
                ("", "Not recorded"),
                *WorkUp.Provocation.choices,
            ]
            self.fields[name].required = False
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "work-up"
        buttons = BUTTON_CHOICES_TEMPLATE
        self.helper.layout = Layout(
            Fieldset(
                "Pain",
                Row(
                    Column(Field("side", template=buttons), css_class="col-md-4"),
                    Column("examined_on", css_class="col-md-4"),
                    Column("usual_pain", css_class="col-md-4"),
                ),
                Row(
                    Column(Field("pain_over_si_joint", template=buttons), css_class="col-md-8"),
                    Column("pain_onset", css_class="col-md-4"),
                ),
                Field("radiculopathy", template=buttons),
            ),
            Fieldset(
                "Provocation manoeuvres (three or more positive support the SI joint)",
                *[Field(name, template=buttons) for name in MANOEUVRES],
            ),
            Fieldset(
                "Conservative care and imaging",
                Row(
                    Column("conservative_care", css_class="col-md-8"),
                    Column("conservative_weeks", css_class="col-md-4"),
                ),
                Field("active_rehab", template=buttons),
                Row(
                    Column(Field("imaging_reviewed", template=buttons), css_class="col-md-6"),
                    Column(Field("other_causes_excluded", template=buttons), css_class="col-md-6"),
                ),
            ),
            Submit("save", "Save work-up", css_class="btn-lg"),
        )
