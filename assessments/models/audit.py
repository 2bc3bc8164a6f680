from django.conf import settings
from django.db import models

from .injection import Injection


class ReportAccess(models.Model):
    """Who viewed or downloaded which report or export, and when. Append-only."""

    class Kind(models.TextChoices):
        VIEW = "view", "Viewed PDF"
        BULK = "bulk", "Bulk zip download"
        EXPORT = "export", "Command-line export"
        ARCHIVE = "archive", "Archived signed PDF"
        HANDOUT = "handout", "Diary handout PDF"

    injection = models.ForeignKey(Injection, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor = models.CharField(max_length=150, help_text="User name, or the command line's user.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField("when", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "report access log entry"
        verbose_name_plural = "report access log entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["view", "bulk", "export", "archive", "handout"]),
                name="assessments_access_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of injection #{self.injection_id} by {self.actor}"


class DataExport(models.Model):
    """One row per data export (CSV, REDCap, FHIR): who, which format, which records, how
    many. Append-only. The records themselves are named by the filter, not row by row, so a
    100,000-injection export writes one log row."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV, one row per reading"
        CSV_WIDE = "csv-wide", "CSV, one row per injection"
        REDCAP = "redcap", "REDCap (dictionary and records)"
        FHIR = "fhir", "FHIR R4 bundle"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor = models.CharField(max_length=150, help_text="User name, or the command line's user.")
    format = models.CharField(max_length=10, choices=Format.choices)
    selection = models.CharField(
        max_length=500, help_text="What was exported: the filter or the selected records."
    )
    injections = models.PositiveIntegerField("injections exported")
    at = models.DateTimeField("when", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "data export log entry"
        verbose_name_plural = "data export log entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=["csv", "csv-wide", "redcap", "fhir"]),
                name="assessments_export_format_valid",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_format_display()} export of {self.injections} injection(s) by {self.actor}"
        )
