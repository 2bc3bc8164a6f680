"""The patient's diary handout: one page to take home, with the link as a QR code.

First name only: no family name, no MRN, no date of birth. The diary slots are printed as
clock times with the zone, and the same slots again as a paper table for patients without
a phone. Facts are gathered by `handout_facts`, drawn by `render_handout`, both in the
patient's language (locale/).
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .. import display
from ..models import DiaryLink, Injection
from .criteria import Styles
from .document import MARGIN, page_size
from .fonts import BOLD, REGULAR, markup, register_fonts
from .palette import GRID, HEAD_FILL, INK, MUTED
from .sections import styles

QR_SIZE = 38 * mm
INSTRUCTIONS = (
    gettext_lazy("Rate only the pain you came in with, not the injection site."),
    gettext_lazy(
        "Rate it while doing the activity that usually hurts (for example standing up, "
        "walking or climbing stairs), as you did before the injection."
    ),
    gettext_lazy("Use the same 0–10 scale: 0 is no pain, 10 is the worst pain you can imagine."),
    gettext_lazy("Write down any pain medicine you take (what, how much, when)."),
    gettext_lazy(
        "Scan the code with your phone's camera, or fill in the table and bring it back. "
        "Entries at other times are welcome too."
    ),
)


@dataclass(frozen=True)
class HandoutFacts:
    first_name: str
    injected: str
    zone: str
    url: str
    expires: str
    slots: tuple[tuple[str, str], ...]  # (when, what): "Tue 3 Mar, 09:20 GMT", "25 min"
    clinic_name: str
    clinic_phone: str
    language: str = "en"


def handout_facts(injection: Injection, url: str, link: DiaryLink) -> HandoutFacts:
    language = injection.patient.preferred_language
    with translation.override(language):
        slots: list[tuple[str, str]] = []
        for slot in injection.diary([]):
            if slot.minutes is not None:
                what = _("%(minutes)s min after") % {"minutes": slot.minutes}
            else:
                what = _("Day %(day)s") % {"day": slot.day}
            slots.append((display.patient_date_time(slot.at), what))
        return HandoutFacts(
            first_name=injection.patient.given_name,
            injected=display.patient_date_time(injection.performed_at),
            zone=display.zone_label(injection.performed_at),
            url=url,
            expires=display.patient_date_time(link.expires_at),
            slots=tuple(slots),
            clinic_name=settings.CLINIC_NAME,
            clinic_phone=settings.CLINIC_PHONE,
            language=language,
        )


def qr_drawing(url: str) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    return drawing


def render_handout(facts: HandoutFacts, *, invariant: bool = False) -> bytes:
    with translation.override(facts.language):
        return draw_handout(facts, invariant=invariant)


def draw_handout(facts: HandoutFacts, *, invariant: bool) -> bytes:
    register_fonts()
    style = styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page_size(),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("Your pain diary"),
        author=facts.clinic_name,
        invariant=int(invariant),
    )
    width = doc.width
    flow = [
        Paragraph(markup(facts.clinic_name), style["heading"]),
        Paragraph(markup(_("Phone %(phone)s") % {"phone": facts.clinic_phone}), style["small"]),
        Spacer(0, 8),
        Paragraph(
            markup(_("Your pain diary, %(name)s") % {"name": facts.first_name}), style["outcome"]
        ),
        Paragraph(
            markup(_("After your injection on %(when)s.") % {"when": facts.injected}),
            style["body"],
        ),
        Spacer(0, 6),
    ]
    flow += [Paragraph("• " + markup(str(line)), style["body"]) for line in INSTRUCTIONS]
    flow.append(Spacer(0, 8))
    link = [
        Paragraph("<b>" + markup(_("Your diary on your phone")) + "</b>", style["body"]),
        Paragraph(markup(facts.url), style["small"]),
        Paragraph(
            markup(_("The link works until %(when)s.") % {"when": facts.expires}), style["small"]
        ),
    ]
    qr = Table([[qr_drawing(facts.url), link]], colWidths=[QR_SIZE + 8, width - QR_SIZE - 8])
    qr.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    flow += [qr, Spacer(0, 8)]
    flow.append(paper_table(facts, width, style))
    flow.append(Spacer(0, 6))
    flow.append(
        Paragraph(
            markup(
                _(
                    "Times are in %(zone)s. Worse pain, fever, weakness or numbness that does "
                    "not wear off: call %(phone)s."
                )
                % {"zone": facts.zone, "phone": facts.clinic_phone}
            ),
            style["small"],
        )
    )
    doc.build(flow)
    return buffer.getvalue()


def paper_table(facts: HandoutFacts, width: float, style: Styles) -> KeepTogether:
    header = [
        _("When"),
        "",
        _("Pain 0–10"),
        _("Doing what (activity / rest)"),
        _("Pain medicine (what, when)"),
    ]
    # Paragraphs wrap: a plain string ran past its cell ("…08:20 UTC" over "300 min after").
    cell = ParagraphStyle(
        "diary-cell", parent=style["small"], fontName=REGULAR, fontSize=8, leading=9.6
    )
    quiet = ParagraphStyle("diary-what", parent=cell, textColor=MUTED)
    header = [
        Paragraph(
            markup(words),
            ParagraphStyle("diary-head", parent=cell, fontName=BOLD, fontSize=7.5, leading=9),
        )
        for words in header
    ]
    rows = [header] + [
        [Paragraph(markup(when), cell), Paragraph(markup(what), quiet), "", "", ""]
        for when, what in facts.slots
    ]
    widths = [112, 66, 46, 112]
    table = Table(rows, colWidths=[*widths, width - sum(widths)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("TEXTCOLOR", (1, 1), (1, -1), MUTED),
                ("TEXTCOLOR", (0, 1), (0, -1), INK),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("TOPPADDING", (0, 1), (-1, -1), 3.2),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 3.2),
            ]
        )
    )
    title = Paragraph(
        "<b>"
        + markup(_("Paper diary"))
        + "</b> "
        + markup(_("(if you have no phone: fill in and bring back)")),
        style["body"],
    )
    return KeepTogether([title, Spacer(0, 3), table])
