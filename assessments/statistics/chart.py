"""The outcome chart as inline SVG, drawn on the server: no script, no style attribute.

One stacked bar per month: the share of each result among the month's decided injections
(pending left out). Colours come from classes in static/assessments/statistics.css, so the
strict CSP holds and the colours match the outcome badges. The page puts the same figures
in a table next to it.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .. import display
from .figures import FINAL, SUPPRESSED, Group

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 44
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM


def joined(parts: list[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def y_at(share: float) -> float:
    return TOP + PLOT_HEIGHT * (1 - share)


def axis() -> SafeString:
    lines = []
    for percent in (0, 25, 50, 75, 100):
        y = round(y_at(percent / 100), 1)
        lines.append(
            format_html(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-axis" x="{}" y="{}" text-anchor="end">{} %</text>',
                LEFT,
                WIDTH - RIGHT,
                y,
                y,
                LEFT - 6,
                y + 4,
                percent,
            )
        )
    return joined(lines)


def bar(group: Group, first: bool, x: float, width: float) -> SafeString:
    label = format_html(
        '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        round(x + width / 2, 1),
        HEIGHT - BOTTOM + 16,
        group.label.split()[0],
    )
    if first or group.label.startswith("Jan"):
        label += format_html(
            '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
            round(x + width / 2, 1),
            HEIGHT - BOTTOM + 32,
            group.label.split()[-1],
        )
    if group.suppressed or not group.decided:
        words = group.hidden_as if group.suppressed else "none"
        return label + format_html(
            '<rect class="bar-empty" x="{}" y="{}" width="{}" height="{}"/>'
            '<text class="chart-note" x="{}" y="{}" text-anchor="middle">{}</text>',
            round(x, 1),
            TOP,
            round(width, 1),
            PLOT_HEIGHT,
            round(x + width / 2, 1),
            TOP + PLOT_HEIGHT / 2,
            words,
        )
    parts, below = [], 0.0
    for outcome in FINAL:
        share = group.counts[outcome.value] / group.decided
        if share:
            parts.append(
                format_html(
                    '<rect class="bar-{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {} ({})</title></rect>",
                    outcome.value,
                    round(x, 1),
                    round(y_at(below + share), 1),
                    round(width, 1),
                    round(PLOT_HEIGHT * share, 1),
                    group.label,
                    display.SHORT_OUTCOME[outcome],
                    group.rate(outcome.value),
                )
            )
        below += share
    return label + joined(parts)


def outcome_chart(months: list[Group], profile_title: str) -> SafeString:
    """The stacked bars of `months` (statistics' "month" grouping) as an <svg> element.

    Months before the first with any injection are left out (the table below lists them):
    ten empty bars filled a phone and pushed the months with data off to the right."""
    first = next((i for i, g in enumerate(months) if g.suppressed or g.injections), 0)
    months = months[first:]
    step = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    width = step * 0.7
    bars = format_html_join(
        "",
        "{}",
        (
            (bar(group, i == 0, LEFT + i * step + (step - width) / 2, width),)
            for i, group in enumerate(months)
        ),
    )
    described = "; ".join(
        f"{g.label}: "
        + (
            (SUPPRESSED + " patients" if g.hidden_as == SUPPRESSED else "hidden")
            if g.suppressed
            else ", ".join(f"{display.SHORT_OUTCOME[o].lower()} {g.rate(o.value)}" for o in FINAL)
            if g.decided
            else "no decided injections"
        )
        for g in months
    )
    return format_html(
        '<svg class="outcome-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="outcome-chart-title outcome-chart-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="outcome-chart-title">Results by month under {}</title>'
        '<desc id="outcome-chart-desc">Share of positive, indeterminate, negative and '
        "non-diagnostic results among decided injections each month. {}</desc>"
        "{}{}</svg>",
        WIDTH,
        HEIGHT,
        profile_title,
        described,
        axis(),
        bars,
    )
