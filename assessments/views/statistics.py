"""The outcome dashboard (/stats/) and its table as CSV: staff with `view_statistics`."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..access import staff_required
from ..forms.statistics import StatisticsForm
from ..statistics.chart import outcome_chart
from ..statistics.documentation import documentation_by_month
from ..statistics.figures import FINAL, GROUPINGS, SMALL, statistics
from ..statistics.groups import Group
from ..statistics.table import COLUMNS, csv_text

VIEW_STATISTICS = ("assessments.view_statistics",)


@staff_required(read=VIEW_STATISTICS)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET)
    context: dict[str, object] = {
        "outcome_columns": [(o.value, COLUMNS[o.value]) for o in FINAL],
        "form": form,
        "columns": COLUMNS,
        "small": SMALL,
        "zone": timezone.get_default_timezone_name(),
    }
    if form.is_valid():
        data = form.cleaned_data
        figures = statistics(data["start"], data["end"], data["profile"])
        context.update(
            figures=figures,
            tables=[(GROUPINGS[name], figures.groupings[name]) for name in GROUPINGS],
            chart=outcome_chart(figures.groupings["month"], figures.profile.title),
            query=form.query(),
            summary=summary(figures.total),
            documentation=documentation_by_month(data["start"], data["end"]),
            coverage_policies=settings.SI_COVERAGE_POLICIES,
        )
    return render(
        request, "assessments/statistics.html", context, status=200 if form.is_valid() else 400
    )


@staff_required(read=VIEW_STATISTICS)
def table_csv(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            form.errors.as_text(), content_type="text/plain; charset=utf-8", status=400
        )
    data = form.cleaned_data
    figures = statistics(data["start"], data["end"], data["profile"])
    response = HttpResponse(csv_text(figures), content_type="text/csv; charset=utf-8")
    name = f"si-statistics-{data['start']:%Y%m}-{data['end']:%Y%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def summary(total: Group) -> list[tuple[str, str]]:
    """The whole range's rates as (figure, words) tiles."""
    cells = total.cells
    words = {
        **{o.value: f"{COLUMNS[o.value].lower()}" for o in FINAL},
        "signed": "signed off",
        "overridden": "of the signed overridden",
        "diary": "diary slots filled",
    }
    return [(cells[name], text) for name, text in words.items()]
