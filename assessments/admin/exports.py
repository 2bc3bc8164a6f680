"""The injection changelist's exports: "Export selected" actions and "Export these" buttons.

Both need the "export injections" permission, stream the file, and write one export-log row
before the first byte. "Export these" builds the changelist the admin would show for the
same query string, so its filters, date drill-down and search select exactly the listed
injections (every page of them).
"""

from collections.abc import Container
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from ..access import AuthenticatedHttpRequest
from ..exports import service as exports
from ..exports import slots
from ..models import Injection

if TYPE_CHECKING:
    # Mixed into InjectionAdmin: the ModelAdmin it extends, for the checker.
    MixinBase = admin.ModelAdmin[Injection]
else:
    MixinBase = object

EXPORT_ACTIONS = ["export_csv", "export_csv_wide", "export_redcap", "export_fhir"]
BUSY_RETRY_SECONDS = 60


def busy_response(request: HttpRequest, admin_site: AdminSite) -> TemplateResponse:
    """429: this server process is streaming as many downloads as it may; nothing was
    exported or logged."""
    context = {
        **admin_site.each_context(request),
        "title": "Another download is being prepared",
        "limit": settings.EXPORTS_PER_WORKER,
        "retry_seconds": BUSY_RETRY_SECONDS,
    }
    response = TemplateResponse(
        request, "admin/assessments/injection/export_busy.html", context, status=429
    )
    response["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


class ExportMixin(MixinBase):
    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("assessments.export_injections")

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "export/<str:format>/",
                view(self.export_listed),
                name="assessments_injection_export",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        formats = list(exports.FORMATS.values()) if self.has_export_permission(request) else []
        return super().changelist_view(
            request, {"export_formats": formats, **(extra_context or {})}
        )

    def export_response(
        self,
        request: AuthenticatedHttpRequest,
        key: str,
        selection: "QuerySet[Injection]",
        described: str,
    ) -> HttpResponseBase:
        """Stream `selection` in format `key`, logged first as one export-log row; refused
        (and not logged) while this server process streams as many as it may."""
        slot = slots.take()
        if slot is None:
            return busy_response(request, self.admin_site)
        export_format = exports.FORMATS[key]
        now = timezone.now()
        try:
            exports.record_export(key, selection.count(), described, user=request.user)
        except BaseException:
            slot.release()
            raise
        response = StreamingHttpResponse(
            slot.holding(exports.export_chunks(key, selection, now=now)),
            content_type=export_format.content_type,
        )
        response["Content-Disposition"] = (
            content_disposition_header(True, exports.export_filename(export_format, now)) or ""
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def export_selected(
        self, request: AuthenticatedHttpRequest, queryset: "QuerySet[Injection]", key: str
    ) -> HttpResponseBase:
        # A subquery, not a list of ids: "select all" on a large list stays one query.
        selection = Injection.objects.filter(pk__in=queryset.values("pk"))
        ids = list(selection.order_by("pk").values_list("pk", flat=True)[: exports.IDS_SHOWN + 1])
        return self.export_response(request, key, selection, exports.selected_ids_text(ids))

    @admin.action(description="Export selected (CSV, one row per reading)", permissions=["export"])
    def export_csv(
        self, request: AuthenticatedHttpRequest, queryset: "QuerySet[Injection]"
    ) -> HttpResponseBase:
        return self.export_selected(request, queryset, "csv")

    @admin.action(
        description="Export selected (CSV, one row per injection)", permissions=["export"]
    )
    def export_csv_wide(
        self, request: AuthenticatedHttpRequest, queryset: "QuerySet[Injection]"
    ) -> HttpResponseBase:
        return self.export_selected(request, queryset, "csv-wide")

    @admin.action(description="Export selected (REDCap zip)", permissions=["export"])
    def export_redcap(
        self, request: AuthenticatedHttpRequest, queryset: "QuerySet[Injection]"
    ) -> HttpResponseBase:
        return self.export_selected(request, queryset, "redcap")

    @admin.action(description="Export selected (FHIR R4 bundle)", permissions=["export"])
    def export_fhir(
        self, request: AuthenticatedHttpRequest, queryset: "QuerySet[Injection]"
    ) -> HttpResponseBase:
        return self.export_selected(request, queryset, "fhir")

    def export_listed(self, request: AuthenticatedHttpRequest, format: str) -> HttpResponseBase:
        """ "Export these": every injection the changelist lists for this query string."""
        if not (self.has_view_permission(request) and self.has_export_permission(request)):
            raise PermissionDenied
        if format not in exports.FORMATS:
            raise Http404("No such export format.")
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:assessments_injection_changelist"))
        described = exports.changelist_text(request.GET, self.known_filters(changelist))
        return self.export_response(request, format, changelist.queryset, described)

    def known_filters(self, changelist: ChangeList) -> dict[str, Container[str]]:
        """Each parameter the list's filters and date drill-down use, with its values."""
        offered: dict[str, set[str]] = {}
        for spec in changelist.filter_specs:
            names = set(spec.expected_parameters())
            for choice in spec.choices(changelist):
                for name, value in parse_qsl(choice["query_string"].lstrip("?")):
                    if name in names:
                        offered.setdefault(name, set()).add(value)
        known: dict[str, Container[str]] = dict(offered)
        if self.date_hierarchy:
            for part in ("year", "month", "day"):
                known[f"{self.date_hierarchy}__{part}"] = exports.DatePart()
        return known
