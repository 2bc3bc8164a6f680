"""The report's pain chart: a small Flowable drawn with plain canvas calls.

reportlab.graphics' LinePlot cost most of a report's time when profiled; a chart this
simple needs only lines, rectangles and a few strings.

Two panels share the 0–10 axis. The left one shows the hours after the injection on a
split scale (the first hour, which holds the 20–30 minute window, takes half the width),
with baseline readings in a "before" strip; the right one shows the follow-up days.
"""

import math
from collections.abc import Callable, Iterable, Sequence

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from .. import display, rules
from .data import ReadingRow, ReportFacts
from .fonts import BOLD, REGULAR
from .palette import BASELINE, DECISIVE, GRID, INK, MEETS, MUTED, SERIES, WINDOW

MINUTES_PER_DAY = 24 * 60
FIRST_HOUR = 60
BEFORE_SHOWN = 30
# Where a reading's minutes and a score fall on the page (points).
XOf = Callable[[rules.Minutes], float]
YOf = Callable[[float], float]


def early_end_minutes(readings: Sequence[ReadingRow]) -> int:
    """The left panel runs to 4 h, or 8 h when there are readings between 4 and 8 h."""
    return 480 if any(240 < row.minutes <= 480 for row in readings) else 240


class PainChart(Flowable):
    def __init__(self, facts: ReportFacts, width: float, height: float = 88):
        super().__init__()
        self.facts = facts
        self.width = width
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        readings = self.facts.readings
        early_end = early_end_minutes(readings)
        late = [row for row in readings if row.minutes > early_end]
        last_day = max((row.minutes for row in late), default=0) / MINUTES_PER_DAY
        days = max(7, math.ceil(last_day))

        axis_width, gap, bottom = 22, 16, 30
        top = self.height - 26
        plot_width = self.width - axis_width - gap
        left = (axis_width, axis_width + plot_width * 0.6)
        right = (left[1] + gap, self.width)
        y_of = lambda score: bottom + (top - bottom) * score / 10  # noqa: E731

        def early_x(minutes: rules.Minutes) -> float:
            x0, x1 = left
            strip = (x1 - x0) * 0.1
            span = x1 - x0 - strip
            if minutes < 0:
                return x0 + strip * (1 - min(-float(minutes), BEFORE_SHOWN) / BEFORE_SHOWN)
            if minutes <= FIRST_HOUR:
                return x0 + strip + span * 0.5 * float(minutes) / FIRST_HOUR
            fraction = (float(minutes) - FIRST_HOUR) / (early_end - FIRST_HOUR)
            return x0 + strip + span * (0.5 + 0.5 * fraction)

        def late_x(minutes: rules.Minutes) -> float:
            x0, x1 = right
            return x0 + (x1 - x0) * float(minutes) / (days * MINUTES_PER_DAY)

        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 8.5)
        canvas.drawString(0, self.height - 9, "Pain score over time")
        self.draw_legend(canvas, axis_width, 4)
        # Window shading first, so grid and data draw over it.
        canvas.setFillColor(WINDOW)
        x_open = early_x(rules.WINDOW_START_MINUTES)
        x_close = early_x(rules.WINDOW_END_MINUTES)
        canvas.rect(x_open, bottom, x_close - x_open, top - bottom, stroke=0, fill=1)

        canvas.setLineWidth(0.4)
        canvas.setFont(REGULAR, 6.5)
        for score in range(0, 11, 2):
            y = y_of(score)
            canvas.setStrokeColor(GRID)
            canvas.line(left[0], y, left[1], y)
            canvas.line(right[0], y, right[1], y)
            canvas.setFillColor(MUTED)
            canvas.drawRightString(left[0] - 4, y - 2.2, str(score))
        canvas.saveState()
        canvas.translate(7, (top + bottom) / 2)
        canvas.rotate(90)
        canvas.drawCentredString(0, 0, "Pain (0–10)")
        canvas.restoreState()

        self.draw_panel_frame(canvas, left, bottom, top, "Hours after the injection")
        self.draw_panel_frame(canvas, right, bottom, top, "Follow-up days")
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 6.5)
        early_ticks = [(-BEFORE_SHOWN / 2, "before"), (0, "0"), (20, "20"), (30, "30"), (60, "1 h")]
        hours = range(2, 5) if early_end == 240 else range(4, 9, 2)
        early_ticks += [(hour * 60, f"{hour} h") for hour in hours]
        for minutes, label in early_ticks:
            canvas.drawCentredString(early_x(minutes), bottom - 9, label)
        for day in range(0, days + 1, 1 if days <= 8 else 2):
            canvas.drawCentredString(late_x(day * MINUTES_PER_DAY), bottom - 9, str(day))
        # The split in the left panel's scale, so no one reads it as linear.
        canvas.setStrokeColor(GRID)
        canvas.setDash(1, 2)
        canvas.line(early_x(FIRST_HOUR), bottom, early_x(FIRST_HOUR), top)
        canvas.line(early_x(0), bottom, early_x(0), top)
        canvas.setDash()

        evaluation = self.facts.evaluation
        if evaluation.baseline is not None:
            self.draw_level(canvas, evaluation.baseline, y_of, (left, right), BASELINE, (4, 2))
        if self.facts.meets_rule_score is not None:
            self.draw_level(canvas, self.facts.meets_rule_score, y_of, (left,), MEETS, (1, 1.5))

        self.draw_relief(canvas, early_x, early_end, top)
        early = [row for row in readings if row.minutes <= early_end]
        self.draw_series(canvas, [r for r in early if not r.is_baseline], early_x, y_of)
        self.draw_series(canvas, late, late_x, y_of)
        for row in early:
            if row.is_baseline:
                self.draw_point(canvas, early_x(row.minutes), y_of(row.score), square=True)
        if not late:
            canvas.setFillColor(MUTED)
            canvas.setFont(REGULAR, 7)
            canvas.drawCentredString(sum(right) / 2, (top + bottom) / 2, "No follow-up readings")
        canvas.restoreState()

    def draw_relief(self, canvas: Canvas, x_of: XOf, early_end: int, top: float) -> None:
        """The relief interval along the top: solid while it held, dashed where it ended."""
        relief = self.facts.relief
        if relief.began is None or relief.last_meeting is None:
            return
        y = top - 2.5
        start = x_of(min(relief.began, early_end))
        held = x_of(min(relief.last_meeting, early_end))
        canvas.setStrokeColor(MEETS)
        canvas.setLineWidth(2.4)
        canvas.line(start, y, max(held, start + 1.5), y)
        if relief.first_failing is not None:
            canvas.setLineWidth(1.2)
            canvas.setDash(2, 1.5)
            canvas.line(held, y, x_of(min(relief.first_failing, early_end)), y)
            canvas.setDash()
        canvas.setFillColor(MEETS)
        canvas.setFont(REGULAR, 6)
        canvas.drawString(start + 2, y - 7, "relief")

    def draw_panel_frame(
        self, canvas: Canvas, panel: tuple[float, float], bottom: float, top: float, title: str
    ) -> None:
        canvas.setStrokeColor(BASELINE)
        canvas.setLineWidth(0.6)
        canvas.line(panel[0], bottom, panel[1], bottom)
        canvas.line(panel[0], bottom, panel[0], top)
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 7)
        canvas.drawString(panel[0], top + 4, title)

    def draw_level(
        self,
        canvas: Canvas,
        score: int,
        y_of: YOf,
        panels: Iterable[tuple[float, float]],
        colour: colors.Color,
        dash: tuple[float, float],
    ) -> None:
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(0.9)
        canvas.setDash(*dash)
        y = y_of(score)
        for x0, x1 in panels:
            canvas.line(x0, y, x1, y)
        canvas.setDash()

    def draw_series(self, canvas: Canvas, rows: list[ReadingRow], x_of: XOf, y_of: YOf) -> None:
        if not rows:
            return
        canvas.setStrokeColor(SERIES)
        canvas.setLineWidth(1)
        if len(rows) > 1:
            path = canvas.beginPath()
            path.moveTo(x_of(rows[0].minutes), y_of(rows[0].score))
            for row in rows[1:]:
                path.lineTo(x_of(row.minutes), y_of(row.score))
            canvas.drawPath(path, stroke=1, fill=0)
        for row in rows:
            self.draw_point(canvas, x_of(row.minutes), y_of(row.score), decisive=row.is_decisive)

    def draw_point(
        self, canvas: Canvas, x: float, y: float, *, decisive: bool = False, square: bool = False
    ) -> None:
        canvas.setLineWidth(0.8)
        if decisive:
            canvas.setStrokeColor(DECISIVE)
            canvas.setFillColor(DECISIVE)
            canvas.circle(x, y, 3.2, stroke=1, fill=1)
        elif square:
            canvas.setStrokeColor(BASELINE)
            canvas.setFillColor(colors.white)
            canvas.rect(x - 2.2, y - 2.2, 4.4, 4.4, stroke=1, fill=1)
        else:
            canvas.setStrokeColor(SERIES)
            canvas.setFillColor(SERIES)
            canvas.circle(x, y, 1.9, stroke=1, fill=1)

    def draw_legend(self, canvas: Canvas, x: float, y: float) -> None:
        facts = self.facts
        items: list[tuple[str, colors.Color, tuple[float, float] | None, str]] = []
        if facts.evaluation.baseline is not None:
            items.append(("level", BASELINE, (4, 2), f"Baseline {facts.evaluation.baseline}/10"))
        if facts.meets_rule_score is not None:
            items.append(("level", MEETS, (1, 1.5), f"Meets rule at ≤ {facts.meets_rule_score}/10"))
        items.append(("box", WINDOW, None, f"{display.window_label()} window"))
        items.append(("dot", DECISIVE, None, "Decisive reading"))
        items.append(("square", BASELINE, None, "Before injection"))
        canvas.setFont(REGULAR, 7)
        for kind, colour, dash, label in items:
            if kind == "level" and dash is not None:
                canvas.setStrokeColor(colour)
                canvas.setLineWidth(0.9)
                canvas.setDash(*dash)
                canvas.line(x, y, x + 12, y)
                canvas.setDash()
            elif kind == "box":
                canvas.setFillColor(colour)
                canvas.rect(x, y - 4, 12, 8, stroke=0, fill=1)
            elif kind == "dot":
                self.draw_point(canvas, x + 6, y, decisive=True)
            else:
                self.draw_point(canvas, x + 6, y, square=True)
            canvas.setFillColor(MUTED)
            canvas.drawString(x + 16, y - 2.5, label)
            x += 16 + canvas.stringWidth(label, REGULAR, 7) + 14
