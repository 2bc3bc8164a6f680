from datetime import datetime, timedelta
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import BaseInlineFormSet
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.html import format_html

from . import display, rules
from .models import MAX_AFTER_INJECTION, MAX_BEFORE_INJECTION, Injection, PainReading, Patient
from .models.limits import EARLIEST_MESSAGE, too_early

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
        widget=forms.NumberInput(attrs={"step": "0.1", "class": "si-minutes"}),
    )

    class Meta:
        model = PainReading
        fields = ["recorded_at", "minutes_after", "score", "context", "source", "note"]

    def __init__(self, *args, injection=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.injection = injection
        self.fields["recorded_at"].required = False
        self.fields["score"].widget.attrs.update({"min": 0, "max": 10, "class": "si-score"})

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


class ReadingInlineFormSet(BaseInlineFormSet):
    """The injection's readings in the admin; two in the same minute are refused."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "injection": self.instance}

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            recorded_at = getattr(form, "cleaned_data", {}).get("recorded_at")
            if recorded_at is None or form.cleaned_data.get("DELETE"):
                continue
            minute = recorded_at.replace(second=0, microsecond=0)
            if minute in seen:
                form.add_error(
                    "recorded_at",
                    f"Another reading here is also at {display.clock(minute)}: give each "
                    "reading its own minute.",
                )
            seen[minute] = form


# Bedside pages (assessments/views.py). These forms check the shape of what was typed;
# clinical validity comes from the models' clean() (via ModelForm) and the services.

SCORE_CHOICES = [(score, str(score)) for score in range(11)]
SCORE_ERRORS = {
    "required": "Choose a score from 0 to 10.",
    "invalid_choice": "Choose a whole number from 0 to 10.",
}
BUTTON_CHOICES_TEMPLATE = "assessments/fields/button_choices.html"


def local_now():
    """Now in the clinic's zone, to the second: the default of a time input."""
    return display.local(timezone.now()).replace(microsecond=0)


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, in clinic local time to the second."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


def score_field(label="Pain score (0–10)", **kwargs):
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=SCORE_ERRORS,
        **kwargs,
    )


def clock_change_message(naive):
    """Why a local clock time cannot be stored: skipped or repeated by a clock change."""
    zone = timezone.get_current_timezone()
    first, second = naive.replace(fold=0, tzinfo=zone), naive.replace(fold=1, tzinfo=zone)
    when = f"{naive:%H:%M}", f"{naive:%a} {naive.day} {naive:%b %Y} in {zone}"
    if first.utcoffset() < second.utcoffset():
        return (
            f"{when[0]} does not exist on {when[1]}: the clocks went forward. "
            "Enter the time the clock showed."
        )
    return (
        f"{when[0]} happens twice on {when[1]}: the clocks went back, so it is ambiguous. "
        "Enter a time outside the repeated hour."
    )


def aware_local(naive):
    """`naive` clock time in the clinic's zone; a skipped or repeated time is a field error."""
    try:
        return from_current_timezone(naive)
    except ValidationError as error:
        if error.code != "ambiguous_timezone":
            raise
        raise ValidationError(clock_change_message(naive), code="clock_change") from None


class ClinicDateTimeField(forms.DateTimeField):
    """A date and time in clinic time, from 2000 on; a year 1 or 9999 is a field error."""

    def to_python(self, value):
        try:
            moment = super().to_python(value)
        except OverflowError:
            raise ValidationError(EARLIEST_MESSAGE, code="out_of_range") from None
        except ValidationError as error:
            if error.code != "ambiguous_timezone":
                raise
            naive = error.params["datetime"]
            raise ValidationError(clock_change_message(naive), code="clock_change") from None
        if moment is not None and too_early(moment):
            raise ValidationError(EARLIEST_MESSAGE, code="out_of_range")
        return moment


def local_time_field(label="Time", **kwargs):
    return ClinicDateTimeField(label=label, widget=LocalDateTimeInput, **kwargs)


def add_service_errors(form, error):
    """Put a service's ValidationError on the form's fields, or above the form."""
    if not hasattr(error, "error_dict"):
        # A whole-record refusal, e.g. the injection is signed and locked.
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, messages)


class QuickReadingForm(forms.ModelForm):
    """One reading after the injection, entered from the board with a few taps."""

    score = score_field()
    recorded_at = local_time_field()
    context = forms.ChoiceField(
        label="Context", choices=PainReading.Context.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = PainReading
        fields = ["score", "recorded_at", "context"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "recorded_at"
        ].help_text = f"Defaults to now. Clinic time, {display.zone_label()}."
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "quick-reading"
        self.helper.layout = Layout(
            Field("score", template=BUTTON_CHOICES_TEMPLATE, wrapper_class="score-buttons"),
            Row(
                Column("recorded_at", HTML(self.minutes_after_hint()), css_class="col-sm-6"),
                Column(Field("context", template=BUTTON_CHOICES_TEMPLATE), css_class="col-sm-6"),
            ),
            Submit("save", "Save reading", css_class="btn-lg w-100"),
        )

    def minutes_after_hint(self):
        """A live "N min after the injection" line under the time; see bedside.js."""
        performed_at = self.instance.injection.performed_at
        offset = timezone.localtime(performed_at).utcoffset()
        return format_html(
            '<p class="small mb-3 minutes-after" aria-live="polite" data-minutes-after="{}"'
            ' data-performed-at="{}" data-utc-offset-minutes="{}" data-window-start="{}"'
            ' data-window-end="{}"></p>',
            self["recorded_at"].auto_id,
            performed_at.isoformat(timespec="milliseconds"),
            int(offset.total_seconds() // 60),
            rules.WINDOW_START_MINUTES,
            rules.WINDOW_END_MINUTES,
        )


def staff_choices():
    return get_user_model().objects.filter(is_active=True, is_staff=True).order_by("username")


class ProceduralistField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display.person(obj)


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

    class Meta:
        model = Injection
        fields = [
            "performed_at",
            "side",
            "proceduralist",
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
            "notes",
        ]
        widgets = {"side": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 2})}

    patient_fields = ["family_name", "given_name", "date_of_birth", "sex"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        now = local_now()
        self.fields["proceduralist"].queryset = staff_choices()
        self.fields["side"].choices = Injection.Side.choices
        self.initial.setdefault("performed_at", now)
        self.initial.setdefault("baseline_at", now - timedelta(minutes=5))
        for name in ["performed_at", "baseline_at"]:
            self.fields[name].help_text = f"Clinic time, {display.zone_label()}."
        if user is not None:
            self.initial.setdefault("proceduralist", user.pk)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "new-injection"
        self.helper.layout = Layout(
            Fieldset(
                "Patient",
                Row(
                    Column("mrn", css_class="col-md-4"),
                    Column("family_name", css_class="col-md-4"),
                    Column("given_name", css_class="col-md-4"),
                ),
                Row(
                    Column("date_of_birth", css_class="col-md-4"),
                    Column("sex", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                "Injection",
                Row(
                    Column("performed_at", css_class="col-md-4"),
                    Column(Field("side", template=BUTTON_CHOICES_TEMPLATE), css_class="col-md-4"),
                    Column("proceduralist", css_class="col-md-4"),
                ),
                Row(
                    Column("guidance", css_class="col-md-4"),
                    Column("contrast", css_class="col-md-4"),
                    Column("sedation", css_class="col-md-4"),
                ),
                Row(
                    Column("anaesthetic_agent", css_class="col-md-4"),
                    Column("anaesthetic_concentration", css_class="col-6 col-md-4"),
                    Column("anaesthetic_volume_ml", css_class="col-6 col-md-4"),
                ),
                Row(
                    Column("steroid_agent", css_class="col-md-4"),
                    Column("steroid_dose_mg", css_class="col-md-4"),
                ),
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

    def patient_details(self):
        return {name: self.cleaned_data[name] for name in self.patient_fields}

    def injection_fields(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class FollowUpEntryForm(forms.ModelForm):
    """One diary entry on a given follow-up day: the day is fixed, staff type the time."""

    recorded_at = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    score = forms.IntegerField(
        label="Score", min_value=0, max_value=10, widget=forms.NumberInput(attrs={"step": "1"})
    )

    class Meta:
        model = PainReading
        fields = ["recorded_at", "score", "context", "source"]

    def __init__(self, *args, day_date, **kwargs):
        super().__init__(*args, **kwargs)
        self.day_date = day_date
        if self.instance.pk is not None:
            self.initial["recorded_at"] = timezone.localtime(self.instance.recorded_at).time()
        else:
            self.initial.setdefault("source", PainReading.Source.PATIENT)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(
                Column("recorded_at", css_class="col-6 col-md-2"),
                Column("score", css_class="col-6 col-md-2"),
                Column("context", css_class="col-6 col-md-3"),
                Column("source", css_class="col-6 col-md-3"),
                Column(
                    Submit("save", "Save" if self.instance.pk else "Add", css_class="w-100"),
                    css_class="col-12 col-md-2 mb-3 d-flex align-items-end",
                ),
                css_class="g-2",
            )
        )

    def clean_recorded_at(self):
        # Refuses a clock time that is skipped or repeated on a daylight-saving day.
        return aware_local(datetime.combine(self.day_date, self.cleaned_data["recorded_at"]))
