from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from simple_history.admin import SimpleHistoryAdmin

from . import admin_views, display, services
from .access_log import record_report_access
from .forms import ReadingInlineForm, ReadingInlineFormSet
from .models import (
    Amendment,
    EnrolmentCode,
    Injection,
    PainReading,
    Patient,
    ReportAccess,
    SignOff,
)
from .reports.bundle import report_files, stream_zip, zip_filename

SEARCH_ID_LIST_LIMIT = 1000


class ClinicalRecordAdmin(SimpleHistoryAdmin):
    """Clinical records are never bulk-deleted, and only a superuser deletes one."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version is for reading: saving it would bypass validation, the sign-off
        # lock and the amendment trail.
        if request.method != "GET":
            raise PermissionDenied("Past versions are read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class InjectionOfPatientInline(admin.TabularInline):
    model = Injection
    fields = ["performed_local", "side", "outcome_display", "percent_reduction"]
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

    @admin.display(description="Outcome")
    def outcome_display(self, obj):
        return display.outcome_badge(obj.outcome)


@admin.register(Patient)
class PatientAdmin(ClinicalRecordAdmin):
    list_display = ["mrn", "family_name", "given_name", "date_of_birth", "injection_count"]
    search_fields = ["mrn", "family_name", "given_name"]
    fields = ["mrn", "family_name", "given_name", "date_of_birth", "sex"]
    ordering = ["mrn"]
    inlines = [InjectionOfPatientInline]

    class Media:
        css = {"all": ["assessments/outcomes.css", "assessments/admin.css"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.annotate(injection_total=Count("injections")).order_by("mrn")

    @admin.display(description="Injections", ordering="injection_total")
    def injection_count(self, obj):
        return obj.injection_total


class PainReadingInline(admin.TabularInline):
    model = PainReading
    form = ReadingInlineForm
    formset = ReadingInlineFormSet
    fields = ["recorded_at", "minutes_after", "phase", "score", "context", "source", "note"]
    readonly_fields = ["phase"]
    extra = 3

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return [name for name in self.fields if name != "minutes_after"]
        return self.fields

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and not (obj and obj.is_locked)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_locked)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    @admin.display(description="Phase")
    def phase(self, obj):
        if obj.pk is None:
            return "—"
        window = " (20–30 min window)" if obj.in_window else ""
        return f"{obj.phase}{window}"


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SignOffInline(ReadOnlyInline):
    model = SignOff
    fields = [
        "version",
        "signed_by",
        "signed_at_local",
        "signed_outcome",
        "override_reason",
        "archived_pdf",
    ]
    readonly_fields = fields
    verbose_name_plural = "Sign-offs"

    @admin.display(description="Signed at")
    def signed_at_local(self, obj):
        return display.date_time(obj.signed_at)

    @admin.display(description="Archived PDF")
    def archived_pdf(self, obj):
        url = reverse("admin:assessments_injection_archived", args=[obj.injection_id, obj.version])
        return format_html('<a href="{}">Signed PDF v{}</a>', url, obj.version)


class AmendmentInline(ReadOnlyInline):
    model = Amendment
    fields = ["amends_version", "opened_by", "opened_at", "reason"]
    readonly_fields = fields
    verbose_name_plural = "Amendments (addenda)"


@admin.register(Injection)
class InjectionAdmin(ClinicalRecordAdmin):
    list_display = [
        "performed_local",
        "patient_mrn",
        "patient_name",
        "side",
        "outcome_display",
        "percent_reduction",
        "proceduralist_name",
    ]
    list_display_links = ["performed_local"]
    # 50 rows keep the page fast on a busy clinic's list; the admin paginates the rest.
    list_per_page = 50
    list_filter = ["outcome", "side", "guidance", "performed_at"]
    list_select_related = ["patient", "proceduralist"]
    date_hierarchy = "performed_at"
    search_fields = ["patient__mrn", "patient__family_name", "patient__given_name"]
    search_help_text = "MRN, or family or given name (or part of one)."
    # No second COUNT(*) over every injection for "N total" on each page.
    show_full_result_count = False
    autocomplete_fields = ["patient"]
    readonly_fields = ["patient_details", "evaluation"]
    inlines = [PainReadingInline, SignOffInline, AmendmentInline]
    actions = ["download_pdf_reports"]
    fieldsets = [
        (None, {"fields": ["patient", "patient_details", "performed_at", "side", "proceduralist"]}),
        ("Evaluation", {"fields": ["evaluation"]}),
        ("Technique", {"fields": ["guidance", "contrast", "sedation"]}),
        (
            "Medication",
            {
                "fields": [
                    ("anaesthetic_agent", "anaesthetic_concentration", "anaesthetic_volume_ml"),
                    ("steroid_agent", "steroid_dose_mg"),
                ]
            },
        ),
        (None, {"fields": ["notes"]}),
    ]

    class Media:
        css = {"all": ["assessments/outcomes.css", "assessments/admin.css"]}

    def get_changeform_initial_data(self, request):
        return {
            "proceduralist": request.user.pk,
            "performed_at": timezone.now(),
            **super().get_changeform_initial_data(request),
        }

    def get_search_results(self, request, queryset, search_term):
        # Match patients first (a subquery over the patient table), then filter injections
        # by them: joining every injection to its patient to test a LIKE was the slow plan.
        if not search_term.strip():
            return queryset, False
        patient_admin = self.admin_site.get_model_admin(Patient)
        patients, _ = patient_admin.get_search_results(request, Patient.objects.all(), search_term)
        # The page asks the filtered list several times (count, rows, date range): match the
        # patients once. A very broad search keeps the subquery rather than a huge IN list.
        matched = list(patients.values_list("pk", flat=True)[: SEARCH_ID_LIST_LIMIT + 1])
        if len(matched) > SEARCH_ID_LIST_LIMIT:
            return queryset.filter(patient_id__in=patients.values("pk")), False
        return queryset.filter(patient_id__in=matched), False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/sign/", view(admin_views.sign_off), name="assessments_injection_sign"),
            path("<int:pk>/amend/", view(admin_views.amend), name="assessments_injection_amend"),
            path(
                "<int:pk>/signed/<int:version>.pdf",
                view(admin_views.archived_report),
                name="assessments_injection_archived",
            ),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        # A signed injection is read-only here; an amendment reopens it.
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_locked)

    def history_view(self, request, object_id, extra_context=None):
        return admin_views.audit_trail(request, self, object_id)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "performed_at":
            formfield.help_text = f"Clinic time ({timezone.get_current_timezone_name()})."
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "proceduralist":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True, is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="MRN", ordering="patient__mrn")
    def patient_mrn(self, obj):
        return obj.patient.mrn

    @admin.display(description="Name", ordering="patient__family_name")
    def patient_name(self, obj):
        return f"{obj.patient.family_name}, {obj.patient.given_name}"

    @admin.display(description="Proceduralist", ordering="proceduralist__last_name")
    def proceduralist_name(self, obj):
        return display.person(obj.proceduralist)

    @admin.display(description="Patient details")
    def patient_details(self, obj):
        if obj.pk is None:
            return "Shown once saved."
        patient = obj.patient
        return f"{patient.full_name}, born {patient.date_of_birth:%Y-%m-%d}"

    @admin.display(description="Performed", ordering="performed_at")
    def performed_local(self, obj):
        return display.date_time(obj.performed_at)

    @admin.display(description="Outcome", ordering="outcome")
    def outcome_display(self, obj):
        text = display.outcome_label(obj.outcome, short=True)
        if obj.at_threshold:
            text += ", exactly at threshold"
        return display.outcome_badge(obj.outcome, text=text)

    @admin.display(description="Evaluation")
    def evaluation(self, obj):
        if obj.pk is None:
            return "Saved with the readings."
        signoff = obj.signoff_in_force()
        result = obj.evaluation_in_force(signoff)
        signed = ""
        if signoff is not None:
            signed = format_html(
                "<p><strong>Signed v{} by {}:</strong> {}{}</p>",
                signoff.version,
                display.person(signoff.signed_by),
                display.outcome_badge(signoff.signed_outcome),
                format_html(" overrides the computed outcome: {}", signoff.override_reason)
                if signoff.is_override
                else "",
            )
        return format_html(
            "<div class='si-evaluation'>{}<p>Computed: {}</p><p><strong>Reduction:</strong> {}"
            " &nbsp; <strong>Decisive reading:</strong> {}</p><ul>{}</ul>"
            "<p class='si-rule'>Rule: {}</p></div>",
            signed,
            display.outcome_badge(result.outcome),
            result.percent_display,
            "—"
            if result.decisive_score is None
            else f"{result.decisive_score}/10 at {result.decisive_minutes:.1f} min",
            format_html_join("", "<li>{}</li>", ((reason,) for reason in result.reasons)),
            result.rule_text,
        )

    @admin.action(description="Download PDF reports", permissions=["view"])
    def download_pdf_reports(self, request, queryset):
        record_report_access(
            queryset.values_list("pk", flat=True), ReportAccess.Kind.BULK, user=request.user
        )
        response = StreamingHttpResponse(
            stream_zip(report_files(queryset)), content_type="application/zip"
        )
        response["Content-Disposition"] = content_disposition_header(True, zip_filename())
        response["Cache-Control"] = "private, no-store"
        return response

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for reading_form in formset.forms:
            if reading_form.instance.pk is None:
                reading_form.instance.entered_by = request.user
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_evaluation(form.instance.pk)


@admin.register(ReportAccess)
class ReportAccessAdmin(admin.ModelAdmin):
    """The access log: read-only for everyone, superusers included."""

    list_display = ["at_local", "actor", "kind", "injection_link"]
    list_filter = ["kind", "at"]
    search_fields = ["actor", "injection__id"]
    list_select_related = ["injection"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="When", ordering="at")
    def at_local(self, obj):
        return display.date_time(obj.at)

    @admin.display(description="Injection")
    def injection_link(self, obj):
        return format_html(
            '<a href="{}">#{}</a>', obj.injection.get_absolute_url(), obj.injection_id
        )


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(admin.ModelAdmin):
    """Superusers issue one-time enrolment codes; the code is shown once, then only its hash
    is kept. The list says who issued which, and whether it was used."""

    list_display = ["user", "issued_by", "issued_local", "expires_local", "state"]
    list_select_related = ["user", "issued_by"]
    fields = ["user"]
    autocomplete_fields = ["user"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        obj.issued_by = request.user
        obj.plain_code = obj.prepare()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Enrolment code issued",
            "code": obj.plain_code,
            "issued": obj,
        }
        return TemplateResponse(request, "admin/assessments/enrolmentcode/issued.html", context)

    @admin.display(description="Issued", ordering="issued_at")
    def issued_local(self, obj):
        return display.date_time(obj.issued_at)

    @admin.display(description="Expires", ordering="expires_at")
    def expires_local(self, obj):
        return display.date_time(obj.expires_at)

    @admin.display(description="State")
    def state(self, obj):
        if obj.used_at is not None:
            return f"Used {display.date_time(obj.used_at)}"
        return "Open" if obj.is_usable else "Expired"
