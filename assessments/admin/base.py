import hashlib
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.db.models.options import Options
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from ..views.fragments import kept, next_minute

RecordT = TypeVar("RecordT", bound=Model)


def asked(opts: "Options[Any]", params: dict[str, Any], *more: str) -> tuple[str, str, str]:
    """What a changelist's kept parts are keyed on: the model, the clinic's time zone and
    the query string (and `more`), hashed: a search may be a patient's name."""
    text = urlencode(sorted(params.items()), doseq=True) + "|" + "|".join(more)
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return (opts.label_lower, str(timezone.get_current_timezone()), digest)


def list_changes_at(request: HttpRequest, model_admin: Any, now: datetime) -> datetime | None:
    """The admin's `list_changes_at(now)`, asked once per request (the changelist keeps
    three parts); None when the admin does not say (nothing is kept)."""
    if getattr(model_admin, "list_changes_at", None) is None:
        return None
    if not hasattr(request, "list_changes_at"):
        request.list_changes_at = model_admin.list_changes_at(now)  # type: ignore[attr-defined]
    moment: datetime | None = request.list_changes_at  # type: ignore[attr-defined]
    return moment


class KeptCountPaginator(Paginator):
    """The changelist's paginator, its COUNT kept like the table (views/fragments.py)."""

    def __init__(
        self,
        *args: Any,
        kept_as: tuple[str, ...],
        request: HttpRequest,
        model_admin: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kept_as = kept_as
        self.request = request
        self.model_admin = model_admin

    @cached_property
    def count(self) -> int:
        now = timezone.now()

        def counted() -> tuple[int, datetime]:
            counted_rows: int = Paginator.count.func(self)  # type: ignore[attr-defined]
            until = list_changes_at(self.request, self.model_admin, now)
            return counted_rows, until or next_minute(now)

        return kept(self.kept_as, now, counted, self.request)


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


class PageRows:
    """A page's rows, fetched when first iterated. Its length comes from the count: the admin
    asks len() for "0 of 50 selected" before it needs the rows, and a kept table (the
    admin_rows tag) never needs them."""

    def __init__(self, queryset: "QuerySet[Any]", length: int):
        self.queryset = queryset
        self.length = length
        self.rows: list[Any] | None = None

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[Any]:
        if self.rows is None:
            self.rows = list(self.queryset)
        return iter(self.rows)


class FastChangeList(ChangeList):
    """The change URL of each row from one reverse() per page instead of one per row, and
    only the columns the list shows (`list_columns` on the ModelAdmin), which halves the time
    spent making model instances."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any):
        self.request = request  # For the kept parts (admin_rows, admin_dates).
        super().__init__(request, *args, **kwargs)

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        if self.list_editable:  # The formset needs the queryset itself.
            return
        if self.show_all and self.can_show_all:
            length = self.result_count
        else:
            before = (self.page_num - 1) * self.list_per_page
            length = max(0, min(self.list_per_page, self.result_count - before))
        self.result_list = PageRows(self.result_list, length)

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


class PlainSelect(forms.Select):
    """A <select> written in Python, with the form templates' markup: the templates (the
    select, an option each, their attributes) took a millisecond of every changelist."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        chosen = {"" if item is None else str(item) for item in self.format_value(value)}
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>\n',
            (
                (choice, " selected" if str(choice) in chosen else "", label)
                for choice, label in self.choices
            ),
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}\n</select>', name, attributes, options)


class PlainHiddenInput(forms.HiddenInput):
    """A hidden <input> written in Python, as the form templates write it."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        attributes: dict[str, Any] = {"type": "hidden", "name": name}
        shown = self.format_value(value)
        if shown is not None:
            attributes["value"] = shown
        return format_html("<input{}>", flatatt(self.build_attrs(attributes | self.attrs, attrs)))


class PlainActionForm(helpers.ActionForm):
    """The admin's action form (the action and "select across"), rendered without templates."""

    action = forms.ChoiceField(
        label=helpers.ActionForm.base_fields["action"].label, widget=PlainSelect
    )
    select_across = forms.BooleanField(
        label="",
        required=False,
        initial=0,
        widget=PlainHiddenInput({"class": "select-across"}),
    )


class FastListMixin:
    """A changelist whose per-row parts are plain strings: the same HTML as the admin's, without
    rendering a CheckboxInput through the form templates for every row, nor the action form's
    widgets."""

    action_form = PlainActionForm
    opts: "Options[Any]"  # the ModelAdmin's

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return FastChangeList

    def get_paginator(
        self,
        request: HttpRequest,
        queryset: "QuerySet[Any]",
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
    ) -> Paginator:
        match = request.resolver_match
        changelist = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        if not hasattr(self, "list_changes_at") or match is None or match.url_name != changelist:
            return super().get_paginator(  # type: ignore[misc]  # the ModelAdmin's
                request, queryset, per_page, orphans, allow_empty_first_page
            )
        # The same count on every page of the list: the page number is not part of the key.
        params = {name: value for name, value in request.GET.lists() if name != "p"}
        return KeptCountPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            kept_as=("changelist-count", *asked(self.opts, params)),
            request=request,
            model_admin=self,
        )

    def action_checkbox(self, obj: Model) -> SafeString:
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            str(obj),
        )
