from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .. import rules
from .choices import OutcomeChoices
from .injection import Injection
from .limits import REASON_MAX, length_constraint, staff_member


class SignOff(models.Model):
    """A clinician's signed interpretation of one injection: one version of it.

    It keeps the rule settings and the evaluation's inputs, so the signed result can be
    reproduced after the settings or the readings change.
    """

    injection = models.ForeignKey(Injection, on_delete=models.PROTECT, related_name="signoffs")
    version = models.PositiveSmallIntegerField()
    signed_by = staff_member()
    signed_at = models.DateTimeField(default=timezone.now)
    computed_outcome = models.CharField(max_length=16, choices=OutcomeChoices.choices)
    signed_outcome = models.CharField(max_length=16, choices=OutcomeChoices.choices)
    override_reason = models.TextField(blank=True, max_length=REASON_MAX)
    profile = models.CharField(
        max_length=32, help_text="The criteria profile signed under, as CODE@version."
    )
    rule_options = models.JSONField(
        help_text="The rule's options as signed (threshold, method, bands, confounders)."
    )
    threshold = models.PositiveSmallIntegerField()
    inclusive = models.BooleanField()
    percent_reduction = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    at_threshold = models.BooleanField()
    inputs = models.JSONField(
        help_text="Injection time and every reading (minutes, score, context) as signed."
    )
    # What this sign-off locks, for the database's guard: readings up to `locks_through` (the
    # window's close) are the signed block; later ones can be added until `follow_up_until`
    # (the end of follow-up day 7, clinic time), then they are locked too.
    locks_through = models.DateTimeField()
    follow_up_until = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["injection", "version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["injection", "version"], name="assessments_signoff_one_per_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessments_signoff_version"),
            models.CheckConstraint(
                condition=Q(signed_outcome=F("computed_outcome")) | ~Q(override_reason=""),
                name="assessments_signoff_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(signed_outcome__in=rules.FINAL_OUTCOMES)
                & Q(computed_outcome__in=rules.FINAL_OUTCOMES),
                name="assessments_signoff_outcomes_valid",
            ),
            length_constraint("assessments_signoff_reason_length", "override_reason", REASON_MAX),
            models.CheckConstraint(
                condition=Q(follow_up_until__gt=F("locks_through")),
                name="assessments_signoff_follow_up_after_block",
            ),
        ]

    def __str__(self) -> str:
        return f"Sign-off v{self.version} of injection #{self.injection_id}"

    @property
    def is_override(self) -> bool:
        return self.signed_outcome != self.computed_outcome

    @property
    def signed_outcome_label(self) -> str:
        return rules.Outcome(self.signed_outcome).label

    def reproduce(self) -> rules.Evaluation:
        """Re-run the rule on the stored inputs with the options it was signed under.

        Sign-offs made before rule 2.1 stored no revision: they are read as rule 2.0 read
        them (a RULE-1@1 sign-off's options say "best" and no context, as rule 1.0 did)."""
        readings = [(Decimal(minutes), *rest) for minutes, *rest in self.inputs["readings"]]
        options = {"revision": "2.0", **self.rule_options}
        return rules.evaluate_readings(readings, **options)


class Amendment(models.Model):
    """Reopens a signed injection for a change; the reason is kept as an addendum."""

    injection = models.ForeignKey(Injection, on_delete=models.PROTECT, related_name="amendments")
    amends_version = models.PositiveSmallIntegerField()
    reason = models.TextField(max_length=REASON_MAX)
    opened_by = staff_member()
    opened_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["injection", "opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="assessments_amendment_reason_required"
            ),
            models.UniqueConstraint(
                fields=["injection", "amends_version"],
                name="assessments_amendment_one_per_version",
            ),
            length_constraint("assessments_amendment_reason_length", "reason", REASON_MAX),
        ]

    def __str__(self) -> str:
        return f"Amendment of injection #{self.injection_id} v{self.amends_version}"


class SignedReport(models.Model):
    """The exact PDF produced at sign-off, archived once and never overwritten."""

    signoff = models.OneToOneField(
        SignOff, on_delete=models.PROTECT, related_name="archived_report"
    )
    file = models.FileField(upload_to="signed-reports/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="assessments_report_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"Archived report of {self.signoff}"
