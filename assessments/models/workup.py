"""The work-up before a block: what payers ask to see documented (rules/coverage.py)."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .. import display
from ..rules import coverage
from ..triggers import WORK_UP_IN_USE as IN_USE
from .choices import Side
from .limits import (
    EARLIEST_DAY,
    EARLIEST_MESSAGE,
    choice_constraint,
    length_constraint,
    staff_member,
)
from .patient import Patient

# A work-up is reused by the patient's later blocks on that side for this long.
REUSED_FOR = timedelta(days=coverage.WINDOW_DAYS)
CONSERVATIVE_MAX = 200
MANOEUVRE_LABELS = {
    "distraction": "Distraction",
    "thigh_thrust": "Thigh thrust",
    "compression": "Compression",
    "sacral_thrust": "Sacral thrust",
    "gaenslen": "Gaenslen",
    "faber": "FABER",
}


class Provocation(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    NOT_DONE = "not_done", "Not done"


def manoeuvre(label: str) -> "models.CharField[str, str]":
    return models.CharField(
        label, max_length=8, choices=Provocation.choices, blank=True, default=""
    )


def yes_no(label: str, **options: Any) -> "models.BooleanField[bool | None, bool | None]":
    return models.BooleanField(label, null=True, blank=True, **options)


def manoeuvre_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__in": ["", *Provocation.values]}),
        name=f"assessments_workup_{name}_valid",
    )


class WorkUp(models.Model):
    """Per patient and side, dated; later blocks on that side use it for 12 months, and it
    is editable until a block that uses it is signed (a database guard, triggers.py)."""

    Side = Side
    Provocation = Provocation

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="work_ups")
    side = models.CharField(max_length=5, choices=Side.choices)
    examined_on = models.DateField("examined on")
    examined_by = staff_member(null=True, blank=True, editable=False)
    pain_over_si_joint = yes_no(
        "pain primarily over the SI joint",
        help_text="Below L5, between the iliac crest and the gluteal fold.",
    )
    pain_onset = models.DateField("pain began on", null=True, blank=True)
    usual_pain = models.PositiveSmallIntegerField(
        "usual pain (0–10)", null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    distraction = manoeuvre("distraction")
    thigh_thrust = manoeuvre("thigh thrust")
    compression = manoeuvre("compression")
    sacral_thrust = manoeuvre("sacral thrust")
    gaenslen = manoeuvre("Gaenslen")
    faber = manoeuvre("FABER")
    conservative_care = models.CharField(
        "conservative care tried",
        max_length=CONSERVATIVE_MAX,
        blank=True,
        validators=[MaxLengthValidator(CONSERVATIVE_MAX)],
        help_text="What: physiotherapy, medication, home exercise…",
    )
    conservative_weeks = models.PositiveSmallIntegerField(
        "conservative care (weeks)", null=True, blank=True, validators=[MaxValueValidator(520)]
    )
    active_rehab = yes_no("active rehabilitation")
    imaging_reviewed = yes_no("imaging reviewed")
    other_causes_excluded = yes_no("other causes excluded")
    radiculopathy = yes_no("radiculopathy")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-examined_on", "-id"]
        constraints = [
            choice_constraint("assessments_workup_side_valid", "side", Side),
            *(manoeuvre_constraint(name) for name in coverage.MANOEUVRES),
            models.CheckConstraint(
                condition=Q(usual_pain__isnull=True) | Q(usual_pain__lte=10),
                name="assessments_workup_usual_pain_range",
            ),
            models.CheckConstraint(
                condition=Q(conservative_weeks__isnull=True) | Q(conservative_weeks__lte=520),
                name="assessments_workup_conservative_weeks_range",
            ),
            models.CheckConstraint(
                condition=Q(examined_on__gte=EARLIEST_DAY),
                name="assessments_workup_examined_from_2000",
            ),
            models.CheckConstraint(
                condition=Q(pain_onset__isnull=True) | Q(pain_onset__lte=models.F("examined_on")),
                name="assessments_workup_onset_before_examination",
            ),
            length_constraint(
                "assessments_workup_conservative_care_length",
                "conservative_care",
                CONSERVATIVE_MAX,
            ),
        ]
        indexes = [models.Index(fields=["patient", "side", "-examined_on"])]

    def __str__(self) -> str:
        examined = display.day_text(self.examined_on) if self.examined_on else "?"
        return f"Work-up #{self.pk} ({self.side}, {examined})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.examined_on and self.examined_on < EARLIEST_DAY:
            errors["examined_on"] = EARLIEST_MESSAGE
        elif self.examined_on and self.examined_on > timezone.localdate():
            errors["examined_on"] = "The examination date cannot be in the future."
        if self.pain_onset and self.pain_onset < EARLIEST_DAY.replace(year=1900):
            errors["pain_onset"] = "Enter a date from 1900 on."
        elif self.pain_onset and self.examined_on and self.pain_onset > self.examined_on:
            errors["pain_onset"] = "The pain cannot begin after the examination."
        if self.conservative_weeks and not self.conservative_care.strip():
            errors["conservative_care"] = "Say what conservative care was tried."
        if errors:
            raise ValidationError(errors)

    def ensure_editable(self) -> None:
        """Refuse a change to a work-up a signed block uses, in words staff can act on (the
        database refuses it too)."""
        if self.pk and self.is_locked():
            raise ValidationError(IN_USE[:1].upper() + IN_USE[1:] + ".", code="locked")

    def is_locked(self) -> bool:
        return self.injections.filter(locked_at__isnull=False).exists()

    @property
    def provocation(self) -> dict[str, str]:
        """{manoeuvre: "positive" | "negative" | "not_done"} of those recorded."""
        return {name: getattr(self, name) for name in coverage.MANOEUVRES if getattr(self, name)}

    @property
    def provocation_text(self) -> str:
        """ "3 of 6 positive (2 negative, 1 not done)"."""
        results = list(self.provocation.values())
        positive = results.count(Provocation.POSITIVE)
        text = f"{positive} of {len(coverage.MANOEUVRES)} positive"
        counts = {"negative": results.count("negative"), "not done": results.count("not_done")}
        rest = [f"{count} {label}" for label, count in counts.items() if count]
        unrecorded = len(coverage.MANOEUVRES) - len(results)
        if unrecorded:
            rest.append(f"{unrecorded} not recorded")
        return text + (f" ({', '.join(rest)})" if rest else "")

    def pain_months(self, on: date) -> int | None:
        """Whole months from the onset to `on` (a date), or None."""
        if self.pain_onset is None:
            return None
        months = (on.year - self.pain_onset.year) * 12 + on.month - self.pain_onset.month
        return max(months - (on.day < self.pain_onset.day), 0)

    def usable_for(self, performed_on: date) -> bool:
        return self.examined_on <= performed_on < self.examined_on + REUSED_FOR


class CoverageStatus(models.Model):
    """The stored status of an injection's checklists under the clinic's policies, so the
    admin filters and the statistics count in the database. Derived, never entered: written
    by services.refresh_coverage, apart from the injection so a signed record's lock stays
    whole while a later block's series moves on."""

    # The functional API with (value, label) pairs works at run time; django-stubs types
    # only names.
    Status = models.TextChoices(  # type: ignore[call-overload]
        "Status", [(status, status) for status in coverage.CHECKLIST_STATUSES]
    )

    # Derived data goes with its injection (an unsigned one may be deleted).
    injection = models.OneToOneField(
        "Injection", on_delete=models.CASCADE, primary_key=True, related_name="coverage"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    policies = models.CharField(max_length=200)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "coverage statuses"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=coverage.CHECKLIST_STATUSES),
                name="assessments_coveragestatus_status_valid",
            )
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Coverage of injection #{self.injection_id}: {self.status}"
