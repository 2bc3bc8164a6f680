"""The report's embedded fonts, shipped in assessments/reports/ttf/ (never taken from the system).

DejaVu Sans covers Latin, Greek and Cyrillic; Droid Sans Fallback covers CJK. Text is
split into runs so that each character is drawn with the first font that has a glyph
for it: "Zoë Ångström-Nuñez" stays in DejaVu, "李小龍" switches to the fallback.
"""

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent / "ttf"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FALLBACK = "DroidSansFallback"
FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    FALLBACK: "DroidSansFallback.ttf",
}


@cache
def register_fonts() -> dict[str, frozenset[int]]:
    """Parse and register the fonts once per process; ReportLab keeps per-document state."""
    for name, filename in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR)
    return {name: frozenset(pdfmetrics.getFont(name).face.charToGlyph) for name in FILES}


def font_runs(text: str, font: str = REGULAR) -> list[tuple[str, str]]:
    """Split text into (font name, chunk) runs, falling back where `font` lacks a glyph."""
    covered = register_fonts()
    main, fallback = covered[font], covered[FALLBACK]
    runs: list[list[str]] = []
    for char in text:
        code = ord(char)
        name = font if code in main or code not in fallback else FALLBACK
        if runs and runs[-1][0] == name:
            runs[-1][1] += char
        else:
            runs.append([name, char])
    return [(name, chunk) for name, chunk in runs]


def needs_fallback(text: str, font: str = REGULAR) -> bool:
    main = register_fonts()[font]
    return any(ord(char) not in main for char in text)


def markup(text: str, font: str = REGULAR) -> str:
    """Paragraph markup for `text`, escaped, with <font> tags around fallback runs."""
    if not needs_fallback(text, font):
        return escape(text)
    return "".join(
        escape(chunk) if name == font else f'<font name="{name}">{escape(chunk)}</font>'
        for name, chunk in font_runs(text, font)
    )


def string_width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(chunk, name, size) for name, chunk in font_runs(text, font))


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, font: str, size: float, align: str = "left"
) -> None:
    """canvas.drawString with font fallback; align is left, right or centre."""
    if align != "left":
        width = string_width(text, font, size)
        x -= width if align == "right" else width / 2
    for name, chunk in font_runs(text, font):
        canvas.setFont(name, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, name, size)
