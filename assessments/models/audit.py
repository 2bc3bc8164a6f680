from django.db import models

from .injection import Injection
from .limits import choice_constraint, staff_member

# What an export log keeps of the selection (the service cuts longer ones).
SELECTION_MAX = 500


class AuditEntry(models.Model):
    """Who did it and when; the logs below add what. Their tables are append-only
    (triggers.py)."""

    user = staff_member(null=True)
    actor = models.CharField(max_length=150, help_text="User name, or the command line's user.")
    at = models.DateTimeField("when", auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-at"]


class AccessKind(models.TextChoices):
    VIEW = "view", "Viewed PDF"
    BULK = "bulk", "Bulk zip download"
    EXPORT = "export", "Command-line export"
    ARCHIVE = "archive", "Archived signed PDF"
    HANDOUT = "handout", "Diary handout PDF"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV, one row per reading"
    CSV_WIDE = "csv-wide", "CSV, one row per injection"
    REDCAP = "redcap", "REDCap (dictionary and records)"
    FHIR = "fhir", "FHIR R4 bundle"


class ReportAccess(AuditEntry):
    """Who viewed or downloaded which report, and when."""

    Kind = AccessKind

    injection = models.ForeignKey(Injection, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta(AuditEntry.Meta):
        verbose_name = "report access log entry"
        verbose_name_plural = "report access log entries"
        constraints = [choice_constraint("assessments_access_kind_valid", "kind", AccessKind)]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of injection #{self.injection_id} by {self.actor}"


class DataExport(AuditEntry):
    """One row per data export (CSV, REDCap, FHIR): who, which format, which records, how
    many. The records are named by the selection, not row by row, so a 100,000-injection
    export writes one log row."""

    Format = ExportFormat

    format = models.CharField(max_length=10, choices=Format.choices)
    selection = models.CharField(
        max_length=SELECTION_MAX,
        help_text="What was exported: the filter or the selected records.",
    )
    injections = models.PositiveIntegerField("injections exported")
    with_reports = models.BooleanField(
        "signed PDFs included",
        default=False,
        help_text="A FHIR bundle with the archived signed PDFs, which name the patient.",
    )

    class Meta(AuditEntry.Meta):
        verbose_name = "data export log entry"
        verbose_name_plural = "data export log entries"
        constraints = [choice_constraint("assessments_export_format_valid", "format", ExportFormat)]

    def __str__(self) -> str:
        return f"{self.get_format_display()} of {self.injections} injection(s) by {self.actor}"
