from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import display
from ..models import DataExport, EnrolmentCode, ReminderSend, ReportAccess
from ..models.audit import AuditEntry


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """A log nobody edits, superusers included (the database refuses it anyway)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description="When", ordering="at")
    def at_local(self, obj: AuditEntry | ReminderSend) -> str:
        return display.date_time(obj.at)

    @admin.display(description="Who", ordering="actor")
    def who(self, obj: AuditEntry) -> str:
        return display.person(obj.user) if obj.user else obj.actor


@admin.register(ReportAccess)
class ReportAccessAdmin(ReadOnlyLogAdmin):
    """The access log: read-only for everyone, superusers included."""

    list_display = ["at_local", "who", "kind", "injection_link"]
    list_filter = ["kind", "at"]
    search_fields = ["actor", "injection__patient__mrn"]
    search_help_text = "User name or MRN."
    list_select_related = ["injection__patient", "user"]
    date_hierarchy = "at"

    @admin.display(description="Injection")
    def injection_link(self, obj: ReportAccess) -> str:
        return format_html(
            '<a href="{}">MRN {} · #{}</a>',
            obj.injection.get_absolute_url(),
            obj.injection.patient.mrn,
            obj.injection_id,
        )


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyLogAdmin):
    """The export log: one row per CSV, REDCap or FHIR export."""

    list_display = ["at_local", "who", "format", "injections", "with_reports", "selection"]
    list_filter = ["format", "with_reports"]
    search_fields = ["actor"]
    search_help_text = "User name."
    list_select_related = ["user"]
    date_hierarchy = "at"


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(admin.ModelAdmin):
    """Superusers issue one-time enrolment codes; the code is shown once, then only its hash
    is kept. The list says who issued which, and whether it was used."""

    list_display = ["user", "issued_by", "issued_local", "expires_local", "state"]
    list_select_related = ["user", "issued_by"]
    fields = ["user"]
    autocomplete_fields = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.is_superuser

    def save_model(self, request: HttpRequest, obj: EnrolmentCode, form: Any, change: bool) -> None:
        obj.issued_by = request.user
        obj.plain_code = obj.prepare()
        super().save_model(request, obj, form, change)

    def response_add(
        self, request: HttpRequest, obj: EnrolmentCode, post_url_continue: str | None = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Enrolment code issued",
            "code": obj.plain_code,
            "issued": obj,
        }
        return TemplateResponse(request, "admin/assessments/enrolmentcode/issued.html", context)

    @admin.display(description="Issued", ordering="issued_at")
    def issued_local(self, obj: EnrolmentCode) -> str:
        return display.date_time(obj.issued_at)

    @admin.display(description="Expires", ordering="expires_at")
    def expires_local(self, obj: EnrolmentCode) -> str:
        return display.date_time(obj.expires_at)

    @admin.display(description="State")
    def state(self, obj: EnrolmentCode) -> str:
        if obj.used_at is not None:
            return f"Used {display.date_time(obj.used_at)}"
        return "Open" if obj.is_usable else "Expired"


@admin.register(ReminderSend)
class ReminderSendAdmin(ReadOnlyLogAdmin):
    """The reminders' send log: every send or failure, never the message."""

    list_display = ["at_local", "injection_link", "slot", "channel", "recipient", "delivered"]
    list_display += ["error", "sender"]
    list_filter = ["delivered", "channel", "at"]
    search_fields = ["reminder__diary_link__injection__patient__mrn"]
    search_help_text = "MRN."
    list_select_related = ["reminder__diary_link__injection__patient"]
    date_hierarchy = "at"

    @admin.display(description="Slot")
    def slot(self, obj: ReminderSend) -> str:
        return obj.reminder.slot_words

    @admin.display(description="Injection")
    def injection_link(self, obj: ReminderSend) -> str:
        injection = obj.reminder.diary_link.injection
        return format_html(
            '<a href="{}">MRN {} · #{}</a>',
            injection.get_absolute_url(),
            injection.patient.mrn,
            injection.pk,
        )


# django-otp's own admin adds pages that show a device's secret as a QR code (config/,
# qrcode/: a 500 for an id that does not exist) and lets an administrator type a secret in.
# Here authenticators are enrolled by their user at /account/two-factor/; a superuser only
# looks, and deletes the device of a lost phone.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "with_code", "created_local", "used_local"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    search_help_text = "User name."
    list_select_related = ["user", "enrolment_code"]
    # Every field shown, none editable.
    fields = readonly_fields = (
        "user",
        "name",
        "confirmed",
        "with_code",
        "created_local",
        "used_local",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description="Enrolled with a code", boolean=True)
    def with_code(self, obj: TOTPDevice) -> bool:
        return hasattr(obj, "enrolment_code")

    @admin.display(description="Enrolled", ordering="created_at")
    def created_local(self, obj: TOTPDevice) -> str:
        return display.date_time(obj.created_at) if obj.created_at else "—"

    @admin.display(description="Last used", ordering="last_used_at")
    def used_local(self, obj: TOTPDevice) -> str:
        return display.date_time(obj.last_used_at) if obj.last_used_at else "—"
