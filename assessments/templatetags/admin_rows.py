"""The changelist's rows, written the way the admin writes them but in one pass per row.

Django builds every cell through lookup_field, display_for_value and a format_html per
cell, then the template renders each cell again: about 55 % of a 50-row page. Here each row
is one string, with the same markup (`<td class="field-…">`, the first linked column in a
`<th>`, the action checkbox cell), so the admin's CSS and JavaScript work unchanged. It
serves list_display entries that are ModelAdmin methods, model fields or "action_checkbox";
no list_editable (the injection list has none).

A ModelAdmin that says when its list changes by the clock alone (`list_changes_at(now)`) has
the table kept (views/fragments.py) under the data version, the query string and the columns
(which carry the action checkbox or not): the same for every user who sees that list.
"""

from collections.abc import Callable
from datetime import datetime
from html import escape as escape_text
from typing import Any

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    result_headers,
    result_list,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field as DatabaseField
from django.db.models import Model
from django.db.models.options import Options
from django.template.loader import select_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from ..admin.base import asked, list_changes_at
from ..views.fragments import kept, next_minute

register = template.Library()

# A column: its cell's class, and what it shows for an object.
Writer = tuple[str, Callable[..., object]]


def column_writers(cl: ChangeList) -> list[Writer]:
    """For each list_display entry: (cell class, function of the object giving its value)."""
    admin = cl.model_admin
    empty = admin.get_empty_value_display()
    writers: list[Writer] = []
    for name in cl.list_display:
        if not isinstance(name, str):
            raise TypeError(f"fast_result_list writes named columns only, not {name!r}")
        if name == "action_checkbox":
            writers.append(("action-checkbox", admin.action_checkbox))
            continue
        try:
            field = cl.opts.get_field(name)
        except FieldDoesNotExist:
            method = getattr(admin, name)
            writers.append((f"field-{name}", lambda obj, m=method: plain(m(obj), empty)))
            continue
        if not isinstance(field, DatabaseField):
            raise TypeError(f"{name} is a relation's reverse side, not a column")
        if field.choices:
            getter = getattr(cl.model, f"get_{name}_display")
            writers.append((f"field-{name}", lambda obj, g=getter: g(obj)))
        else:
            writers.append(
                (
                    f"field-{name}",
                    lambda obj, f=field: display_for_field(getattr(obj, f.attname), f, empty),
                )
            )
    return writers


def plain(value: object, empty: str) -> str:
    """display_for_value's answer, quicker for the strings the columns mostly give."""
    if isinstance(value, str):
        return value or empty
    return display_for_value(value, empty)


def html(value: object) -> str:
    """conditional_escape for a str (safe or not), without its lazy-string wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape_text(str(value))


def row_html(
    obj: Model, writers: list[Writer], linked: int, change_url: Callable[[Model], str]
) -> SafeString:
    """One `<tr>`'s cells; the linked column opens the change page, filters preserved."""
    cells = []
    for index, (css, write) in enumerate(writers):
        value = html(write(obj))
        if index == linked:
            url = escape_text(change_url(obj))
            cells.append(f'<th class="{css}"><a href="{url}">{value}</a></th>')
        else:
            cells.append(f'<td class="{css}">{value}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - every value above is escaped


def fast_result_list(cl: ChangeList) -> dict[str, Any]:
    if cl.is_popup or getattr(cl, "formset", None):  # Pickers and list_editable: the admin's.
        return result_list(cl)
    headers = list(result_headers(cl))
    writers = column_writers(cl)
    # With no links named, the first column after the action checkbox opens the record.
    first = 1 if cl.list_display[0] == "action_checkbox" else 0
    links = cl.list_display_links or [cl.list_display[first]]
    linked = next(index for index, name in enumerate(cl.list_display) if name in links)
    # The preserved filters are the same query string on every row: work it out once.
    filters: dict[str, Options[Any] | str] = {
        "preserved_filters": cl.preserved_filters,
        "opts": cl.opts,
    }
    suffix = add_preserved_filters(filters, "/")[1:]

    def change_url(obj: Model) -> str:
        return cl.url_for_result(obj) + suffix

    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        # One item per row: the template writes it as it is.
        "results": [
            ResultList(None, [row_html(obj, writers, linked, change_url)]) for obj in cl.result_list
        ],
    }


def results_template(cl: ChangeList) -> Any:
    """change_list_results.html, looked up as the admin's inclusion tags look it up."""
    opts = cl.opts
    return select_template(
        [
            f"admin/{opts.app_label}/{opts.model_name}/change_list_results.html",
            f"admin/{opts.app_label}/change_list_results.html",
            "admin/change_list_results.html",
        ]
    )


@register.simple_tag
def kept_result_list(cl: ChangeList) -> SafeString:
    """The changelist's table, kept until a write or the moment the admin gives."""
    request = getattr(cl, "request", None)
    keeps = hasattr(cl.model_admin, "list_changes_at") and request is not None
    if request is None or not keeps or cl.is_popup or getattr(cl, "formset", None):
        return mark_safe(results_template(cl).render(fast_result_list(cl)))  # noqa: S308
    now = timezone.now()
    key = ("changelist", *asked(cl.opts, cl.params, ",".join(map(str, cl.list_display))))

    def table() -> tuple[str, datetime]:
        html = results_template(cl).render(fast_result_list(cl))
        return html, list_changes_at(request, cl.model_admin, now) or next_minute(now)

    return mark_safe(kept(key, now, table, request))  # noqa: S308 - a rendered template
