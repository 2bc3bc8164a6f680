from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.db import models
from django.db.models import Count, QuerySet
from django.db.models import Field as DatabaseField
from django.http import HttpRequest

from .. import display, services
from ..forms import WorkUpForm
from ..models import Injection, Patient, WorkUp
from ..reminders.services import record_consent
from .base import ClinicalRecordAdmin


class InjectionOfPatientInline(admin.TabularInline):
    model = Injection
    # Every field shown, none editable.
    fields = readonly_fields = (
        "performed_local",
        "side",
        "result_display",
    )
    show_change_link = True
    extra = 0
    can_delete = False
    verbose_name_plural = "Injections"

    def has_add_permission(self, request: HttpRequest, obj: Patient | None = None) -> bool:
        return False

    @admin.display(description="Performed")
    def performed_local(self, obj: Injection) -> str:
        return display.date_time(obj.performed_at)

    @admin.display(description="Result")
    def result_display(self, obj: Injection) -> str:
        return display.result_badge(obj.result())


class WorkUpInlineForm(forms.ModelForm):
    class Meta:
        model = WorkUp
        fields = WorkUpForm.Meta.fields

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.instance.pk and self.has_changed():
            self.instance.ensure_editable()
        return cleaned


class WorkUpInline(admin.StackedInline):
    """The work-up per side, dated: editable until a block that uses it is signed (then the
    form says so on save, and the database refuses the change)."""

    model = WorkUp
    form = WorkUpInlineForm
    extra = 0
    # The browser's date box, as for the birth date.
    formfield_overrides = {
        models.DateField: {
            "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
    }
    can_delete = False
    classes = ["collapse"]
    fieldsets = [
        (None, {"fields": [("side", "examined_on"), ("pain_over_si_joint", "pain_onset")]}),
        (None, {"fields": ["usual_pain", "radiculopathy"]}),
        (
            "Provocation manoeuvres",
            {
                "fields": [
                    ("distraction", "thigh_thrust", "compression"),
                    ("sacral_thrust", "gaenslen", "faber"),
                ]
            },
        ),
        (
            "Conservative care and imaging",
            {
                "fields": [
                    ("conservative_care", "conservative_weeks", "active_rehab"),
                    ("imaging_reviewed", "other_causes_excluded"),
                ]
            },
        ),
    ]


class PatientForm(forms.ModelForm):
    reminders = forms.BooleanField(
        label="Agrees to diary reminders",
        required=False,
        help_text="Reminders go by email, else by text message, in the preferred language. "
        "Tick only when the patient has agreed; who recorded it and when are kept.",
    )

    class Meta:
        model = Patient
        fields = [
            "mrn",
            "family_name",
            "given_name",
            "date_of_birth",
            "sex",
            "phone",
            "email",
            "mobile",
            "preferred_language",
        ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # A view-only user's form has no fields: the admin shows the record read-only.
        if "reminders" in self.fields:
            self.fields["reminders"].initial = self.instance.reminders_allowed
        if "preferred_language" in self.fields:
            # Patients registered before there was a language are English unless staff say so.
            self.fields["preferred_language"].required = False

    def clean_preferred_language(self) -> str:
        return self.cleaned_data["preferred_language"] or Patient.Language.ENGLISH

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("reminders") and not (cleaned.get("email") or cleaned.get("mobile")):
            self.add_error("reminders", "Enter an email address or a mobile number first.")
        return cleaned


@admin.register(Patient)
class PatientAdmin(ClinicalRecordAdmin[Patient]):
    form = PatientForm
    list_display = ["mrn", "family_name", "given_name", "date_of_birth", "injection_count"]
    search_fields = ["mrn", "family_name", "given_name"]
    fieldsets = [
        (None, {"fields": ["mrn", "family_name", "given_name", "date_of_birth", "sex", "phone"]}),
        (
            "Reminders",
            {"fields": ["email", "mobile", "preferred_language", "reminders", "consent_record"]},
        ),
    ]
    readonly_fields = ["consent_record"]
    ordering = ["mrn"]
    inlines = [WorkUpInline, InjectionOfPatientInline]

    def get_inline_instances(
        self, request: HttpRequest, obj: Patient | None = None
    ) -> "list[InlineModelAdmin[Any, Any]]":
        # Work-ups are recorded for a patient on file: not on the add page.
        inlines = super().get_inline_instances(request, obj)
        return [i for i in inlines if obj is not None or not isinstance(i, WorkUpInline)]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not WorkUp:
            return super().save_formset(request, form, formset, change)
        # Through the service: the patient's checklists follow the work-up.
        for work_up in formset.save(commit=False):
            services.save_work_up(work_up, examined_by=request.user)

    def save_model(self, request: HttpRequest, obj: Patient, form: Any, change: bool) -> None:
        if "reminders" in form.cleaned_data:
            record_consent(obj, consents=form.cleaned_data["reminders"], user=request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description="Consent")
    def consent_record(self, obj: Patient) -> str:
        stopped = obj.reminders_stopped_at
        if obj.reminders_allowed:
            return (
                f"Agreed, recorded by {display.person(obj.reminder_consent_by)} on "
                f"{display.date_time(obj.reminder_consent_at)}"
            )
        if obj.reminder_consent_at and stopped:
            return f"Opted out on {display.date_time(stopped)} (link in a reminder)"
        return "Not recorded: no reminders"

    def formfield_for_dbfield(
        self, db_field: "DatabaseField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "date_of_birth":
            # The browser's date box: no "Today" shortcut for a birth date.
            kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> "QuerySet[Patient]":
        queryset = super().get_queryset(request)
        return queryset.annotate(injection_total=Count("injections")).order_by("mrn")

    @admin.display(description="Injections", ordering="injection_total")
    def injection_count(self, obj: Patient) -> int:
        return obj.injection_total  # type: ignore[attr-defined]  # get_queryset's annotation
