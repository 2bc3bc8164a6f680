"""An injection's rows in the admin: its readings (editable until signed), sign-offs and
amendments (read-only)."""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from .. import display
from ..forms import ReadingInlineForm, ReadingInlineFormSet
from ..models import Amendment, Injection, PainReading, SignOff
from .base import ReadOnlyInline

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldGroups  # django-stubs' name for them


class PainReadingInline(admin.TabularInline):
    model = PainReading
    form = ReadingInlineForm
    formset = ReadingInlineFormSet
    fields = ["recorded_at", "minutes_after", "phase", "score", "context", "source", "note"]
    # Read-only (signed, or a role that only looks): times with their zone, and who entered.
    view_fields = ("recorded_local", "phase", "score", "context", "source", "entered", "note")
    readonly_fields = ["phase", "recorded_local", "entered"]
    extra = 3

    def get_fields(self, request: HttpRequest, obj: Injection | None = None) -> "_FieldGroups":
        if self.has_change_permission(request, obj) or self.has_add_permission(request, obj):
            return self.fields
        return self.view_fields

    def has_delete_permission(self, request: HttpRequest, obj: Injection | None = None) -> bool:
        return request.user.is_superuser and not (obj and obj.is_locked)

    def has_add_permission(self, request: HttpRequest, obj: Injection | None = None) -> bool:
        return super().has_add_permission(request, obj) and not (obj and obj.is_locked)

    def has_change_permission(self, request: HttpRequest, obj: Injection | None = None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    @admin.display(description="Phase")
    def phase(self, obj: PainReading) -> str:
        if obj.pk is None:
            return "—"
        if obj.in_window:
            return format_html(
                '{} <span class="si-window" title="In the {} window">window</span>',
                obj.phase,
                display.window_label(),
            )
        return obj.phase

    @admin.display(description="Recorded at")
    def recorded_local(self, obj: PainReading) -> str:
        return display.date_time(obj.recorded_at)

    @admin.display(description="Entered by")
    def entered(self, obj: PainReading) -> str:
        return display.person(obj.entered_by) if obj.entered_by_id else obj.get_source_display()


class SignOffInline(ReadOnlyInline):
    model = SignOff
    # Every field shown, none editable.
    fields = readonly_fields = (
        "version",
        "signer",
        "signed_at_local",
        "signed_outcome",
        "profile",
        "override_reason",
        "archived_pdf",
    )
    verbose_name_plural = "Sign-offs"

    @admin.display(description="Signed by")
    def signer(self, obj: SignOff) -> str:
        return display.person(obj.signed_by)

    @admin.display(description="Signed at")
    def signed_at_local(self, obj: SignOff) -> str:
        return display.date_time(obj.signed_at)

    @admin.display(description="Archived PDF")
    def archived_pdf(self, obj: SignOff) -> str:
        url = reverse("admin:assessments_injection_archived", args=[obj.injection_id, obj.version])
        return format_html('<a href="{}">Signed PDF v{}</a>', url, obj.version)


class AmendmentInline(ReadOnlyInline):
    model = Amendment
    # Every field shown, none editable.
    fields = readonly_fields = (
        "amends_version",
        "opener",
        "opened_local",
        "reason",
    )
    verbose_name_plural = "Amendments (addenda)"

    @admin.display(description="Opened by")
    def opener(self, obj: Amendment) -> str:
        return display.person(obj.opened_by)

    @admin.display(description="Opened at")
    def opened_local(self, obj: Amendment) -> str:
        return display.date_time(obj.opened_at)
