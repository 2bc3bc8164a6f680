from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from .. import display, rules
from .choices import Context, Source
from .injection import Injection
from .limits import (
    CORRECTION_REASON_MAX,
    EARLIEST_MESSAGE,
    EARLIEST_STORED,
    MAX_AFTER_INJECTION,
    MAX_BEFORE_INJECTION,
    choice_constraint,
    length_constraint,
    staff_member,
    taken_errors,
    too_early,
)

# Readings this long after the window's close are still read as near it (a mistyped window
# reading?); later ones are the follow-up's.
NEAR_WINDOW_MINUTES = 60


class ReadingQuerySet(models.QuerySet["PainReading"]):
    def live(self) -> "ReadingQuerySet":
        """Readings that stand: not withdrawn. Only these reach the rule."""
        return self.filter(withdrawn_at__isnull=True)


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
    entered_by = staff_member(null=True, blank=True, editable=False)
    note = models.CharField(max_length=200, blank=True)
    medication = models.CharField(
        "pain medicine since the last entry",
        max_length=200,
        blank=True,
        help_text="A rescue analgesic: what and how much. Readings after it are left out of "
        "the duration of relief.",
    )
    medication_at = models.DateTimeField("pain medicine taken at", null=True, blank=True)
    diary_link = models.ForeignKey(
        "DiaryLink",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="readings",
        help_text="The patient's diary link it came through.",
    )
    # A reading is never deleted to correct it: it is withdrawn, with who, when and why, and
    # stays on the record struck through; a correction is a new reading that `replaces` it.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = staff_member(null=True, blank=True, editable=False)
    withdrawn_reason = models.CharField(
        "reason", max_length=CORRECTION_REASON_MAX, blank=True, editable=False
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="replaced_by",
        help_text="The withdrawn reading this one corrects.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()
    # Read by django-simple-history when it writes the history row of a save.
    _change_reason: str
    if TYPE_CHECKING:
        # Marks the injection page sets on the readings it lists (views/injections.py).
        not_counted_why: str
        after_signoff: bool
        correctable: bool

    objects = ReadingQuerySet.as_manager()

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
            length_constraint("assessments_reading_medication_length", "medication", 200),
            models.CheckConstraint(
                condition=Q(medication="", medication_at__isnull=True)
                | (~Q(medication="") & Q(medication_at__isnull=False)),
                name="assessments_reading_medication_what_and_when",
            ),
            # Two readings of one injection at the same moment would leave it to chance which
            # baseline is the latest; clean() also refuses a second one in the same minute. A
            # withdrawn reading keeps its time, so its correction may take the same one.
            models.UniqueConstraint(
                fields=["injection", "recorded_at"],
                condition=Q(withdrawn_at__isnull=True),
                name="assessments_reading_one_live_per_moment",
            ),
            models.CheckConstraint(
                condition=Q(
                    withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawn_reason=""
                )
                | (
                    Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                    & ~Q(withdrawn_reason="")
                ),
                name="assessments_reading_withdrawn_by_whom_and_why",
            ),
            length_constraint(
                "assessments_reading_withdrawn_reason_length",
                "withdrawn_reason",
                CORRECTION_REASON_MAX,
            ),
        ]
        indexes = [models.Index(fields=["injection", "recorded_at"])]

    def __str__(self) -> str:
        return f"Reading #{self.pk} of injection #{self.injection_id}"

    def clean(self) -> None:
        errors = self.medication_errors()
        if errors:
            raise ValidationError(errors)
        # The injection may be new and unsaved (a form saving both at once).
        cached = PainReading.injection.field.get_cached_value(self, default=None)
        injection = cast(Injection | None, cached)
        if injection is None and self.injection_id is not None:
            injection = self.injection
        if self.recorded_at is None:
            return
        if too_early(self.recorded_at):
            raise ValidationError({"recorded_at": EARLIEST_MESSAGE})
        if self.recorded_at > timezone.now():
            raise ValidationError({"recorded_at": _("A reading cannot be in the future.")})
        if injection is None or injection.performed_at is None:
            return
        if self.recorded_at < injection.performed_at - MAX_BEFORE_INJECTION:
            raise ValidationError(
                {"recorded_at": _("A reading more than 24 hours before the injection is refused.")}
            )
        if self.recorded_at > injection.performed_at + MAX_AFTER_INJECTION:
            raise ValidationError(
                {"recorded_at": _("A reading more than 14 days after the injection is refused.")}
            )
        other = self.same_minute(injection)
        if other is not None:
            raise ValidationError(
                {
                    "recorded_at": _(
                        "Another reading of this injection is recorded at %(clock)s "
                        "(%(score)s/10): change that one, or give this one its own minute."
                    )
                    % {"clock": display.clock(other.recorded_at), "score": other.score}
                }
            )

    def medication_errors(self) -> dict[str, str]:
        errors = taken_errors(self, "medication", "medication_at", what="the pain medicine")
        taken = self.medication_at
        if errors or taken is None:
            return errors
        recorded_at = self.recorded_at
        if recorded_at is not None and not too_early(recorded_at) and taken > recorded_at:
            return {"medication_at": _("Medicine taken after this entry belongs to the next one.")}
        return {}

    @property
    def rescue_at(self) -> datetime | None:
        """When a rescue analgesic reported with this entry was taken (None if none)."""
        return self.medication_at if self.medication else None

    def same_minute(self, injection: Injection) -> "PainReading | None":
        """Another saved reading of `injection` in the same clock minute, or None."""
        if injection.pk is None:
            return None
        start = self.recorded_at.replace(second=0, microsecond=0)
        others = PainReading.objects.live().filter(
            injection_id=injection.pk,
            recorded_at__gte=start,
            recorded_at__lt=start + timedelta(minutes=1),
        )
        return others.exclude(pk=self.pk).first()

    def check_against(self, injection: Injection) -> None:
        """Validate this reading against an injection that may not be saved yet."""
        self.injection = injection
        self.full_clean(exclude=["injection"])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def minutes_after_injection(self) -> Decimal:
        return self.injection.minutes_after(self.recorded_at)

    @property
    def follow_up_day(self) -> int:
        """Days after the injection day, counted in the clinic's time zone (0 = same day)."""
        performed = timezone.localdate(self.injection.performed_at)
        return (timezone.localdate(self.recorded_at) - performed).days

    @property
    def is_baseline(self) -> bool:
        return self.recorded_at < self.injection.performed_at

    @property
    def in_window(self) -> bool:
        return rules.in_window(self.minutes_after_injection)

    @property
    def recalled(self) -> bool:
        """Entered more than a day after the moment it describes."""
        return self.created_at is not None and self.created_at - self.recorded_at > timedelta(
            days=1
        )

    def not_counted_reason(self, *, counted: bool, baseline_context: str | None) -> str:
        """Why this reading is listed but not counted towards the block's result, in a
        sentence; "" when it counts, is a baseline or is ordinary follow-up (over an hour
        after the window). `counted`: whether the rule counted it."""
        minutes = self.minutes_after_injection
        if counted or minutes < 0:
            return ""
        if not rules.in_window(minutes):
            if minutes > rules.WINDOW_END_MINUTES + NEAR_WINDOW_MINUTES:
                return ""
            return (
                f"{rules.minutes_text(minutes)} after the injection, outside "
                f"the {rules.WINDOW_START_MINUTES}–{rules.WINDOW_END_MINUTES} minute window."
            )
        if self.source != Source.STAFF:
            return (
                f"{self.get_source_display()}: the patient's diary is shown, never decisive "
                "(the block is read from staff readings)."
            )
        if baseline_context and self.context != baseline_context:
            return (
                f"Taken {rules.CONTEXT_WORDS[self.context]}, unlike the baseline "
                f"({rules.CONTEXT_WORDS[baseline_context]})."
            )
        if self.rescue_at is not None:
            return "Taken after a rescue analgesic."
        return "The rule did not count it (see the result's reasons)."

    @property
    def phase(self) -> str:
        if self.is_baseline:
            return "Baseline"
        minutes = self.minutes_after_injection
        if minutes < 120 or self.follow_up_day == 0:
            return f"{rules.duration_words(minutes)} after"
        return f"Day {self.follow_up_day}"
