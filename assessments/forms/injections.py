"""The bedside form that registers an injection with its baseline (and a new patient)."""

from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from .. import display
from ..models import Injection, PainReading, Patient
from .fields import BUTTON_CHOICES_TEMPLATE, local_now, local_time_field, score_field

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def in_groups(*names: str) -> Exists:
    membership = get_user_model().groups.through.objects.filter(
        user=OuterRef("pk"), group__name__in=names
    )
    return Exists(membership)


def staff_choices() -> "QuerySet[User]":
    """Who can be named as proceduralist: clinicians, and staff in no role group (a visiting
    proceduralist); not nurses, auditors or administrators, unless also clinicians."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(in_groups("Clinician")) | (~Q(in_groups("Nurse", "Auditor")) & Q(is_superuser=False))
        )
        .order_by("last_name", "first_name", "username")
    )


class ProceduralistField(forms.ModelChoiceField):
    def label_from_instance(self, obj: "User") -> str:
        return display.person(obj)


def thirds(*fields: str) -> Row:
    """A row of fields, a third of the width each from tablets up (one per line on phones)."""
    return Row(*[Column(field, css_class="col-md-4") for field in fields])


class NewInjectionForm(forms.ModelForm):
    """An injection with its baseline score; the patient is found by MRN or created."""

    mrn = forms.CharField(
        label="MRN",
        max_length=Patient._meta.get_field("mrn").max_length,
        help_text="A known MRN uses the record on file; a new one needs the name and birth date.",
    )
    family_name = forms.CharField(
        max_length=Patient._meta.get_field("family_name").max_length, required=False
    )
    given_name = forms.CharField(
        max_length=Patient._meta.get_field("given_name").max_length, required=False
    )
    date_of_birth = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sex = forms.ChoiceField(choices=[("", "—"), *Patient.Sex.choices], required=False)
    phone = forms.CharField(
        label="Phone number",
        max_length=32,
        required=False,
        help_text="For the follow-up calls.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    performed_at = local_time_field("Injection time")
    proceduralist = ProceduralistField(queryset=staff_choices())
    baseline_score = score_field("Baseline pain score (0–10)")
    baseline_at = local_time_field("Baseline time")
    baseline_context = forms.ChoiceField(
        label="Baseline context",
        choices=PainReading.Context.choices,
        initial=PainReading.Context.PROVOKED,
        widget=forms.RadioSelect,
        help_text="Ideally during the activity or manoeuvre that reproduces the usual pain.",
    )

    analgesic_at = local_time_field("Analgesic taken at", required=False)
    confirms_latest = forms.BooleanField(
        label="Confirms the patient's latest diagnostic block on this side",
        required=False,
        help_text="A comparative block: a different anaesthetic, no steroid.",
    )
    contrast_contraindicated = forms.NullBooleanField(
        label="Contrast contraindicated",
        required=False,
        widget=forms.RadioSelect(choices=[("", "Not recorded"), ("True", "Yes"), ("False", "No")]),
    )
    same_day_spine_block = forms.NullBooleanField(
        label="Facet, epidural or sympathetic block the same day",
        required=False,
        widget=forms.RadioSelect(choices=[("", "Not recorded"), ("True", "Yes"), ("False", "No")]),
    )

    class Meta:
        model = Injection
        fields = [
            "performed_at",
            "side",
            "proceduralist",
            "purpose",
            "guidance",
            "contrast",
            "sedation",
            "anaesthetic_agent",
            "anaesthetic_concentration",
            "anaesthetic_volume_ml",
            "steroid_agent",
            "steroid_dose_mg",
            "analgesic",
            "analgesic_at",
            "contrast_contraindicated",
            "same_day_spine_block",
            "notes",
        ]
        widgets = {
            "side": forms.RadioSelect,
            "purpose": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    patient_fields = ["family_name", "given_name", "date_of_birth", "sex", "phone"]

    def __init__(self, *args: Any, user: "User | None" = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        now = local_now()
        cast(forms.ModelChoiceField, self.fields["proceduralist"]).queryset = staff_choices()
        cast(forms.ChoiceField, self.fields["side"]).choices = Injection.Side.choices
        cast(forms.ChoiceField, self.fields["purpose"]).choices = Injection.Purpose.choices
        self.fields["purpose"].required = False
        self.initial.setdefault("performed_at", now)
        self.initial.setdefault("baseline_at", now - timedelta(minutes=5))
        for name in ["performed_at", "baseline_at"]:
            self.fields[name].help_text = f"Clinic time, {display.zone_label()}."
        if user is not None and user.has_perm("assessments.sign_injection"):
            # A clinician registering is usually the one injecting; a nurse chooses.
            self.initial.setdefault("proceduralist", user.pk)
        for name in ["guidance", "anaesthetic_agent", "contrast", "sedation", "steroid_agent"]:
            field = self.fields.get(name)
            if isinstance(field, forms.ChoiceField) and field.choices:
                # ChoiceField keeps its choices as (value, label) pairs.
                pairs = cast("list[tuple[str, str]]", field.choices)
                field.choices = [
                    ("", "Choose…") if value == "" else (value, label) for value, label in pairs
                ]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "new-injection"
        # The browser would stop at the first empty field, one at a time: the server's
        # summary lists them all at once.
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Fieldset(
                "Patient",
                thirds("mrn", "family_name", "given_name"),
                thirds("date_of_birth", "sex", "phone"),
            ),
            Fieldset(
                "Injection",
                thirds(
                    "performed_at",
                    Field("side", template=BUTTON_CHOICES_TEMPLATE),
                    "proceduralist",
                ),
                Row(
                    Column(
                        Field("purpose", template=BUTTON_CHOICES_TEMPLATE), css_class="col-md-4"
                    ),
                    Column("confirms_latest", css_class="col-md-8"),
                ),
                thirds("guidance", "contrast", "sedation"),
                Row(
                    Column(
                        Field("contrast_contraindicated", template=BUTTON_CHOICES_TEMPLATE),
                        css_class="col-md-6",
                    ),
                    Column(
                        Field("same_day_spine_block", template=BUTTON_CHOICES_TEMPLATE),
                        css_class="col-md-6",
                    ),
                ),
                Row(
                    Column("anaesthetic_agent", css_class="col-md-4"),
                    Column("anaesthetic_concentration", css_class="col-6 col-md-4"),
                    Column("anaesthetic_volume_ml", css_class="col-6 col-md-4"),
                ),
                thirds("steroid_agent", "steroid_dose_mg"),
                Row(
                    Column("analgesic", css_class="col-md-8"),
                    Column("analgesic_at", css_class="col-md-4"),
                ),
                "notes",
            ),
            Fieldset(
                "Baseline pain, before the injection",
                Field(
                    "baseline_score",
                    template=BUTTON_CHOICES_TEMPLATE,
                    wrapper_class="score-buttons",
                ),
                Row(
                    Column("baseline_at", css_class="col-md-6"),
                    Column(
                        Field("baseline_context", template=BUTTON_CHOICES_TEMPLATE),
                        css_class="col-md-6",
                    ),
                ),
            ),
            Submit("register", "Register injection", css_class="btn-lg"),
        )

    def clean_purpose(self) -> str:
        return self.cleaned_data["purpose"] or Injection.Purpose.DIAGNOSTIC

    def patient_details(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.patient_fields}

    def injection_fields(self) -> dict[str, Any]:
        # A field with a shape error is missing from cleaned_data: the model sees it empty.
        return {name: self.cleaned_data.get(name) for name in self._meta.fields or ()}

    def registration(self, created_by: Any) -> dict[str, Any]:
        """register_injection's arguments from what was typed (None where it was wrong)."""
        data = self.cleaned_data
        return {
            "mrn": data.get("mrn", ""),
            "patient_details": self.patient_details(),
            "injection_fields": self.injection_fields(),
            "baseline_score": data.get("baseline_score"),
            "baseline_at": data.get("baseline_at"),
            "baseline_context": data.get("baseline_context"),
            "created_by": created_by,
            "confirms_latest": bool(data.get("confirms_latest")),
        }

    def add_registration_errors(self, errors: dict[str, Any]) -> None:
        """The service's errors on fields the form has not already faulted, so a field shows
        one problem at a time and the rest show in the same round trip."""
        for name, messages in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, messages)
            elif name not in self.fields:
                self.add_error(None, messages)
