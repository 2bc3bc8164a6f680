from typing import Any, Generic, TypeVar

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

RecordT = TypeVar("RecordT", bound=Model)


class ClinicalRecordAdmin(SimpleHistoryAdmin, Generic[RecordT]):
    """Clinical records are never bulk-deleted, and only a superuser deletes one."""

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # A past version is for reading: saving it would bypass validation, the sign-off
        # lock and the amendment trail.
        if request.method != "GET":
            raise PermissionDenied("Past versions are read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request: HttpRequest, obj: RecordT | None = None) -> bool:
        return request.user.is_superuser

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class FastChangeList(ChangeList):
    """The change URL of each row from one reverse() per page instead of one per row, and
    only the columns the list shows (`list_columns` on the ModelAdmin), which halves the time
    spent making model instances."""

    def get_queryset(
        self, request: HttpRequest, exclude_parameters: list[str | None] | None = None
    ) -> "QuerySet[Any]":
        queryset = super().get_queryset(request, exclude_parameters)
        columns = getattr(self.model_admin, "list_columns", None)
        return queryset.only(*columns) if columns else queryset

    def url_for_result(self, result: Model) -> str:
        if not hasattr(self, "_change_url"):
            marker = "0"
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(marker,),
                current_app=self.model_admin.admin_site.name,
            )
            self._change_url = url.rsplit(f"/{marker}/", 1)
        before, after = self._change_url
        return f"{before}/{quote(getattr(result, self.pk_attname))}/{after}"


class FastListMixin:
    """A changelist whose per-row parts are plain strings: the same HTML as the admin's, without
    rendering a CheckboxInput through the form templates for every row."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return FastChangeList

    def action_checkbox(self, obj: Model) -> SafeString:
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            str(obj),
        )
