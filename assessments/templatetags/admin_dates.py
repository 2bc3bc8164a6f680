"""A date drill-down for large admin lists.

Django's date_hierarchy lists the distinct years, months or days with data, which means
truncating every row's date (a full scan; on SQLite a Python function per row). Here the
periods come from MIN and MAX of the filtered list, two index look-ups, so a period with
no injections can appear; its link simply shows an empty list.
"""

from datetime import date, datetime
from typing import Any, cast

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.template.base import Parser, Token
from django.utils import timezone

from ..admin.base import asked, list_changes_at
from ..views.fragments import kept, next_minute

register = template.Library()


def periods_between(first: date, last: date, kind: str) -> list[date]:
    if kind == "year":
        return [date(year, 1, 1) for year in range(first.year, last.year + 1)]
    if kind == "month":
        months = []
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            months.append(date(year, month, 1))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months
    return [date.fromordinal(day) for day in range(first.toordinal(), last.toordinal() + 1)]


class RangeOnlyQuerySet:
    """Stands in for cl.queryset: answers datetimes()/dates() from the MIN..MAX range.

    MIN and MAX are asked separately (each is one index look-up; SQLite scans the table
    for both in one query) and once per page, however often the drill-down asks.
    """

    def __init__(
        self, queryset: "QuerySet[Any]", field_name: str, changelist: ChangeList | None = None
    ):
        self.queryset = queryset
        self.field_name = field_name
        self.changelist = changelist
        self._bounds: dict[str, datetime | None] | None = None

    def first_and_last(self) -> dict[str, datetime | None]:
        ordered = self.queryset.order_by(self.field_name).values_list(self.field_name, flat=True)
        return {"first": ordered.first(), "last": ordered.last()}

    def bounds(self) -> dict[str, datetime | None]:
        if self._bounds is None:
            cl = self.changelist
            request = getattr(cl, "request", None)
            if cl is None or request is None or not hasattr(cl.model_admin, "list_changes_at"):
                self._bounds = self.first_and_last()
            else:  # Kept like the table (admin_rows.py), when the admin says until when.
                now = timezone.now()

                def bounds() -> tuple[dict[str, datetime | None], datetime]:
                    until = list_changes_at(request, cl.model_admin, now) or next_minute(now)
                    return self.first_and_last(), until

                key = ("changelist-dates", *asked(cl.opts, cl.params))
                self._bounds = kept(key, now, bounds, request)
        return self._bounds

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if not args and set(kwargs) == {"first", "last"}:
            return self.bounds()
        return self.queryset.aggregate(*args, **kwargs)

    def datetimes(self, field_name: str, kind: str) -> list[date]:
        bounds = self.bounds()
        if bounds["first"] is None:
            return []
        first, last = (timezone.localtime(bounds[key]).date() for key in ("first", "last"))
        return periods_between(first, last, kind)

    dates = datetimes


class RangeOnlyChangeList:
    """Stands in for the changelist: its own queryset, everything else the real one's."""

    def __init__(self, changelist: ChangeList):
        self._changelist = changelist
        self.queryset = RangeOnlyQuerySet(
            changelist.queryset, changelist.date_hierarchy, changelist
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._changelist, name)


def fast_date_hierarchy(cl: ChangeList) -> dict[str, Any] | None:
    # A stand-in, duck-typed: date_hierarchy reads only attributes the proxy forwards.
    return date_hierarchy(cast(ChangeList, RangeOnlyChangeList(cl)))


@register.tag(name="fast_date_hierarchy")
def fast_date_hierarchy_tag(parser: Parser, token: Token) -> InclusionAdminNode:
    return InclusionAdminNode(
        parser,
        token,
        func=fast_date_hierarchy,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
