from django import forms
from django.contrib import admin
from django.db.models import Count

from .. import display
from ..models import Injection, Patient
from .base import ClinicalRecordAdmin


class InjectionOfPatientInline(admin.TabularInline):
    model = Injection
    fields = ["performed_local", "side", "result_display"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False
    verbose_name_plural = "Injections"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Performed")
    def performed_local(self, obj):
        return display.date_time(obj.performed_at)

    @admin.display(description="Result")
    def result_display(self, obj):
        return display.result_badge(obj.result())


@admin.register(Patient)
class PatientAdmin(ClinicalRecordAdmin):
    list_display = ["mrn", "family_name", "given_name", "date_of_birth", "injection_count"]
    search_fields = ["mrn", "family_name", "given_name"]
    fields = ["mrn", "family_name", "given_name", "date_of_birth", "sex", "phone"]
    ordering = ["mrn"]
    inlines = [InjectionOfPatientInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "date_of_birth":
            # The browser's date box: no "Today" shortcut for a birth date.
            kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(injection_total=Count("injections")).order_by("mrn")

    @admin.display(description="Injections", ordering="injection_total")
    def injection_count(self, obj):
        return obj.injection_total
