from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .. import rules
from .choices import (
    Anaesthetic,
    Context,
    Contrast,
    Guidance,
    OutcomeChoices,
    Sedation,
    Sex,
    Side,
    Source,
    Steroid,
)

MAX_BEFORE_INJECTION = timedelta(hours=24)
MAX_AFTER_INJECTION = timedelta(days=14)
ONE_MICROSECOND = timedelta(microseconds=1)
# Clinical times are from 2000 on; birth dates from 1900. The database's bound is a day
# looser, so a local time just after midnight on 1 January 2000 east of UTC still fits.
EARLIEST_YEAR = 2000
EARLIEST_STORED = datetime(EARLIEST_YEAR - 1, 12, 31, tzinfo=UTC)
EARLIEST_BIRTH = date(1900, 1, 1)
NOTES_MAX = 10_000
REASON_MAX = 5_000


def too_early(moment):
    """Before 2000 on the clock it was typed in; checked before any comparison, since an
    aware datetime in year 1 overflows when converted to UTC."""
    return moment.year < EARLIEST_YEAR


EARLIEST_MESSAGE = f"Enter a date from 1 January {EARLIEST_YEAR} on."


def length_constraint(name, field, limit):
    """SQLite ignores a column's declared length; this holds it on every database."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def choice_values(choices):
    return [value for value, _ in choices.choices]


def choice_constraint(name, field, choices):
    """A CheckConstraint holding `field` to the values of a TextChoices class."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choice_values(choices)}), name=name
    )


class Patient(models.Model):
    Sex = Sex

    mrn = models.CharField("MRN", max_length=32, unique=True, help_text="Medical record number.")
    family_name = models.CharField(max_length=100)
    given_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["mrn"]
        constraints = [
            models.CheckConstraint(condition=~Q(mrn=""), name="assessments_patient_mrn_not_empty"),
            models.CheckConstraint(
                condition=Q(sex="") | Q(sex__in=choice_values(Sex)),
                name="assessments_patient_sex_valid",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__gte=EARLIEST_BIRTH),
                name="assessments_patient_born_from_1900",
            ),
            length_constraint("assessments_patient_mrn_length", "mrn", 32),
            length_constraint("assessments_patient_family_name_length", "family_name", 100),
            length_constraint("assessments_patient_given_name_length", "given_name", 100),
        ]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self):
        return f"MRN {self.mrn}"

    def get_absolute_url(self):
        return reverse("admin:assessments_patient_change", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    def clean(self):
        self.mrn = (self.mrn or "").strip()
        if not self.mrn:
            raise ValidationError({"mrn": "Enter the medical record number."})
        born = self.date_of_birth
        if born is None:
            return
        if born < EARLIEST_BIRTH:
            raise ValidationError({"date_of_birth": "Enter a date of birth from 1900 on."})
        if born > timezone.localdate():
            raise ValidationError({"date_of_birth": "Date of birth cannot be in the future."})
        if self.pk is not None:
            first = self.injections.order_by("performed_at").values_list("performed_at", flat=True)
            first = first.first()
            if first is not None and born > timezone.localdate(first):
                raise ValidationError(
                    {"date_of_birth": "Date of birth cannot be after the patient's injections."}
                )

    def age_on(self, day):
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday


class Injection(models.Model):
    Side = Side

    Guidance = Guidance

    Contrast = Contrast

    Anaesthetic = Anaesthetic

    Steroid = Steroid

    Sedation = Sedation

    Outcome = OutcomeChoices

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="injections")
    performed_at = models.DateTimeField("performed at")
    side = models.CharField(max_length=5, choices=Side.choices)
    proceduralist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
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
    notes = models.TextField(
        blank=True, max_length=NOTES_MAX, validators=[MaxLengthValidator(NOTES_MAX)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # The stored evaluation: written only by services.refresh_evaluation, from rules.evaluate,
    # so the changelist can filter and sort by outcome in the database.
    outcome = models.CharField(
        max_length=16,
        choices=OutcomeChoices.choices,
        default=rules.Outcome.NON_DIAGNOSTIC,
        editable=False,
    )
    percent_reduction = models.DecimalField(
        "% reduction", max_digits=5, decimal_places=1, null=True, editable=False
    )
    at_threshold = models.BooleanField(default=False, editable=False)
    baseline_score = models.PositiveSmallIntegerField(null=True, editable=False)
    decisive_score = models.PositiveSmallIntegerField(null=True, editable=False)
    evaluated_threshold = models.PositiveSmallIntegerField(null=True, editable=False)
    evaluated_inclusive = models.BooleanField(null=True, editable=False)
    # Set by a sign-off, cleared by an amendment; while set, database triggers refuse any
    # change to the injection or its readings (see the lock migration).
    locked_at = models.DateTimeField(null=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=[
            "outcome",
            "percent_reduction",
            "at_threshold",
            "baseline_score",
            "decisive_score",
            "evaluated_threshold",
            "evaluated_inclusive",
        ]
    )

    class Meta:
        ordering = ["-performed_at"]
        permissions = [
            ("sign_injection", "Can sign off an injection's interpretation"),
            ("amend_injection", "Can amend a signed injection"),
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
                condition=Q(outcome__in=[outcome.value for outcome in rules.Outcome]),
                name="assessments_injection_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(performed_at__gte=EARLIEST_STORED),
                name="assessments_injection_performed_from_2000",
            ),
            length_constraint("assessments_injection_notes_length", "notes", NOTES_MAX),
        ]
        indexes = [
            models.Index(fields=["performed_at"]),
            models.Index(fields=["outcome", "-performed_at"]),
            models.Index(fields=["patient", "-performed_at"]),
        ]

    def __str__(self):
        performed = timezone.localtime(self.performed_at).date() if self.performed_at else "?"
        return f"Injection #{self.pk} ({self.side}, {performed})"

    def get_absolute_url(self):
        return reverse("admin:assessments_injection_change", args=[self.pk])

    def clean(self):
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
        if errors:
            raise ValidationError(errors)

    def born_after(self, moment):
        """The patient was born after `moment` (False while either is unknown)."""
        # The patient may be new and unsaved (registered together with the injection).
        patient = self._meta.get_field("patient").get_cached_value(self, default=None)
        if patient is None and self.patient_id is not None:
            patient = self.patient
        if moment is None or patient is None or patient.date_of_birth is None:
            return False
        return timezone.localdate(moment) < patient.date_of_birth

    @property
    def window_opens_at(self):
        return self.performed_at + timedelta(minutes=rules.WINDOW_START_MINUTES)

    @property
    def window_closes_at(self):
        return self.performed_at + timedelta(minutes=rules.WINDOW_END_MINUTES)

    def minutes_after(self, moment):
        """Exact minutes from the injection to `moment` (negative before it)."""
        return Decimal((moment - self.performed_at) // ONE_MICROSECOND) / 60_000_000

    def evaluate(self, readings=None, *, threshold=None, inclusive=None):
        """Ask the rule about this injection's readings, with the configured settings."""
        if readings is None:
            readings = self.readings.all()
        return rules.evaluate_readings(
            [(self.minutes_after(r.recorded_at), r.score) for r in readings],
            threshold=settings.SI_THRESHOLD_PERCENT if threshold is None else threshold,
            inclusive=rule_inclusive() if inclusive is None else inclusive,
        )

    @property
    def is_locked(self):
        return self.locked_at is not None

    def signoff_in_force(self, signoffs=None):
        """The latest sign-off while the injection is locked; None while it is a draft.

        `signoffs`: the injection's sign-offs when already fetched (saves the query).
        """
        if not self.is_locked:
            return None
        if signoffs is not None:
            return max(signoffs, key=lambda signoff: signoff.version, default=None)
        return self.signoffs.order_by("-version").first()

    def evaluation_in_force(self, signoff, readings=None):
        """With `signoff` (from signoff_in_force): the evaluation as signed, its inputs and
        rule settings. Without: the rule applied to the readings with today's settings."""
        return signoff.reproduce() if signoff else self.evaluate(readings)

    @property
    def outcome_label(self):
        return rules.Outcome(self.outcome).label


def rule_inclusive():
    return settings.SI_THRESHOLD_COMPARATOR == "at_least"


class PainReading(models.Model):
    Context = Context

    Source = Source

    injection = models.ForeignKey(Injection, on_delete=models.PROTECT, related_name="readings")
    recorded_at = models.DateTimeField("recorded at")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text="Numeric rating scale: 0 = no pain, 10 = worst imaginable.",
    )
    context = models.CharField(max_length=10, choices=Context.choices, default=Context.REST)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=10), name="assessments_reading_score_0_10"
            ),
            choice_constraint("assessments_reading_context_valid", "context", Context),
            choice_constraint("assessments_reading_source_valid", "source", Source),
            models.CheckConstraint(
                condition=Q(recorded_at__gte=EARLIEST_STORED),
                name="assessments_reading_recorded_from_2000",
            ),
            length_constraint("assessments_reading_note_length", "note", 200),
        ]
        indexes = [models.Index(fields=["injection", "recorded_at"])]

    def __str__(self):
        return f"Reading #{self.pk} of injection #{self.injection_id}"

    def clean(self):
        injection = getattr(self, "_injection_for_clean", None) or (
            self.injection if self.injection_id else None
        )
        if self.recorded_at is None:
            return
        if too_early(self.recorded_at):
            raise ValidationError({"recorded_at": EARLIEST_MESSAGE})
        if self.recorded_at > timezone.now():
            raise ValidationError({"recorded_at": "A reading cannot be in the future."})
        if injection is None or injection.performed_at is None:
            return
        if self.recorded_at < injection.performed_at - MAX_BEFORE_INJECTION:
            raise ValidationError(
                {"recorded_at": "A reading more than 24 hours before the injection is refused."}
            )
        if self.recorded_at > injection.performed_at + MAX_AFTER_INJECTION:
            raise ValidationError(
                {"recorded_at": "A reading more than 14 days after the injection is refused."}
            )

    def check_against(self, injection):
        """Validate this reading against an injection that may not be saved yet."""
        self._injection_for_clean = injection
        self.full_clean(exclude=["injection"])

    @property
    def minutes_after_injection(self):
        return self.injection.minutes_after(self.recorded_at)

    @property
    def follow_up_day(self):
        """Days after the injection day, counted in the clinic's time zone (0 = same day)."""
        performed = timezone.localdate(self.injection.performed_at)
        return (timezone.localdate(self.recorded_at) - performed).days

    @property
    def is_baseline(self):
        return self.recorded_at < self.injection.performed_at

    @property
    def in_window(self):
        return rules.in_window(self.minutes_after_injection)

    @property
    def recalled(self):
        """Entered more than a day after the moment it describes."""
        return self.created_at is not None and self.created_at - self.recorded_at > timedelta(
            days=1
        )

    @property
    def phase(self):
        if self.is_baseline:
            return "Baseline"
        minutes = self.minutes_after_injection
        if minutes < 120:
            return f"{minutes.quantize(Decimal('1'))} min after"
        if self.follow_up_day == 0:
            return f"{(minutes / 60).quantize(Decimal('0.1'))} h after"
        return f"Day {self.follow_up_day}"
