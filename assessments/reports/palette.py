"""The report's colours, in one place for the page, the chart and the tables."""

from reportlab.lib import colors

from .. import rules

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#616E7C")
GRID = colors.HexColor("#D9DEE4")
SERIES = colors.HexColor("#1F4E79")
BASELINE = colors.HexColor("#7B8794")
MEETS = colors.HexColor("#2E7D32")
DECISIVE = colors.HexColor("#C2410C")
WINDOW = colors.HexColor("#FDEFC3")
LABEL = colors.HexColor("#52606D")
HEAD_FILL = colors.HexColor("#EEF1F4")
OUTCOME_COLOURS = {
    rules.Outcome.POSITIVE: (colors.HexColor("#2E7D32"), colors.HexColor("#EDF7EE")),
    rules.Outcome.INDETERMINATE: (colors.HexColor("#B7791F"), colors.HexColor("#FDF6E3")),
    rules.Outcome.NEGATIVE: (colors.HexColor("#1F4E79"), colors.HexColor("#EBF2F9")),
    rules.Outcome.NON_DIAGNOSTIC: (colors.HexColor("#616E7C"), colors.HexColor("#F1F3F5")),
    rules.Outcome.PENDING: (colors.HexColor("#9EC5FE"), colors.HexColor("#F3F8FE")),
}
DRAFT_RED = colors.HexColor("#B42318")
