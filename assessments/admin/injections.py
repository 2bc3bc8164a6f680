from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Field as DatabaseField
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.text import capfirst

from .. import admin_views, display, services
from ..access import AuthenticatedHttpRequest
from ..access_log import record_report_access
from ..diary import services as diary
from ..diary.links import absolute_url
from ..exports import slots
from ..forms.fields import local_time_field
from ..models import DiaryLink, Injection, PainReading, Patient, ReportAccess
from ..models.result import WINDOW_LENGTH, InjectionQuerySet
from ..record import build_record
from ..reports.bundle import report_files, stream_zip, zip_filename
from ..reports.data import report_filename
from ..reports.handout import handout_facts, render_handout
from ..views.fragments import next_minute
from .base import ClinicalRecordAdmin, FastListMixin
from .exports import EXPORT_ACTIONS, ExportMixin, busy_response
from .filters import CoverageFilter, ResultFilter, SignedFilter
from .inlines import AmendmentInline, PainReadingInline, SignOffInline

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SEARCH_ID_LIST_LIMIT = 1000
# Records the add form may be given in its query string (?patient=12).
LINKED_RECORDS = ("patient", "proceduralist")
BIGGEST_ID = 2**63 - 1


def linked_record_exists(model: type[Model], name: str, value: object) -> bool:
    """Whether `value`, from a query string, is the id of an existing `name` record."""
    text = value if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit() and 0 < int(text) <= BIGGEST_ID):
        return False
    related = cast("type[Model]", model._meta.get_field(name).related_model)
    return related._default_manager.filter(pk=int(text)).exists()


HANDOUTS_LEFT_OUT = "HANDOUTS-NOT-INCLUDED.txt"


def handout_links(
    injections: Iterable[Injection], user: "User"
) -> tuple[list[tuple[Injection, DiaryLink]], list[tuple[Injection, str]]]:
    """Each injection's working diary link, made where missing, and the injections that can
    have none (their diary's week is over), decided before anything is streamed."""
    links, left_out = [], []
    for injection in injections:
        try:
            links.append((injection, diary.diary_link(injection, user=user)))
        except ValidationError as refusal:
            left_out.append((injection, " ".join(refusal.messages)))
    return links, left_out


def handout_files(
    links: list[tuple[Injection, DiaryLink]],
    left_out: list[tuple[Injection, str]],
    request: HttpRequest,
) -> Iterator[tuple[str, bytes]]:
    """(file name, handout PDF) for each (injection, link), then a note of those left out."""
    for injection, link in links:
        pdf = render_handout(handout_facts(injection, absolute_url(link, request), link))
        performed_on = timezone.localdate(injection.performed_at)
        name = report_filename(injection.patient.mrn, performed_on, injection.pk)
        yield name.replace("si-report", "si-diary-handout"), pdf
    if left_out:
        lines = [f"Injection #{injection.pk}: {why}" for injection, why in left_out]
        yield HANDOUTS_LEFT_OUT, ("\n".join(lines) + "\n").encode()


@admin.register(Injection)
class InjectionAdmin(FastListMixin, ExportMixin, ClinicalRecordAdmin[Injection]):
    list_display = [
        "performed_local",
        "patient_mrn",
        "patient_name",
        "side",
        "result_display",
        "reduction",
        "signed_display",
        "coverage_display",
        "proceduralist_name",
    ]
    list_display_links = ["performed_local"]
    # 50 rows keep the page fast on a busy clinic's list; the admin paginates the rest.
    list_per_page = 50
    # The date drill-down above the list chooses the period; no date filter beside it.
    list_filter = [ResultFilter, SignedFilter, CoverageFilter, "side", "guidance"]
    list_select_related = ["patient", "proceduralist", "coverage"]
    # What the rows show (and result() and __str__ read); a deferred column read per row
    # would be a query per row, which test_changelist_runs_a_constant_number_of_queries catches.
    list_columns = [
        "performed_at",
        "side",
        "outcome",
        "decisive_score",
        "percent_reduction",
        "at_threshold",
        "awaits_window_reading",
        "locked_at",
        "signed_outcome",
        "patient__mrn",
        "patient__family_name",
        "patient__given_name",
        "proceduralist__first_name",
        "proceduralist__last_name",
        "proceduralist__username",
        "coverage__status",
    ]
    date_hierarchy = "performed_at"
    search_fields = ["patient__mrn", "patient__family_name", "patient__given_name"]
    search_help_text = "MRN, or family or given name (or part of one)."
    # No second COUNT(*) over every injection for "N total" on each page.
    show_full_result_count = False
    autocomplete_fields = ["patient"]
    raw_id_fields = ["confirms", "work_up"]
    readonly_fields = [
        "patient_details",
        "evaluation",
        "performed_local",
        "analgesic_local",
        "proceduralist_name",
    ]
    inlines = [PainReadingInline, SignOffInline, AmendmentInline]
    actions = ["download_pdf_reports", "download_handouts", *EXPORT_ACTIONS]
    fieldsets = [
        (None, {"fields": ["patient", "patient_details", "performed_at", "side", "proceduralist"]}),
        ("Result", {"fields": ["evaluation"]}),
        ("Technique", {"fields": ["guidance", "contrast", "sedation"]}),
        (
            "Series and coverage",
            {
                "fields": [
                    ("purpose", "confirms"),
                    "work_up",
                    ("contrast_contraindicated", "same_day_spine_block"),
                    ("retest_tested", "retest_positive"),
                ],
                "description": "Coverage checklists are warnings: they never stop saving or "
                "signing.",
            },
        ),
        (
            "Medication",
            {
                "fields": [
                    ("anaesthetic_agent", "anaesthetic_concentration", "anaesthetic_volume_ml"),
                    ("steroid_agent", "steroid_dose_mg"),
                    ("analgesic", "analgesic_at"),
                ]
            },
        ),
        (None, {"fields": ["notes"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> InjectionQuerySet:
        # The admin's queryset is the model's manager's: an InjectionQuerySet.
        return cast(InjectionQuerySet, super().get_queryset(request)).with_result(timezone.now())

    def list_changes_at(self, now: datetime) -> datetime:
        """When the list may change by the clock alone (the admin_rows tag keeps its table
        until then, or a write): the next 30-minute window to close turns its injection's
        result from pending or provisional to final; the next minute at the latest."""
        first_open = (
            Injection.objects.filter(performed_at__gt=now - WINDOW_LENGTH)
            .order_by("performed_at")
            .values_list("performed_at", flat=True)
            .first()
        )
        moments = [next_minute(now)]
        if first_open is not None:
            moments.append(first_open + WINDOW_LENGTH)
        return min(moments)

    def get_inline_instances(
        self, request: HttpRequest, obj: Injection | None = None
    ) -> "list[InlineModelAdmin[Any, Any]]":
        # Sign-offs and amendments are listed once there are some: no empty tables.
        inlines = super().get_inline_instances(request, obj)
        if obj is None:
            return inlines
        empty: dict[type[InlineModelAdmin[Any, Any]], bool] = {
            SignOffInline: not obj.signoffs.exists(),
            AmendmentInline: not obj.amendments.exists(),
        }
        return [inline for inline in inlines if not empty.get(type(inline), False)]

    def get_fieldsets(self, request: HttpRequest, obj: Injection | None = None) -> Any:
        if obj is None or self.has_change_permission(request, obj):
            return self.fieldsets
        # Read-only (signed, or a role that only looks): times shown with their zone.
        shown = {
            "performed_at": "performed_local",
            "analgesic_at": "analgesic_local",
            "proceduralist": "proceduralist_name",
        }

        def swap(names: Any) -> Any:
            if isinstance(names, tuple):
                return tuple(swap(name) for name in names)
            if isinstance(names, list):
                return [swap(name) for name in names]
            return shown.get(names, names)

        return [
            (title, {**options, "fields": swap(options["fields"])})
            for title, options in self.fieldsets
        ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        given = super().get_changeform_initial_data(request)
        for name in LINKED_RECORDS:
            if name in given and not linked_record_exists(self.model, name, given[name]):
                # A link's patient=abc (or an id that is gone) would break the form's widgets.
                del given[name]
                label = getattr(self.model._meta.get_field(name), "verbose_name", name)
                messages.warning(
                    request, f"The link named a {label} that was not found: choose one below."
                )
        return {"proceduralist": request.user.pk, "performed_at": timezone.now(), **given}

    def get_search_results(
        self, request: HttpRequest, queryset: "QuerySet[Injection]", search_term: str
    ) -> tuple["QuerySet[Injection]", bool]:
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

    def get_urls(self) -> list[URLPattern]:
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

    def has_change_permission(self, request: HttpRequest, obj: Injection | None = None) -> bool:
        # A signed injection is read-only here; an amendment reopens it.
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def has_delete_permission(self, request: HttpRequest, obj: Injection | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.is_locked)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return admin_views.audit_trail_page(request, self, object_id)

    def formfield_for_dbfield(
        self, db_field: "DatabaseField[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name in ("performed_at", "analgesic_at"):
            # One date-and-time box in clinic time, as on the bedside pages (the admin's
            # "Now" shortcut would use the browser's clock and zone).
            return local_time_field(
                capfirst(db_field.verbose_name),
                required=not db_field.blank,
                help_text=f"Clinic time: {display.zone_label()}.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(
        self, db_field: "ForeignKey[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> "forms.ModelChoiceField[Any] | None":
        if db_field.name == "patient":
            formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
            if formfield is not None:
                # A patient is never deleted from an injection's form.
                formfield.widget.can_delete_related = False
            return formfield
        if db_field.name == "proceduralist":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True, is_staff=True)
            formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
            if formfield is not None:
                # The documented hook for the choices' labels, set on this one field.
                formfield.label_from_instance = display.person  # type: ignore[assignment]
            return formfield
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="MRN", ordering="patient__mrn")
    def patient_mrn(self, obj: Injection) -> str:
        return obj.patient.mrn

    @admin.display(description="Name", ordering="patient__family_name")
    def patient_name(self, obj: Injection) -> str:
        return f"{obj.patient.family_name}, {obj.patient.given_name}"

    @admin.display(description="Proceduralist", ordering="proceduralist__last_name")
    def proceduralist_name(self, obj: Injection) -> str:
        return display.person(obj.proceduralist)

    @admin.display(description="Patient details")
    def patient_details(self, obj: Injection) -> str:
        if obj.pk is None:
            return "Shown once saved."
        patient = obj.patient
        return f"{patient.full_name}, born {display.day_text(patient.date_of_birth)}"

    @admin.display(description="Performed", ordering="performed_at")
    def performed_local(self, obj: Injection) -> str:
        return display.date_time(obj.performed_at)

    @admin.display(description="Analgesic taken at")
    def analgesic_local(self, obj: Injection) -> str:
        return display.date_time(obj.analgesic_at) if obj.analgesic_at else "—"

    @admin.display(description="Result", ordering="result_in_force")
    def result_display(self, obj: Injection) -> str:
        result = obj.result()
        text = display.outcome_label(result.outcome, short=True)
        if result.at_threshold and not result.signed:
            text += ", exactly at threshold"
        badge = display.outcome_badge(result.outcome, text=text)
        if result.is_override:
            return format_html('{} <span class="result-mark">override</span>', badge)
        if result.provisional:
            return format_html('{} <span class="result-mark">provisional</span>', badge)
        return badge

    @admin.display(description="Reduction", ordering="percent_reduction")
    def reduction(self, obj: Injection) -> str:
        return display.percent(obj.percent_reduction)

    @admin.display(description="Coverage", ordering="coverage__status")
    def coverage_display(self, obj: Injection) -> str:
        """The clinic's checklists: met, incomplete or unmet (a warning, never a blocker)."""
        stored = getattr(obj, "coverage", None)
        return stored.status if stored is not None else "—"

    @admin.display(description="Signed", ordering="locked_at")
    def signed_display(self, obj: Injection) -> str:
        return "Signed" if obj.is_locked else "—"

    @admin.display(description="Result")
    def evaluation(self, obj: Injection) -> str:
        if obj.pk is None:
            return "Saved with the readings."
        record = build_record(obj, now=timezone.now())
        decisive = record.decisive
        return render_to_string(
            "admin/assessments/injection/_result.html",
            {
                "signoff": record.signoff,
                "evaluation": record.evaluation,
                "result": record.result,
                "criteria": record.criteria,
                "decisive": decisive.reading if decisive else None,
            },
        )

    @admin.action(description="Download PDF reports", permissions=["view"])
    def download_pdf_reports(
        self, request: AuthenticatedHttpRequest, queryset: "QuerySet[Injection]"
    ) -> HttpResponseBase:
        slot = slots.take()
        if slot is None:
            return busy_response(request, self.admin_site)
        try:
            record_report_access(
                queryset.values_list("pk", flat=True), ReportAccess.Kind.BULK, user=request.user
            )
        except BaseException:
            slot.release()
            raise
        response = StreamingHttpResponse(
            slot.holding(stream_zip(report_files(queryset))), content_type="application/zip"
        )
        response["Content-Disposition"] = content_disposition_header(True, zip_filename()) or ""
        response["Cache-Control"] = "private, no-store"
        return response

    def has_diary_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("assessments.add_painreading")

    @admin.action(
        description="Download diary handouts (makes missing diary links)", permissions=["diary"]
    )
    def download_handouts(
        self, request: AuthenticatedHttpRequest, queryset: "QuerySet[Injection]"
    ) -> HttpResponseBase | None:
        injections = list(queryset.select_related("patient").order_by("pk"))
        links, left_out = handout_links(injections, request.user)
        if left_out:
            named = ", ".join(f"#{injection.pk}" for injection, _ in left_out)
            level = messages.ERROR if not links else messages.WARNING
            self.message_user(
                request,
                f"No handout for injection {named}: the diary's week is over "
                f"({HANDOUTS_LEFT_OUT} in the zip says so too)."
                if links
                else f"No handout for injection {named}: the diary's week is over.",
                level,
            )
        if not links:
            return None
        record_report_access(
            [injection.pk for injection, _ in links], ReportAccess.Kind.HANDOUT, user=request.user
        )
        response = StreamingHttpResponse(
            stream_zip(handout_files(links, left_out, request)), content_type="application/zip"
        )
        response["Content-Disposition"] = (
            content_disposition_header(
                True, zip_filename().replace("si-reports", "si-diary-handouts")
            )
            or ""
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def save_model(self, request: HttpRequest, obj: Injection, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not PainReading:
            return super().save_formset(request, form, formset, change)
        # Readings go through the same service as the bedside pages (validation, the lock,
        # the evaluation), inside the admin's transaction.
        saved = []
        for reading in formset.save(commit=False):
            if reading.pk is None:
                reading.entered_by = request.user
            saved.append(services.save_reading(reading))
        for reading in formset.deleted_objects:
            services.delete_reading(reading)
        self.warn_not_counted(request, saved)
        return None

    def warn_not_counted(self, request: HttpRequest, saved: list[services.SavedReading]) -> None:
        """A reading saved here that is listed but not counted gets a warning saying why
        (read by the last save's evaluation, which saw them all)."""
        refreshed = saved[-1].refreshed if saved else None
        if refreshed is None:
            return
        for reading in (each.reading for each in saved):
            why = refreshed.not_counted_why(reading)
            if why:
                self.message_user(
                    request,
                    f"Reading {reading.score}/10 at {display.clock(reading.recorded_at)} is "
                    f"listed, not counted: {why}",
                    messages.WARNING,
                )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.refresh_evaluation(form.instance.pk)
