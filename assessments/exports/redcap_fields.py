"""REDCap's data dictionary: every field, its form, type, choices and validation.

Two forms: `injection` (the procedure and the result, one per record) and `pain_reading`
(the repeating instrument, one instance per reading). Times are "YYYY-MM-DD HH:MM"
(datetime_ymd) in clinic time, the zone named in each time field's note. Choice fields are
coded "1, Label | 2, Label" in the order of the app's own choices.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from .. import display, rules
from ..models import Anaesthetic, Context, Contrast, Guidance, Sedation, Side, Source, Steroid
from .cells import Cell
from .coverage_columns import columns as coverage_columns
from .rows import InjectionFacts, ReadingFacts, rounded_minutes, rounded_percent

DICTIONARY_HEADER = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
]
INJECTION_FORM = "injection"
READING_FORM = "pain_reading"
RELIEF_STATUSES = ["assessed", "no relief", "not assessable", "no baseline"]


@dataclass(frozen=True)
class Field:
    name: str
    form: str
    kind: str  # text, notes, radio, yesno
    label: str
    # Reads an InjectionFacts (the injection form) or a ReadingFacts (the reading form).
    value: Callable[[Any], Cell | bool]
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label), coded 1, 2, …
    validation: str = ""  # datetime_ymd, integer, number
    minimum: str = ""
    maximum: str = ""
    identifier: bool = False
    required: bool = False
    note: str = ""

    def code(self, raw: Cell | bool) -> Cell:
        """What the records file holds for a stored value: its choice code, 1/0, or as is."""
        if raw is None or raw == "":
            return ""
        if self.kind == "yesno":
            return 1 if raw else 0
        if self.choices:
            return 1 + [value for value, _ in self.choices].index(str(raw))
        return raw

    def dictionary_row(self) -> list[str]:
        choices = " | ".join(
            f"{number}, {label}" for number, (_, label) in enumerate(self.choices, start=1)
        )
        return [
            self.name,
            self.form,
            "",
            self.kind,
            self.label,
            choices,
            self.note,
            self.validation,
            self.minimum,
            self.maximum,
            "y" if self.identifier else "",
            "",
            "y" if self.required else "",
            "",
            "",
            "",
            "",
            "",
        ]


def choices_of(choices: type[models.TextChoices]) -> tuple[tuple[str, str], ...]:
    return tuple(choices.choices)


OUTCOMES = tuple(
    (outcome.value, display.outcome_label(outcome, short=True)) for outcome in rules.Outcome
)


def time_note() -> str:
    return f"Clinic time, {timezone.get_default_timezone()}: YYYY-MM-DD HH:MM."


def fields() -> list[Field]:
    """Every field of the dictionary, in order; record_id first, as REDCap requires."""
    note = time_note()
    score = {"validation": "integer", "minimum": "0", "maximum": "10"}

    def injection(
        name: str,
        kind: str,
        label: str,
        value: Callable[[InjectionFacts], Cell | bool],
        **options: Any,
    ) -> Field:
        return Field(name, INJECTION_FORM, kind, label, value, **options)

    def reading(
        name: str,
        kind: str,
        label: str,
        value: Callable[[ReadingFacts], Cell | bool],
        **options: Any,
    ) -> Field:
        return Field(name, READING_FORM, kind, label, value, **options)

    return [
        injection("record_id", "text", "Injection ID", lambda f: f.injection.pk, required=True),
        injection("mrn", "text", "MRN", lambda f: f.patient.mrn, identifier=True),
        injection(
            "performed_at",
            "text",
            "Performed at",
            lambda f: display.minute_stamp(f.injection.performed_at),
            validation="datetime_ymd",
            note=note,
        ),
        injection("side", "radio", "Side", lambda f: f.injection.side, choices=choices_of(Side)),
        injection(
            "proceduralist",
            "text",
            "Proceduralist",
            lambda f: display.person(f.injection.proceduralist),
        ),
        injection(
            "guidance",
            "radio",
            "Image guidance",
            lambda f: f.injection.guidance,
            choices=choices_of(Guidance),
        ),
        injection(
            "contrast",
            "radio",
            "Contrast-confirmed spread",
            lambda f: f.injection.contrast,
            choices=choices_of(Contrast),
        ),
        injection(
            "sedation",
            "radio",
            "Sedation",
            lambda f: f.injection.sedation,
            choices=choices_of(Sedation),
        ),
        injection(
            "anaesthetic_agent",
            "radio",
            "Local anaesthetic",
            lambda f: f.injection.anaesthetic_agent,
            choices=choices_of(Anaesthetic),
        ),
        injection(
            "anaesthetic_concentration",
            "text",
            "Anaesthetic concentration (%)",
            lambda f: display.amount(f.injection.anaesthetic_concentration),
            validation="number",
        ),
        injection(
            "anaesthetic_volume_ml",
            "text",
            "Anaesthetic volume (mL)",
            lambda f: display.amount(f.injection.anaesthetic_volume_ml),
            validation="number",
        ),
        injection(
            "steroid_agent",
            "radio",
            "Corticosteroid",
            lambda f: f.injection.steroid_agent,
            choices=choices_of(Steroid),
        ),
        injection(
            "steroid_dose_mg",
            "text",
            "Corticosteroid dose (mg)",
            lambda f: display.amount(f.injection.steroid_dose_mg),
            validation="number",
        ),
        injection(
            "analgesic", "text", "Analgesic since the baseline", lambda f: f.injection.analgesic
        ),
        injection(
            "analgesic_at",
            "text",
            "Analgesic taken at",
            lambda f: display.minute_stamp(f.injection.analgesic_at),
            validation="datetime_ymd",
            note=note,
        ),
        injection(
            "baseline_score",
            "text",
            "Baseline score (0-10)",
            lambda f: f.evaluation.baseline,
            **score,
        ),
        injection(
            "decisive_score",
            "text",
            "Decisive score (0-10)",
            lambda f: f.evaluation.decisive_score,
            **score,
        ),
        injection(
            "percent_reduction",
            "text",
            "Pain reduction (%)",
            lambda f: rounded_percent(f.result.percent_reduction),
            validation="number",
            note="From the baseline to the decisive reading, one decimal.",
        ),
        injection(
            "at_threshold", "yesno", "Exactly at the threshold", lambda f: f.result.at_threshold
        ),
        injection("profile", "text", "Criteria profile (CODE@version)", lambda f: f.profile),
        injection(
            "computed_outcome",
            "radio",
            "Computed outcome (primary profile)",
            lambda f: f.result.computed.value,
            choices=OUTCOMES,
        ),
        injection(
            "result",
            "radio",
            "Result in force (signed wins)",
            lambda f: f.result.outcome.value,
            choices=OUTCOMES,
        ),
        injection(
            "provisional", "yesno", "Provisional (window open)", lambda f: f.result.provisional
        ),
        injection("signed", "yesno", "Signed", lambda f: f.result.signed),
        injection(
            "signed_outcome",
            "radio",
            "Signed outcome",
            lambda f: f.signoff.signed_outcome if f.signoff else "",
            choices=OUTCOMES,
        ),
        injection(
            "override",
            "yesno",
            "Signed outcome overrides the computed one",
            lambda f: f.result.is_override,
        ),
        injection(
            "override_reason",
            "notes",
            "Reason for the override",
            lambda f: f.signoff.override_reason if f.signoff else "",
        ),
        injection(
            "signed_by",
            "text",
            "Signed by",
            lambda f: display.person(f.signoff.signed_by) if f.signoff else "",
        ),
        injection(
            "signed_at",
            "text",
            "Signed at",
            lambda f: display.minute_stamp(f.signoff.signed_at) if f.signoff else "",
            validation="datetime_ymd",
            note=note,
        ),
        injection("confounders", "notes", "Confounders", lambda f: "; ".join(f.confounders)),
        injection(
            "diary_hour_slots_filled",
            "text",
            "Diary: anaesthetic-hour slots filled",
            lambda f: f.diary.hours_filled,
            validation="integer",
        ),
        injection(
            "diary_hour_slots",
            "text",
            "Diary: anaesthetic-hour slots",
            lambda f: f.diary.hours_total,
            validation="integer",
        ),
        injection(
            "diary_days_filled",
            "text",
            "Diary: days filled",
            lambda f: f.diary.days_filled,
            validation="integer",
        ),
        injection(
            "diary_days", "text", "Diary: days", lambda f: f.diary.days_total, validation="integer"
        ),
        injection(
            "relief_status",
            "radio",
            "Duration of relief",
            lambda f: f.relief.status,
            choices=tuple((status, status.capitalize()) for status in RELIEF_STATUSES),
        ),
        injection(
            "relief_last_meeting_min",
            "text",
            "Relief: last reading meeting the rule (minutes after the injection)",
            lambda f: rounded_minutes(f.relief.last_meeting),
            validation="number",
        ),
        injection(
            "relief_first_failing_min",
            "text",
            "Relief: first reading failing the rule (minutes after the injection)",
            lambda f: rounded_minutes(f.relief.first_failing),
            validation="number",
        ),
        *(
            injection(
                column.name,
                column.kind,
                column.label,
                column.value,
                choices=column.choices,
                validation=column.validation,
            )
            for column in coverage_columns()
        ),
        injection("notes", "notes", "Notes", lambda f: f.injection.notes),
        reading(
            "reading_at",
            "text",
            "Recorded at",
            lambda r: display.minute_stamp(r.reading.recorded_at),
            validation="datetime_ymd",
            note=note,
        ),
        reading(
            "reading_minutes",
            "text",
            "Minutes after the injection (negative: before it)",
            lambda r: r.minutes_rounded,
            validation="number",
        ),
        reading("reading_phase", "text", "Phase", lambda r: r.phase),
        reading("reading_score", "text", "Pain score (0-10)", lambda r: r.reading.score, **score),
        reading(
            "reading_context",
            "radio",
            "Context",
            lambda r: r.reading.context,
            choices=choices_of(Context),
        ),
        reading(
            "reading_source",
            "radio",
            "Source",
            lambda r: r.reading.source,
            choices=choices_of(Source),
        ),
        reading(
            "reading_in_window",
            "yesno",
            f"In the {display.window_label()} window",
            lambda r: r.in_window,
        ),
        reading("reading_counted", "yesno", "Counted by the rule", lambda r: r.counted),
        reading("reading_decisive", "yesno", "Decisive reading", lambda r: r.decisive),
        reading("reading_note", "text", "Note", lambda r: r.reading.note),
    ]
