from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .. import display, rules
from ..rules.profiles import (
    Criterion,
    Profile,
    criteria_matrix,
    evaluate_profile,
    profile_baseline,
)
from ..rules.profiles import find as find_profile
from ..rules.relief import Relief, duration_of_relief
from ..rules.schedule import Slot, schedule
from .choices import (
    Anaesthetic,
    Contrast,
    Guidance,
    OutcomeChoices,
    Purpose,
    Sedation,
    Side,
    Source,
    Steroid,
)
from .limits import (
    EARLIEST_MESSAGE,
    EARLIEST_STORED,
    MAX_BEFORE_INJECTION,
    NOTES_MAX,
    ONE_MICROSECOND,
    choice_constraint,
    choice_values,
    length_constraint,
    staff_member,
    taken_errors,
    too_early,
)
from .patient import Patient
from .result import InjectionQuerySet, ResultInForce

if TYPE_CHECKING:
    from .reading import PainReading

# What a reviewer asks about: a name, or [what, minutes after the injection, when].
Confounder = str | list[str]

ONE_DAY = MAX_BEFORE_INJECTION


class Injection(ResultInForce, models.Model):
    Side = Side

    Purpose = Purpose

    Guidance = Guidance

    Contrast = Contrast

    Anaesthetic = Anaesthetic

    Steroid = Steroid

    Sedation = Sedation

    Outcome = OutcomeChoices

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="injections")
    performed_at = models.DateTimeField("performed at")
    side = models.CharField(max_length=5, choices=Side.choices)
    proceduralist = staff_member()
    guidance = models.CharField("image guidance", max_length=12, choices=Guidance.choices)
    contrast = models.CharField(
        "contrast-confirmed spread",
        max_length=12,
        choices=Contrast.choices,
        default=Contrast.NOT_RECORDED,
    )
    anaesthetic_agent = models.CharField(max_length=16, choices=Anaesthetic.choices)
    anaesthetic_concentration = models.DecimalField(
        "concentration (%)",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10"))],
    )
    anaesthetic_volume_ml = models.DecimalField(
        "volume (mL)",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("20"))],
    )
    steroid_agent = models.CharField(
        "corticosteroid", max_length=20, choices=Steroid.choices, default=Steroid.NONE
    )
    steroid_dose_mg = models.DecimalField(
        "corticosteroid dose (mg)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    sedation = models.CharField(max_length=10, choices=Sedation.choices, default=Sedation.NONE)
    analgesic = models.CharField(
        "analgesic since the baseline",
        max_length=200,
        blank=True,
        help_text="Pain medicine taken between the baseline and the readings: what and how much.",
    )
    analgesic_at = models.DateTimeField(
        "analgesic taken at", null=True, blank=True, help_text="When it was taken."
    )
    # The series and the work-up (issue 21): what the coverage checklists read.
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.DIAGNOSTIC)
    confirms = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmed_by",
        help_text="The earlier diagnostic block (same patient and side) this one confirms.",
    )
    work_up = models.ForeignKey(
        "WorkUp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="injections",
        help_text="The patient's work-up for this side (the latest in 12 months when empty).",
    )
    contrast_contraindicated = models.BooleanField(
        "contrast contraindicated", null=True, blank=True
    )
    same_day_spine_block = models.BooleanField(
        "facet, epidural or sympathetic block the same day", null=True, blank=True
    )
    retest_positive = models.PositiveSmallIntegerField(
        "manoeuvres still positive after the block", null=True, blank=True
    )
    retest_tested = models.PositiveSmallIntegerField(
        "manoeuvres re-tested after the block", null=True, blank=True
    )
    notes = models.TextField(
        blank=True, max_length=NOTES_MAX, validators=[MaxLengthValidator(NOTES_MAX)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = staff_member(null=True, blank=True, editable=False)

    # The stored evaluation: written only by services.refresh_evaluation, from the rule as if
    # the window had closed, so lists filter and sort in the database; models/result.py turns
    # it into the result in force (pending while the window is open, or the signed outcome).
    outcome = models.CharField(
        max_length=16,
        choices=OutcomeChoices.choices,
        default=rules.Outcome.NON_DIAGNOSTIC,
        editable=False,
    )
    awaits_window_reading = models.BooleanField(default=False, editable=False)
    percent_reduction = models.DecimalField(
        "% reduction", max_digits=5, decimal_places=1, null=True, editable=False
    )
    at_threshold = models.BooleanField(default=False, editable=False)
    baseline_score = models.PositiveSmallIntegerField(null=True, editable=False)
    decisive_score = models.PositiveSmallIntegerField(null=True, editable=False)
    # The profile and confounder policy it was computed with, e.g. "LEAFLET@2/warn".
    evaluated_rule = models.CharField(max_length=64, blank=True, editable=False)
    # Set by a sign-off, cleared by an amendment; while set, database triggers refuse any
    # change to the injection or its readings (assessments/triggers.py).
    locked_at = models.DateTimeField(null=True, editable=False)
    signed_outcome = models.CharField(
        max_length=16, choices=OutcomeChoices.choices, null=True, editable=False
    )
    # Stored with the evaluation for the outcome statistics, which aggregate them in SQL
    # instead of loading readings: why the outcome is non-diagnostic (a key of
    # rules.NON_DIAGNOSTIC_CAUSES), when relief ended (interval-censored: the last reading
    # still meeting the rule and the first failing it, whole minutes after the injection, set
    # only when assessed) and how many diary slots readings filled, of how many.
    non_diagnostic_cause = models.CharField(max_length=24, blank=True, editable=False)
    relief_last_met = models.PositiveSmallIntegerField(null=True, editable=False)
    relief_first_failed = models.PositiveSmallIntegerField(null=True, editable=False)
    diary_slots_filled = models.PositiveSmallIntegerField(default=0, editable=False)
    diary_slots = models.PositiveSmallIntegerField(default=0, editable=False)
    history = HistoricalRecords(
        excluded_fields=[
            "outcome",
            "awaits_window_reading",
            "percent_reduction",
            "at_threshold",
            "baseline_score",
            "decisive_score",
            "evaluated_rule",
            "signed_outcome",
            "non_diagnostic_cause",
            "relief_last_met",
            "relief_first_failed",
            "diary_slots_filled",
            "diary_slots",
        ]
    )
    # Read by django-simple-history when it writes the history row of a save.
    _change_reason: str

    objects = InjectionQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_at"]
        permissions = [
            ("sign_injection", "Can sign off an injection's interpretation"),
            ("amend_injection", "Can amend a signed injection"),
            ("export_injections", "Can export injection data (CSV, REDCap, FHIR)"),
            ("view_statistics", "Can view the clinic's outcome statistics"),
        ]
        constraints = [
            choice_constraint("assessments_injection_side_valid", "side", Side),
            choice_constraint("assessments_injection_guidance_valid", "guidance", Guidance),
            choice_constraint("assessments_injection_contrast_valid", "contrast", Contrast),
            choice_constraint(
                "assessments_injection_anaesthetic_valid", "anaesthetic_agent", Anaesthetic
            ),
            choice_constraint("assessments_injection_sedation_valid", "sedation", Sedation),
            models.CheckConstraint(
                condition=Q(anaesthetic_concentration__gt=0, anaesthetic_volume_ml__gt=0),
                name="assessments_injection_anaesthetic_positive",
            ),
            models.CheckConstraint(
                condition=Q(steroid_agent="none", steroid_dose_mg__isnull=True)
                | Q(
                    steroid_agent__in=choice_values(Steroid)[1:],
                    steroid_dose_mg__isnull=False,
                    steroid_dose_mg__gt=0,
                ),
                name="assessments_injection_steroid_agent_and_dose",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=rules.FINAL_OUTCOMES),
                name="assessments_injection_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(locked_at__isnull=True) | Q(signed_outcome__in=rules.FINAL_OUTCOMES),
                name="assessments_injection_signed_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(analgesic="", analgesic_at__isnull=True)
                | (~Q(analgesic="") & Q(analgesic_at__isnull=False)),
                name="assessments_injection_analgesic_what_and_when",
            ),
            length_constraint("assessments_injection_analgesic_length", "analgesic", 200),
            models.CheckConstraint(
                condition=Q(performed_at__gte=EARLIEST_STORED),
                name="assessments_injection_performed_from_2000",
            ),
            length_constraint("assessments_injection_notes_length", "notes", NOTES_MAX),
            choice_constraint("assessments_injection_purpose_valid", "purpose", Purpose),
            models.CheckConstraint(
                condition=Q(confirms__isnull=True)
                | (Q(purpose=Purpose.DIAGNOSTIC) & ~Q(confirms=models.F("id"))),
                name="assessments_injection_confirms_diagnostic_other",
            ),
            models.CheckConstraint(
                condition=Q(retest_positive__isnull=True, retest_tested__isnull=True)
                | Q(
                    retest_tested__isnull=False,
                    retest_tested__lte=6,
                    retest_positive__isnull=False,
                    retest_positive__lte=models.F("retest_tested"),
                ),
                name="assessments_injection_retest_counts",
            ),
        ]
        indexes = [
            models.Index(fields=["performed_at"]),
            models.Index(fields=["outcome", "-performed_at"]),
            models.Index(fields=["patient", "-performed_at"]),
        ]

    def __str__(self) -> str:
        performed = (
            display.day_text(display.local(self.performed_at).date()) if self.performed_at else "?"
        )
        return f"Injection #{self.pk} ({self.side}, {performed})"

    def get_absolute_url(self) -> str:
        return reverse("admin:assessments_injection_change", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        performed_at = self.performed_at
        if performed_at and too_early(performed_at):
            errors["performed_at"] = EARLIEST_MESSAGE
        elif performed_at and performed_at > timezone.now() + timedelta(minutes=5):
            errors["performed_at"] = "The injection time cannot be in the future."
        elif self.born_after(performed_at):
            errors["performed_at"] = "The injection cannot be before the patient's birth."
        if self.steroid_agent == self.Steroid.NONE and self.steroid_dose_mg is not None:
            errors["steroid_dose_mg"] = "Leave the dose empty when no corticosteroid was given."
        if self.steroid_agent != self.Steroid.NONE and self.steroid_dose_mg is None:
            errors["steroid_dose_mg"] = "Enter the corticosteroid dose."
        errors.update(self.analgesic_errors())
        errors.update(self.series_errors())
        if errors:
            raise ValidationError(errors)

    def analgesic_errors(self) -> dict[str, str]:
        errors = taken_errors(self, "analgesic", "analgesic_at", what="the analgesic")
        taken = self.analgesic_at
        if errors or taken is None:
            return errors
        if taken > timezone.now() + timedelta(minutes=5):
            return {"analgesic_at": "The time cannot be in the future."}
        performed_at = self.performed_at
        if performed_at and not too_early(performed_at) and taken < performed_at - ONE_DAY:
            return {"analgesic_at": "More than 24 hours before the injection: not relevant."}
        return {}

    def series_errors(self) -> dict[str, str]:
        """The confirmed block and the work-up are the patient's own, on this side, earlier."""
        errors: dict[str, str] = {}
        if self.retest_tested is not None and self.retest_tested > 6:
            errors["retest_tested"] = "At most 6 manoeuvres."
        if (self.retest_positive is None) != (self.retest_tested is None):
            field = "retest_tested" if self.retest_tested is None else "retest_positive"
            errors[field] = "Enter how many were re-tested and how many stayed positive."
        elif (
            self.retest_positive is not None
            # Both or neither are recorded here (the branch above).
            and self.retest_tested is not None
            and self.retest_positive > self.retest_tested
        ):
            errors["retest_positive"] = "More still positive than re-tested."
        confirmed = self.confirms
        if confirmed is not None:
            if self.purpose != Purpose.DIAGNOSTIC:
                errors["confirms"] = "Only a diagnostic block confirms an earlier one."
            elif (
                confirmed.pk == self.pk
                or confirmed.patient_id != self.patient_id
                or confirmed.side != self.side
            ):
                errors["confirms"] = "Choose an earlier block of this patient, on this side."
            elif confirmed.purpose != Purpose.DIAGNOSTIC:
                errors["confirms"] = "The confirmed block must be diagnostic."
            elif self.performed_at and confirmed.performed_at >= self.performed_at:
                errors["confirms"] = "The confirmed block must be earlier than this one."
        work_up = self.work_up
        if work_up is not None:
            if work_up.patient_id != self.patient_id or work_up.side != self.side:
                errors["work_up"] = "Choose a work-up of this patient, on this side."
            elif self.performed_at and not work_up.usable_for(
                timezone.localdate(self.performed_at)
            ):
                errors["work_up"] = "The work-up must be from the 12 months before the block."
        return errors

    def born_after(self, moment: datetime | None) -> bool:
        """The patient was born after `moment` (False while either is unknown)."""
        # The patient may be new and unsaved (registered together with the injection).
        cached = Injection.patient.field.get_cached_value(self, default=None)
        patient = cast(Patient | None, cached)
        if patient is None and self.patient_id is not None:
            patient = self.patient
        if moment is None or patient is None or patient.date_of_birth is None:
            return False
        return timezone.localdate(moment) < patient.date_of_birth

    @property
    def window_opens_at(self) -> datetime:
        return self.performed_at + timedelta(minutes=rules.WINDOW_START_MINUTES)

    @property
    def window_closes_at(self) -> datetime:
        return self.performed_at + timedelta(minutes=rules.WINDOW_END_MINUTES)

    def minutes_after(self, moment: datetime) -> Decimal:
        """Exact minutes from the injection to `moment` (negative before it)."""
        return Decimal((moment - self.performed_at) // ONE_MICROSECOND) / 60_000_000

    def confounders(self, readings: "Iterable[PainReading] | None" = None) -> list[Confounder]:
        """What a reviewer will ask about, for the rule to weigh (JSON-ready, as a sign-off
        keeps it): sedation beyond minimal by name; pain medicine as [what, minutes after the
        injection it was taken (text), its date and time], the injection's analgesic and any
        rescue analgesic recorded with a reading. The rule decides which of them confound."""
        found: list[Confounder] = []
        if self.sedation in (Sedation.MODERATE, Sedation.DEEP):
            found.append(f"{self.get_sedation_display().lower()} sedation")
        if self.analgesic and self.analgesic_at:
            found.append(self.medicine(self.analgesic, self.analgesic_at))
        if readings is None:
            readings = self.readings.live()
        for reading in readings:
            rescue_at = getattr(reading, "rescue_at", None)
            if rescue_at is not None:
                found.append(self.medicine(f"rescue analgesic: {reading.medication}", rescue_at))
        return found

    def medicine(self, words: str, taken_at: datetime) -> list[str]:
        return [words, str(self.minutes_after(taken_at)), display.date_time(taken_at)]

    @property
    def has_steroid(self) -> bool:
        return self.steroid_agent != Steroid.NONE

    def rule_readings(self, readings: "Iterable[PainReading]") -> list[rules.ReadingRow]:
        """(minutes after the injection, score, context, source) of each reading, for the
        rule: "staff", or "patient" for the patient's own entries (diary link or paper)."""
        return [
            (
                self.minutes_after(r.recorded_at),
                r.score,
                r.context,
                "staff" if r.source == Source.STAFF else "patient",
            )
            for r in readings
        ]

    def evaluate(
        self,
        readings: "Iterable[PainReading] | None" = None,
        *,
        now: datetime | None = None,
        profile: Profile | None = None,
        window_closed: bool = False,
    ) -> rules.Evaluation:
        """Ask the rule about this injection's readings under the clinic's primary profile.

        `now` (default: the clock) says whether the window is still open, unless
        `window_closed`; `profile` defaults to SI_PROFILE.
        """
        if readings is None:
            readings = self.readings.live()
        readings = list(readings)
        elapsed = None if window_closed else self.minutes_after(now or timezone.now())
        return evaluate_profile(
            profile or primary_profile(),
            self.rule_readings(readings),
            confounders=self.confounders(readings),
            confounder_policy=settings.SI_CONFOUNDER_POLICY,
            minutes_elapsed=elapsed,
        )

    def criteria(
        self,
        readings: "Iterable[PainReading]",
        *,
        now: datetime | None = None,
        known: dict[str, rules.Evaluation] | None = None,
    ) -> tuple[Criterion, ...]:
        """The criteria matrix: the 20–30 minute reduction under each built-in profile
        (`known`: evaluations of these readings at `now` already made, by profile key)."""
        readings = list(readings)
        return criteria_matrix(
            self.rule_readings(readings),
            confounders=self.confounders(readings),
            confounder_policy=settings.SI_CONFOUNDER_POLICY,
            minutes_elapsed=self.minutes_after(now or timezone.now()),
            steroid=self.has_steroid,
            known=known,
        )

    def relief(
        self, readings: "Iterable[PainReading]", evaluation: rules.Evaluation | None = None
    ) -> Relief:
        """Duration of relief in the first 8 hours, from the baseline `evaluation` (the
        primary profile's, of these readings) took; without one, from the baseline the
        primary profile takes (the rule is not run)."""
        readings = list(readings)
        profile = primary_profile()
        if evaluation is not None:
            baseline, baseline_context = evaluation.baseline, evaluation.baseline_context
        else:
            baseline, baseline_context = profile_baseline(profile, self.rule_readings(readings))
        rescues: list[datetime] = [
            rescue for r in readings if (rescue := getattr(r, "rescue_at", None))
        ]
        if self.analgesic_at and self.analgesic_at >= self.performed_at:
            rescues.append(self.analgesic_at)
        after = [rules.as_reading(r) for r in self.rule_readings(readings)]
        return duration_of_relief(
            baseline,
            [r for r in after if r.minutes >= 0],
            threshold=profile.threshold,
            inclusive=profile.inclusive,
            baseline_context=baseline_context,
            rescue_at=self.minutes_after(min(rescues)) if rescues else None,
            agent=self.anaesthetic_agent,
            expected=settings.ANAESTHETIC_MINUTES,
            steroid=self.has_steroid,
        )

    def diary(self, readings: "Iterable[PainReading]") -> list[Slot]:
        """The diary's slots (assessments/rules/schedule.py) and whether each is filled."""
        return schedule(
            self.performed_at,
            [r.recorded_at for r in readings if r.recorded_at >= self.performed_at],
            zone=timezone.get_default_timezone(),
            minutes=settings.DIARY_MINUTES,
            days=settings.DIARY_DAYS,
            daily_at=settings.DIARY_DAILY_AT,
        )


def primary_profile() -> Profile:
    return find_profile(settings.SI_PROFILE)


def evaluated_rule() -> str:
    """What a stored evaluation is computed with; another value means it is stale."""
    return f"{primary_profile().key}/{settings.SI_CONFOUNDER_POLICY}"
