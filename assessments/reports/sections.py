"""The report's sections as Platypus flowables, built fresh for each report."""

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from .. import display
from ..rules import Evaluation
from .chart import PainChart
from .criteria import Styles, criteria_section
from .data import ReportFacts
from .fonts import BOLD, REGULAR, markup, needs_fallback
from .palette import DECISIVE, GRID, HEAD_FILL, INK, LABEL, MUTED, OUTCOME_COLOURS, WINDOW

DISCLAIMER = "Supports documentation; does not replace clinical judgement."
DRAFT = "DRAFT — not signed"
CONTEXT_SHORT = {"At rest": "At rest", "During provoking activity": "Provoked"}
SOURCE_SHORT = {"Staff": "Staff", "Patient-reported": "Patient"}


def styles() -> Styles:
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=8.5, leading=11, textColor=INK)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=9.5),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=BOLD, fontSize=8, leading=9.5
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=2
        ),
        "outcome": ParagraphStyle(
            "outcome", parent=body, fontName=BOLD, fontSize=11, leading=14, alignment=TA_LEFT
        ),
        "emphasis": ParagraphStyle("emphasis", parent=body, fontName=BOLD),
    }


def text_cell(text: str, style: ParagraphStyle) -> Paragraph | str:
    """A plain string where the cell font has every glyph (fast), else a Paragraph."""
    return Paragraph(markup(text), style) if needs_fallback(text) else text


def story(facts: ReportFacts, frame_width: float) -> list[Flowable]:
    style = styles()
    flow = [details_table(facts, frame_width, style), Spacer(0, 5)]
    flow += notes_section(facts, style)
    # The result in force and its signature come first, so both stay on page 1.
    flow += [interpretation_box(facts, frame_width, style), Spacer(0, 4)]
    flow += [signature_block(facts, frame_width, style), Spacer(0, 6)]
    flow += criteria_section(facts, frame_width, style)
    flow += [PainChart(facts, frame_width), Spacer(0, 3)]
    flow += readings_section(facts, frame_width, style)
    flow += [Spacer(0, 2), follow_up_section(facts, frame_width, style), Spacer(0, 3)]
    flow += closing_section(facts, style)
    return flow


def details_table(facts: ReportFacts, frame_width: float, style: Styles) -> Table:
    label_width = 62
    value_width = frame_width / 2 - label_width
    patient = [
        ("Patient", text_cell(facts.patient_name, style["cell_bold"])),
        ("MRN", facts.mrn),
        ("Date of birth", facts.date_of_birth),
        ("Age", f"{facts.age_at_injection} years at injection"),
        ("Sex", facts.sex),
        ("Injection", f"#{facts.injection_id}"),
    ]
    procedure = [
        ("Performed", facts.performed_at),
        ("Side", facts.side),
        ("Proceduralist", text_cell(facts.proceduralist, style["cell"])),
        ("Guidance", facts.guidance),
        ("Contrast", facts.contrast),
        ("Anaesthetic", facts.anaesthetic),
        ("Corticosteroid", facts.steroid),
        ("Sedation", facts.sedation),
        ("Analgesic", text_cell(facts.analgesic, style["cell"])),
    ]
    rows = []
    for index in range(max(len(patient), len(procedure))):
        left = patient[index] if index < len(patient) else ("", "")
        right = procedure[index] if index < len(procedure) else ("", "")
        rows.append([left[0], left[1], right[0], right[1]])
    table = Table(
        [["PATIENT", "", "PROCEDURE", ""], *rows],
        colWidths=[label_width, value_width, label_width + 12, value_width - 12],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
                ("TEXTCOLOR", (0, 0), (-1, 0), MUTED),
                ("TEXTCOLOR", (0, 1), (0, -1), LABEL),
                ("TEXTCOLOR", (2, 1), (2, -1), LABEL),
                ("FONT", (1, 1), (1, 2), BOLD, 8),
                ("LINEBELOW", (0, 0), (1, 0), 0.6, GRID),
                ("LINEBELOW", (2, 0), (3, 0), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (2, 0), (2, -1), 12),
            ]
        )
    )
    return table


def free_text(text: str, style: ParagraphStyle) -> list[Paragraph]:
    """Typed prose as paragraphs that flow across pages (a table cell cannot split)."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [Paragraph(markup(block).replace("\n", "<br/>"), style) for block in blocks if block]


def notes_section(facts: ReportFacts, style: Styles) -> list[Flowable]:
    if not facts.notes.strip():
        return []
    return [
        Paragraph("Procedure notes", style["heading"]),
        *free_text(facts.notes, style["body"]),
        Spacer(0, 7),
    ]


def result_headline(facts: ReportFacts) -> str:
    """The result in force, in the box's first line: the signed outcome when signed."""
    result, evaluation = facts.result, facts.evaluation
    if result.signed:
        headline = f"Signed: {result.outcome.label}"
        if result.is_override:
            computed = display.outcome_label(result.computed, short=True)
            headline += f" — clinician override of the computed {computed}"
        return headline
    headline = result.outcome.label
    if evaluation.percent_reduction is not None:
        headline += f" — reduction {evaluation.percent_display}"
    if result.provisional:
        headline += " (provisional: the window is open)"
    return headline


def interpretation_box(facts: ReportFacts, frame_width: float, style: Styles) -> Table:
    evaluation, result = facts.evaluation, facts.result
    line, fill = OUTCOME_COLOURS[result.outcome]
    content = [Paragraph(markup(result_headline(facts)), style["outcome"])]
    if result.signed:
        computed = f"Computed ({facts.profile}, as signed): {result.computed.label}"
        if evaluation.percent_reduction is not None:
            computed += f" — reduction {evaluation.percent_display}"
        content.append(Paragraph(markup(computed), style["emphasis"]))
    if facts.signature is not None and facts.signature.override_reason:
        content.append(
            Paragraph(
                f"<b>Reason for the override:</b> {markup(facts.signature.override_reason)}",
                style["body"],
            )
        )
    if evaluation.at_threshold:
        content.append(Paragraph(markup(evaluation.at_threshold_sentence), style["emphasis"]))
    reasons = evaluation.reasons
    for reason in (reasons.headline, *reasons.details):
        content.append(Paragraph(markup(reason), style["body"]))
    decisive = next((row for row in facts.readings if row.is_decisive), None)
    if decisive is not None:
        content.append(
            Paragraph(
                markup(
                    f"Decisive reading: {decisive.score}/10, {decisive.phase.lower()} "
                    f"({decisive.local_time})."
                ),
                style["body"],
            )
        )
    content.append(Paragraph(markup(facts.relief.sentence), style["body"]))
    rule_words = "as signed" if facts.signature is not None else "as configured"
    rule = f"Profile {facts.profile} {rule_words}: {evaluation.rule_text}"
    content.append(Paragraph(markup(rule), style["small"]))
    # splitInRow: a long override reason may take more than a page; the box then splits
    # between its paragraphs (a one-cell table that cannot split is a LayoutError).
    box = Table([[content]], colWidths=[frame_width], splitInRow=1)
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), fill),
                ("LINEBEFORE", (0, 0), (0, -1), 4, line),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def readings_section(facts: ReportFacts, frame_width: float, style: Styles) -> list[Flowable]:
    heading = Paragraph("Pain readings (0–10 numeric rating scale)", style["heading"])
    if not facts.readings:
        return [heading, Paragraph("No pain readings recorded.", style["body"])]
    widths: list[float] = [64, 98, 36, 40, 52, 52, 42]
    widths.append(frame_width - sum(widths))
    header = ["Phase", "Clock time", "Score", "Change", "Reduction"]
    header += ["Context", "Source", "Marks"]
    rows = [header]
    commands = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 8),
        ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("ALIGN", (2, 0), (4, -1), "RIGHT"),
        ("RIGHTPADDING", (4, 0), (4, -1), 10),
        ("LINEBELOW", (0, 0), (-1, -1), 0.35, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.9),
    ]
    for index, row in enumerate(facts.readings, start=1):
        marks = row.marks
        if row.note or row.rescue:
            text = f"{marks}. {row.note}" if marks and row.note else marks or row.note
            marks = Paragraph(markup(text), style["cell"])
        rows.append(
            [
                row.phase,
                row.local_time,
                f"{row.score}/10",
                row.change_points.replace("-", "−"),
                row.reduction,
                CONTEXT_SHORT.get(row.context, row.context),
                SOURCE_SHORT.get(row.source, row.source),
                marks,
            ]
        )
        if row.in_window and not row.is_baseline:
            commands.append(("BACKGROUND", (0, index), (-1, index), WINDOW))
        if row.is_decisive:
            commands.append(("FONT", (0, index), (-1, index), BOLD, 8))
            commands.append(("TEXTCOLOR", (7, index), (7, index), DECISIVE))
        elif row.is_baseline:
            commands.append(("TEXTCOLOR", (0, index), (0, index), LABEL))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    key = Paragraph(markup(readings_legend(facts.evaluation)), style["small"])
    return [heading, table, Spacer(0, 2), key]


def readings_legend(evaluation: Evaluation) -> str:
    """The readings table's key: how the rule read the readings it shows."""
    decisive = (
        "the most relief (rule 1.0)" if evaluation.method == "best" else "the least relief counted"
    )
    return (
        f"Shaded: the {display.window_label()} window. \u201cDecisive\u201d: {decisive}. "
        "\u201cBaseline used\u201d: the rule's baseline. \u201cNot counted\u201d: another "
        "context, or a patient entry."
    )


def follow_up_section(facts: ReportFacts, frame_width: float, style: Styles) -> KeepTogether:
    days = facts.follow_up
    header = ["Day after injection", *[str(day.day) for day in days]]
    # Two rows (entries, then the mean with the lowest beside it), so the week and the
    # closing note fit under the readings and the coverage of a typical record on page 1.
    rows = [
        header,
        [
            "Entries: mean (lowest)",
            *[
                "0" if day.lowest is None else f"{day.entries}: {day.mean} ({day.lowest})"
                for day in days
            ],
        ],
    ]
    first = 96
    table = Table(rows, colWidths=[first] + [(frame_width - first) / len(days)] * len(days))
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),
                ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("TEXTCOLOR", (0, 1), (0, -1), LABEL),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.35, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 1.4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    heading = Paragraph(
        f"Follow-up week: days with data {facts.follow_up_days_with_data} of {len(days)}"
        + f'<font name="{REGULAR}" size="7.5"> · '
        + markup(f"Diary: {facts.diary.text} (clinic time).")
        + "</font>",
        style["heading"],
    )
    return KeepTogether([heading, table])


def signature_block(facts: ReportFacts, frame_width: float, style: Styles) -> Table:
    signature = facts.signature
    if signature is None:
        signed_by, signed_on = "_" * 28, "_" * 18
        status = Paragraph(f'<font color="#B42318"><b>{DRAFT}</b></font>', style["body"])
    else:
        signed_by, signed_on = signature.signed_by, signature.signed_at
        status = Paragraph(f"<b>Signed, version {signature.version}</b>", style["body"])
    line = Table(
        [
            [
                "Interpretation signed by",
                text_cell(signed_by, style["body"]),
                "on",
                signed_on,
                status,
            ]
        ],
        colWidths=[112, 150, 18, 118, frame_width - 398],
    )
    line.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8.5),
                ("TEXTCOLOR", (0, 0), (0, 0), LABEL),
                ("TEXTCOLOR", (2, 0), (2, 0), LABEL),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("ALIGN", (4, 0), (4, 0), "RIGHT"),
            ]
        )
    )
    return line


def closing_section(facts: ReportFacts, style: Styles) -> list[Flowable]:
    """Addenda of amendments, withdrawn readings and follow-up after the sign-off, then the
    note every report ends with."""
    parts = []
    for addendum in facts.addenda:
        parts += [Paragraph(f"<b>Addendum:</b> {markup(addendum)}", style["small"]), Spacer(0, 2)]
    for line in facts.withdrawn:
        parts += [
            Paragraph(f"<b>Withdrawn reading:</b> {markup(line)}", style["small"]),
            Spacer(0, 2),
        ]
    after = sum(row.after_signoff for row in facts.readings)
    if after:
        parts += [
            Paragraph(
                f"<b>Follow-up after sign-off:</b> {after} reading(s) were recorded after the "
                "signature, in the follow-up week; the signed result does not depend on them, "
                "the duration of relief and the diary do.",
                style["small"],
            ),
            Spacer(0, 2),
        ]
    parts.append(
        Paragraph(
            "A positive block is consistent with SI joint pain, not a diagnosis on its own: a "
            "single block can be falsely positive. A negative intra-articular block does not "
            "exclude extra-articular SI joint complex pain.",
            style["small"],
        )
    )
    return parts
