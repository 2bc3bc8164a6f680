"""The schema of version 2, in one migration (it replaces 0001-0016 of version 1).

A database that had applied all of version 1's migrations takes this one as applied; a new
database is built by it in one step. A database part-way through version 1's migrations must
first be migrated with a version-1 checkout (README, "Upgrading").

After the tables: PostgreSQL's trigram indexes for the admin's patient search (the
injection changelist searches MRN and names with icontains, which PostgreSQL runs as
UPPER(column) LIKE UPPER('%term%'); no b-tree index serves it, a GIN trigram index on the
same expression does: bench/scale.py), then the record guards (triggers.py).
"""

import assessments.rules.terms
import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from assessments import triggers

TRIGRAM_COLUMNS = ["mrn", "family_name", "given_name"]


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS assessments_patient_{column}_trgm "
            f"ON assessments_patient USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in TRIGRAM_COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS assessments_patient_{column}_trgm")


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("assessments", "0001_initial"),
        ("assessments", "0002_audit_trail_signoff"),
        ("assessments", "0003_lock_triggers"),
        ("assessments", "0004_performed_at_index"),
        ("assessments", "0005_lock_every_clinical_column"),
        ("assessments", "0006_patient_search_trigram"),
        ("assessments", "0007_lock_trigger_direct_lookup"),
        ("assessments", "0008_record_guards"),
        ("assessments", "0009_limits_and_dates"),
        ("assessments", "0010_enrolment_codes"),
        ("assessments", "0011_rule_2"),
        ("assessments", "0012_patient_diary"),
        ("assessments", "0014_handout_access"),
        ("assessments", "0015_data_version"),
        ("assessments", "0016_exports_and_statistics"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="assessments_one_version"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DiaryLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("nonce", models.CharField(editable=False, max_length=43, unique=True)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("expires_at", models.DateTimeField()),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalPatient",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "mrn",
                    models.CharField(
                        db_index=True,
                        help_text="Medical record number.",
                        max_length=32,
                        verbose_name="MRN",
                    ),
                ),
                ("family_name", models.CharField(max_length=100)),
                ("given_name", models.CharField(max_length=100)),
                ("date_of_birth", models.DateField()),
                (
                    "sex",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("female", "Female"),
                            ("male", "Male"),
                            ("other", "Other"),
                            ("unknown", "Unknown"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "phone",
                    models.CharField(
                        blank=True,
                        help_text="For the follow-up calls, e.g. +44 20 7946 0958.",
                        max_length=32,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\+?[0-9][0-9 ()./-]{5,30}$",
                                "Enter a phone number: digits, spaces, dashes and brackets, optionally starting with +.",
                            )
                        ],
                        verbose_name="phone number",
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical patient",
                "verbose_name_plural": "historical patients",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Injection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("performed_at", models.DateTimeField(verbose_name="performed at")),
                (
                    "side",
                    models.CharField(choices=[("left", "Left"), ("right", "Right")], max_length=5),
                ),
                (
                    "guidance",
                    models.CharField(
                        choices=[
                            ("fluoroscopy", "Fluoroscopy"),
                            ("ct", "CT"),
                            ("ultrasound", "Ultrasound"),
                            ("none", "None"),
                        ],
                        max_length=12,
                        verbose_name="image guidance",
                    ),
                ),
                (
                    "contrast",
                    models.CharField(
                        choices=[
                            ("yes", "Yes: intra-articular spread confirmed"),
                            ("no", "No"),
                            ("not_recorded", "Not recorded"),
                        ],
                        default="not_recorded",
                        max_length=12,
                        verbose_name="contrast-confirmed spread",
                    ),
                ),
                (
                    "anaesthetic_agent",
                    models.CharField(
                        choices=[
                            ("lidocaine", "Lidocaine"),
                            ("bupivacaine", "Bupivacaine"),
                            ("levobupivacaine", "Levobupivacaine"),
                            ("ropivacaine", "Ropivacaine"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "anaesthetic_concentration",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01")),
                            django.core.validators.MaxValueValidator(Decimal("10")),
                        ],
                        verbose_name="concentration (%)",
                    ),
                ),
                (
                    "anaesthetic_volume_ml",
                    models.DecimalField(
                        decimal_places=1,
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.1")),
                            django.core.validators.MaxValueValidator(Decimal("20")),
                        ],
                        verbose_name="volume (mL)",
                    ),
                ),
                (
                    "steroid_agent",
                    models.CharField(
                        choices=[
                            ("none", "None"),
                            ("triamcinolone", "Triamcinolone"),
                            ("methylprednisolone", "Methylprednisolone"),
                            ("dexamethasone", "Dexamethasone"),
                            ("betamethasone", "Betamethasone"),
                        ],
                        default="none",
                        max_length=20,
                        verbose_name="corticosteroid",
                    ),
                ),
                (
                    "steroid_dose_mg",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=5,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.1"))],
                        verbose_name="corticosteroid dose (mg)",
                    ),
                ),
                (
                    "sedation",
                    models.CharField(
                        choices=[
                            ("none", "None"),
                            ("minimal", "Minimal"),
                            ("moderate", "Moderate"),
                            ("deep", "Deep"),
                        ],
                        default="none",
                        max_length=10,
                    ),
                ),
                (
                    "analgesic",
                    models.CharField(
                        blank=True,
                        help_text="Pain medicine taken between the baseline and the readings: what and how much.",
                        max_length=200,
                        verbose_name="analgesic since the baseline",
                    ),
                ),
                (
                    "analgesic_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When it was taken.",
                        null=True,
                        verbose_name="analgesic taken at",
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True,
                        max_length=10000,
                        validators=[django.core.validators.MaxLengthValidator(10000)],
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("positive", "Positive (single block): consistent with SI joint pain"),
                            ("indeterminate", "Indeterminate: partial relief"),
                            ("negative", "Negative: intra-articular SI joint pain unlikely"),
                            ("non_diagnostic", "Non-diagnostic"),
                            ("pending", "Pending: the 20–30 minute reading is not in yet"),
                        ],
                        default=assessments.rules.terms.Outcome["NON_DIAGNOSTIC"],
                        editable=False,
                        max_length=16,
                    ),
                ),
                ("awaits_window_reading", models.BooleanField(default=False, editable=False)),
                (
                    "percent_reduction",
                    models.DecimalField(
                        decimal_places=1,
                        editable=False,
                        max_digits=5,
                        null=True,
                        verbose_name="% reduction",
                    ),
                ),
                ("at_threshold", models.BooleanField(default=False, editable=False)),
                ("baseline_score", models.PositiveSmallIntegerField(editable=False, null=True)),
                ("decisive_score", models.PositiveSmallIntegerField(editable=False, null=True)),
                ("evaluated_rule", models.CharField(blank=True, editable=False, max_length=64)),
                ("locked_at", models.DateTimeField(editable=False, null=True)),
                (
                    "signed_outcome",
                    models.CharField(
                        choices=[
                            ("positive", "Positive (single block): consistent with SI joint pain"),
                            ("indeterminate", "Indeterminate: partial relief"),
                            ("negative", "Negative: intra-articular SI joint pain unlikely"),
                            ("non_diagnostic", "Non-diagnostic"),
                            ("pending", "Pending: the 20–30 minute reading is not in yet"),
                        ],
                        editable=False,
                        max_length=16,
                        null=True,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proceduralist",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-performed_at"],
                "permissions": [
                    ("sign_injection", "Can sign off an injection's interpretation"),
                    ("amend_injection", "Can amend a signed injection"),
                    ("export_injections", "Can export injection data (CSV, REDCap, FHIR)"),
                    ("view_statistics", "Can view the clinic's outcome statistics"),
                ],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSignOff",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveSmallIntegerField()),
                ("signed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "computed_outcome",
                    models.CharField(
                        choices=[
                            ("positive", "Positive (single block): consistent with SI joint pain"),
                            ("indeterminate", "Indeterminate: partial relief"),
                            ("negative", "Negative: intra-articular SI joint pain unlikely"),
                            ("non_diagnostic", "Non-diagnostic"),
                            ("pending", "Pending: the 20–30 minute reading is not in yet"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "signed_outcome",
                    models.CharField(
                        choices=[
                            ("positive", "Positive (single block): consistent with SI joint pain"),
                            ("indeterminate", "Indeterminate: partial relief"),
                            ("negative", "Negative: intra-articular SI joint pain unlikely"),
                            ("non_diagnostic", "Non-diagnostic"),
                            ("pending", "Pending: the 20–30 minute reading is not in yet"),
                        ],
                        max_length=16,
                    ),
                ),
                ("override_reason", models.TextField(blank=True, max_length=5000)),
                (
                    "profile",
                    models.CharField(
                        help_text="The criteria profile signed under, as CODE@version.",
                        max_length=32,
                    ),
                ),
                (
                    "rule_options",
                    models.JSONField(
                        help_text="The rule's options as signed (threshold, method, bands, confounders)."
                    ),
                ),
                ("threshold", models.PositiveSmallIntegerField()),
                ("inclusive", models.BooleanField()),
                (
                    "percent_reduction",
                    models.DecimalField(decimal_places=1, max_digits=5, null=True),
                ),
                ("at_threshold", models.BooleanField()),
                (
                    "inputs",
                    models.JSONField(
                        help_text="Injection time and every reading (minutes, score, context) as signed."
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "signed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.injection",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical sign off",
                "verbose_name_plural": "historical sign offs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPainReading",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        help_text="Numeric rating scale: 0 = no pain, 10 = worst imaginable.",
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(10),
                        ],
                    ),
                ),
                (
                    "context",
                    models.CharField(
                        choices=[("rest", "At rest"), ("provoked", "During provoking activity")],
                        default="rest",
                        max_length=10,
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("staff", "Staff"),
                            ("patient", "Patient-reported"),
                            ("paper", "Paper diary (transcribed)"),
                        ],
                        default="staff",
                        max_length=10,
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200)),
                (
                    "medication",
                    models.CharField(
                        blank=True,
                        help_text="A rescue analgesic: what and how much. Readings after it are left out of the duration of relief.",
                        max_length=200,
                        verbose_name="pain medicine since the last entry",
                    ),
                ),
                (
                    "medication_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="pain medicine taken at"
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "diary_link",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        help_text="The patient's diary link it came through.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.diarylink",
                    ),
                ),
                (
                    "entered_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.injection",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical pain reading",
                "verbose_name_plural": "historical pain readings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFollowUpCall",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("called_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("reached", "Reached: score recorded"),
                            ("no_answer", "No answer"),
                        ],
                        max_length=10,
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "called_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.injection",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical follow up call",
                "verbose_name_plural": "historical follow up calls",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDiaryLink",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("nonce", models.CharField(db_index=True, editable=False, max_length=43)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("expires_at", models.DateTimeField()),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "revoked_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.injection",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical diary link",
                "verbose_name_plural": "historical diary links",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalAmendment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("amends_version", models.PositiveSmallIntegerField()),
                ("reason", models.TextField(max_length=5000)),
                ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "opened_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.injection",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical amendment",
                "verbose_name_plural": "historical amendments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="diarylink",
            name="injection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="diary_links",
                to="assessments.injection",
            ),
        ),
        migrations.CreateModel(
            name="Amendment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("amends_version", models.PositiveSmallIntegerField()),
                ("reason", models.TextField(max_length=5000)),
                ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "opened_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="amendments",
                        to="assessments.injection",
                    ),
                ),
            ],
            options={
                "ordering": ["injection", "opened_at"],
            },
        ),
        migrations.CreateModel(
            name="PainReading",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                (
                    "score",
                    models.PositiveSmallIntegerField(
                        help_text="Numeric rating scale: 0 = no pain, 10 = worst imaginable.",
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(10),
                        ],
                    ),
                ),
                (
                    "context",
                    models.CharField(
                        choices=[("rest", "At rest"), ("provoked", "During provoking activity")],
                        default="rest",
                        max_length=10,
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("staff", "Staff"),
                            ("patient", "Patient-reported"),
                            ("paper", "Paper diary (transcribed)"),
                        ],
                        default="staff",
                        max_length=10,
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200)),
                (
                    "medication",
                    models.CharField(
                        blank=True,
                        help_text="A rescue analgesic: what and how much. Readings after it are left out of the duration of relief.",
                        max_length=200,
                        verbose_name="pain medicine since the last entry",
                    ),
                ),
                (
                    "medication_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="pain medicine taken at"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "diary_link",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        help_text="The patient's diary link it came through.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="readings",
                        to="assessments.diarylink",
                    ),
                ),
                (
                    "entered_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="readings",
                        to="assessments.injection",
                    ),
                ),
            ],
            options={
                "ordering": ["recorded_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Patient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "mrn",
                    models.CharField(
                        help_text="Medical record number.",
                        max_length=32,
                        unique=True,
                        verbose_name="MRN",
                    ),
                ),
                ("family_name", models.CharField(max_length=100)),
                ("given_name", models.CharField(max_length=100)),
                ("date_of_birth", models.DateField()),
                (
                    "sex",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("female", "Female"),
                            ("male", "Male"),
                            ("other", "Other"),
                            ("unknown", "Unknown"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "phone",
                    models.CharField(
                        blank=True,
                        help_text="For the follow-up calls, e.g. +44 20 7946 0958.",
                        max_length=32,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^\\+?[0-9][0-9 ()./-]{5,30}$",
                                "Enter a phone number: digits, spaces, dashes and brackets, optionally starting with +.",
                            )
                        ],
                        verbose_name="phone number",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["mrn"],
                "indexes": [
                    models.Index(
                        fields=["family_name", "given_name"], name="assessments_family__35f97e_idx"
                    )
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("mrn", ""), _negated=True),
                        name="assessments_patient_mrn_not_empty",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("sex", ""),
                            ("sex__in", ["female", "male", "other", "unknown"]),
                            _connector="OR",
                        ),
                        name="assessments_patient_sex_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("date_of_birth__gte", datetime.date(1900, 1, 1))),
                        name="assessments_patient_born_from_1900",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("mrn"), 32
                        ),
                        name="assessments_patient_mrn_length",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("family_name"), 100
                        ),
                        name="assessments_patient_family_name_length",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("given_name"), 100
                        ),
                        name="assessments_patient_given_name_length",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("phone"), 32
                        ),
                        name="assessments_patient_phone_length",
                    ),
                    models.UniqueConstraint(
                        django.db.models.functions.text.Upper("mrn"),
                        name="assessments_patient_mrn_any_case",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("mrn", django.db.models.functions.text.Trim("mrn"))),
                        name="assessments_patient_mrn_trimmed",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="injection",
            name="patient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="injections",
                to="assessments.patient",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalInjection",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("performed_at", models.DateTimeField(verbose_name="performed at")),
                (
                    "side",
                    models.CharField(choices=[("left", "Left"), ("right", "Right")], max_length=5),
                ),
                (
                    "guidance",
                    models.CharField(
                        choices=[
                            ("fluoroscopy", "Fluoroscopy"),
                            ("ct", "CT"),
                            ("ultrasound", "Ultrasound"),
                            ("none", "None"),
                        ],
                        max_length=12,
                        verbose_name="image guidance",
                    ),
                ),
                (
                    "contrast",
                    models.CharField(
                        choices=[
                            ("yes", "Yes: intra-articular spread confirmed"),
                            ("no", "No"),
                            ("not_recorded", "Not recorded"),
                        ],
                        default="not_recorded",
                        max_length=12,
                        verbose_name="contrast-confirmed spread",
                    ),
                ),
                (
                    "anaesthetic_agent",
                    models.CharField(
                        choices=[
                            ("lidocaine", "Lidocaine"),
                            ("bupivacaine", "Bupivacaine"),
                            ("levobupivacaine", "Levobupivacaine"),
                            ("ropivacaine", "Ropivacaine"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "anaesthetic_concentration",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.01")),
                            django.core.validators.MaxValueValidator(Decimal("10")),
                        ],
                        verbose_name="concentration (%)",
                    ),
                ),
                (
                    "anaesthetic_volume_ml",
                    models.DecimalField(
                        decimal_places=1,
                        max_digits=4,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.1")),
                            django.core.validators.MaxValueValidator(Decimal("20")),
                        ],
                        verbose_name="volume (mL)",
                    ),
                ),
                (
                    "steroid_agent",
                    models.CharField(
                        choices=[
                            ("none", "None"),
                            ("triamcinolone", "Triamcinolone"),
                            ("methylprednisolone", "Methylprednisolone"),
                            ("dexamethasone", "Dexamethasone"),
                            ("betamethasone", "Betamethasone"),
                        ],
                        default="none",
                        max_length=20,
                        verbose_name="corticosteroid",
                    ),
                ),
                (
                    "steroid_dose_mg",
                    models.DecimalField(
                        blank=True,
                        decimal_places=1,
                        max_digits=5,
                        null=True,
                        validators=[django.core.validators.MinValueValidator(Decimal("0.1"))],
                        verbose_name="corticosteroid dose (mg)",
                    ),
                ),
                (
                    "sedation",
                    models.CharField(
                        choices=[
                            ("none", "None"),
                            ("minimal", "Minimal"),
                            ("moderate", "Moderate"),
                            ("deep", "Deep"),
                        ],
                        default="none",
                        max_length=10,
                    ),
                ),
                (
                    "analgesic",
                    models.CharField(
                        blank=True,
                        help_text="Pain medicine taken between the baseline and the readings: what and how much.",
                        max_length=200,
                        verbose_name="analgesic since the baseline",
                    ),
                ),
                (
                    "analgesic_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When it was taken.",
                        null=True,
                        verbose_name="analgesic taken at",
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True,
                        max_length=10000,
                        validators=[django.core.validators.MaxLengthValidator(10000)],
                    ),
                ),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("locked_at", models.DateTimeField(editable=False, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proceduralist",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.patient",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical injection",
                "verbose_name_plural": "historical injections",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ReportAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "actor",
                    models.CharField(
                        help_text="User name, or the command line's user.", max_length=150
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("view", "Viewed PDF"),
                            ("bulk", "Bulk zip download"),
                            ("export", "Command-line export"),
                            ("archive", "Archived signed PDF"),
                            ("handout", "Diary handout PDF"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessments.injection",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "report access log entry",
                "verbose_name_plural": "report access log entries",
                "ordering": ["-at"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="SignOff",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveSmallIntegerField()),
                ("signed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "computed_outcome",
                    models.CharField(
                        choices=[
                            ("positive", "Positive (single block): consistent with SI joint pain"),
                            ("indeterminate", "Indeterminate: partial relief"),
                            ("negative", "Negative: intra-articular SI joint pain unlikely"),
                            ("non_diagnostic", "Non-diagnostic"),
                            ("pending", "Pending: the 20–30 minute reading is not in yet"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "signed_outcome",
                    models.CharField(
                        choices=[
                            ("positive", "Positive (single block): consistent with SI joint pain"),
                            ("indeterminate", "Indeterminate: partial relief"),
                            ("negative", "Negative: intra-articular SI joint pain unlikely"),
                            ("non_diagnostic", "Non-diagnostic"),
                            ("pending", "Pending: the 20–30 minute reading is not in yet"),
                        ],
                        max_length=16,
                    ),
                ),
                ("override_reason", models.TextField(blank=True, max_length=5000)),
                (
                    "profile",
                    models.CharField(
                        help_text="The criteria profile signed under, as CODE@version.",
                        max_length=32,
                    ),
                ),
                (
                    "rule_options",
                    models.JSONField(
                        help_text="The rule's options as signed (threshold, method, bands, confounders)."
                    ),
                ),
                ("threshold", models.PositiveSmallIntegerField()),
                ("inclusive", models.BooleanField()),
                (
                    "percent_reduction",
                    models.DecimalField(decimal_places=1, max_digits=5, null=True),
                ),
                ("at_threshold", models.BooleanField()),
                (
                    "inputs",
                    models.JSONField(
                        help_text="Injection time and every reading (minutes, score, context) as signed."
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="signoffs",
                        to="assessments.injection",
                    ),
                ),
                (
                    "signed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["injection", "version"],
                "get_latest_by": "version",
            },
        ),
        migrations.CreateModel(
            name="SignedReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file", models.FileField(upload_to="signed-reports/")),
                ("sha256", models.CharField(max_length=64)),
                ("size", models.PositiveIntegerField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "signoff",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="archived_report",
                        to="assessments.signoff",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="DataExport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "actor",
                    models.CharField(
                        help_text="User name, or the command line's user.", max_length=150
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when")),
                (
                    "format",
                    models.CharField(
                        choices=[
                            ("csv", "CSV, one row per reading"),
                            ("csv-wide", "CSV, one row per injection"),
                            ("redcap", "REDCap (dictionary and records)"),
                            ("fhir", "FHIR R4 bundle"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "selection",
                    models.CharField(
                        help_text="What was exported: the filter or the selected records.",
                        max_length=500,
                    ),
                ),
                ("injections", models.PositiveIntegerField(verbose_name="injections exported")),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "data export log entry",
                "verbose_name_plural": "data export log entries",
                "ordering": ["-at"],
                "abstract": False,
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("format__in", ["csv", "csv-wide", "redcap", "fhir"])),
                        name="assessments_export_format_valid",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="EnrolmentCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("digest", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "issued_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("expires_at", models.DateTimeField(editable=False)),
                ("used_at", models.DateTimeField(editable=False, null=True)),
                (
                    "issued_by",
                    models.ForeignKey(
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="enrolment_codes",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "two-factor enrolment code",
                "ordering": ["-issued_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("expires_at__gt", models.F("issued_at"))),
                        name="assessments_enrolmentcode_expires_after_issue",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="FollowUpCall",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("called_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("reached", "Reached: score recorded"),
                            ("no_answer", "No answer"),
                        ],
                        max_length=10,
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200)),
                (
                    "called_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "injection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="follow_up_calls",
                        to="assessments.injection",
                    ),
                ),
            ],
            options={
                "ordering": ["-called_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("outcome__in", ["reached", "no_answer"])),
                        name="assessments_followupcall_outcome_valid",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("note"), 200
                        ),
                        name="assessments_followupcall_note_length",
                    ),
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="diarylink",
            constraint=models.CheckConstraint(
                condition=models.Q(("expires_at__gt", models.F("created_at"))),
                name="assessments_diarylink_expires_after_creation",
            ),
        ),
        migrations.AddConstraint(
            model_name="diarylink",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("revoked_at__isnull", True), ("revoked_by__isnull", False), _connector="OR"
                ),
                name="assessments_diarylink_revoked_by_someone",
            ),
        ),
        migrations.AddConstraint(
            model_name="amendment",
            constraint=models.CheckConstraint(
                condition=models.Q(("reason", ""), _negated=True),
                name="assessments_amendment_reason_required",
            ),
        ),
        migrations.AddConstraint(
            model_name="amendment",
            constraint=models.UniqueConstraint(
                fields=("injection", "amends_version"), name="assessments_amendment_one_per_version"
            ),
        ),
        migrations.AddConstraint(
            model_name="amendment",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("reason"), 5000
                ),
                name="assessments_amendment_reason_length",
            ),
        ),
        migrations.AddIndex(
            model_name="painreading",
            index=models.Index(
                fields=["injection", "recorded_at"], name="assessments_injecti_7f3257_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="painreading",
            constraint=models.CheckConstraint(
                condition=models.Q(("score__gte", 0), ("score__lte", 10)),
                name="assessments_reading_score_0_10",
            ),
        ),
        migrations.AddConstraint(
            model_name="painreading",
            constraint=models.CheckConstraint(
                condition=models.Q(("context__in", ["rest", "provoked"])),
                name="assessments_reading_context_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="painreading",
            constraint=models.CheckConstraint(
                condition=models.Q(("source__in", ["staff", "patient", "paper"])),
                name="assessments_reading_source_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="painreading",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "recorded_at__gte",
                        datetime.datetime(1999, 12, 31, 0, 0, tzinfo=datetime.timezone.utc),
                    )
                ),
                name="assessments_reading_recorded_from_2000",
            ),
        ),
        migrations.AddConstraint(
            model_name="painreading",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("note"), 200
                ),
                name="assessments_reading_note_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="painreading",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("medication"), 200
                ),
                name="assessments_reading_medication_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="painreading",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("medication", ""), ("medication_at__isnull", True)),
                    models.Q(
                        models.Q(("medication", ""), _negated=True),
                        ("medication_at__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="assessments_reading_medication_what_and_when",
            ),
        ),
        migrations.AddConstraint(
            model_name="painreading",
            constraint=models.UniqueConstraint(
                fields=("injection", "recorded_at"), name="assessments_reading_one_per_moment"
            ),
        ),
        migrations.AddIndex(
            model_name="injection",
            index=models.Index(fields=["performed_at"], name="assessments_perform_909229_idx"),
        ),
        migrations.AddIndex(
            model_name="injection",
            index=models.Index(
                fields=["outcome", "-performed_at"], name="assessments_outcome_44f0ea_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="injection",
            index=models.Index(
                fields=["patient", "-performed_at"], name="assessments_patient_2a72db_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(("side__in", ["left", "right"])),
                name="assessments_injection_side_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(("guidance__in", ["fluoroscopy", "ct", "ultrasound", "none"])),
                name="assessments_injection_guidance_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(("contrast__in", ["yes", "no", "not_recorded"])),
                name="assessments_injection_contrast_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "anaesthetic_agent__in",
                        ["lidocaine", "bupivacaine", "levobupivacaine", "ropivacaine"],
                    )
                ),
                name="assessments_injection_anaesthetic_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(("sedation__in", ["none", "minimal", "moderate", "deep"])),
                name="assessments_injection_sedation_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("anaesthetic_concentration__gt", 0), ("anaesthetic_volume_ml__gt", 0)
                ),
                name="assessments_injection_anaesthetic_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("steroid_agent", "none"), ("steroid_dose_mg__isnull", True)),
                    models.Q(
                        (
                            "steroid_agent__in",
                            [
                                "triamcinolone",
                                "methylprednisolone",
                                "dexamethasone",
                                "betamethasone",
                            ],
                        ),
                        ("steroid_dose_mg__gt", 0),
                        ("steroid_dose_mg__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="assessments_injection_steroid_agent_and_dose",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "outcome__in",
                        (
                            assessments.rules.terms.Outcome["POSITIVE"],
                            assessments.rules.terms.Outcome["INDETERMINATE"],
                            assessments.rules.terms.Outcome["NEGATIVE"],
                            assessments.rules.terms.Outcome["NON_DIAGNOSTIC"],
                        ),
                    )
                ),
                name="assessments_injection_outcome_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("locked_at__isnull", True),
                    (
                        "signed_outcome__in",
                        (
                            assessments.rules.terms.Outcome["POSITIVE"],
                            assessments.rules.terms.Outcome["INDETERMINATE"],
                            assessments.rules.terms.Outcome["NEGATIVE"],
                            assessments.rules.terms.Outcome["NON_DIAGNOSTIC"],
                        ),
                    ),
                    _connector="OR",
                ),
                name="assessments_injection_signed_outcome_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("analgesic", ""), ("analgesic_at__isnull", True)),
                    models.Q(
                        models.Q(("analgesic", ""), _negated=True), ("analgesic_at__isnull", False)
                    ),
                    _connector="OR",
                ),
                name="assessments_injection_analgesic_what_and_when",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("analgesic"), 200
                ),
                name="assessments_injection_analgesic_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "performed_at__gte",
                        datetime.datetime(1999, 12, 31, 0, 0, tzinfo=datetime.timezone.utc),
                    )
                ),
                name="assessments_injection_performed_from_2000",
            ),
        ),
        migrations.AddConstraint(
            model_name="injection",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("notes"), 10000
                ),
                name="assessments_injection_notes_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportaccess",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["view", "bulk", "export", "archive", "handout"])),
                name="assessments_access_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.UniqueConstraint(
                fields=("injection", "version"), name="assessments_signoff_one_per_version"
            ),
        ),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.CheckConstraint(
                condition=models.Q(("version__gte", 1)), name="assessments_signoff_version"
            ),
        ),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("signed_outcome", models.F("computed_outcome")),
                    models.Q(("override_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="assessments_signoff_override_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "signed_outcome__in",
                        (
                            assessments.rules.terms.Outcome["POSITIVE"],
                            assessments.rules.terms.Outcome["INDETERMINATE"],
                            assessments.rules.terms.Outcome["NEGATIVE"],
                            assessments.rules.terms.Outcome["NON_DIAGNOSTIC"],
                        ),
                    ),
                    (
                        "computed_outcome__in",
                        (
                            assessments.rules.terms.Outcome["POSITIVE"],
                            assessments.rules.terms.Outcome["INDETERMINATE"],
                            assessments.rules.terms.Outcome["NEGATIVE"],
                            assessments.rules.terms.Outcome["NON_DIAGNOSTIC"],
                        ),
                    ),
                ),
                name="assessments_signoff_outcomes_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="signoff",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("override_reason"), 5000
                ),
                name="assessments_signoff_reason_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="signedreport",
            constraint=models.CheckConstraint(
                condition=models.Q(("sha256__regex", "^[0-9a-f]{64}$")),
                name="assessments_report_sha256",
            ),
        ),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
        migrations.RunPython(triggers.install_for_migration, triggers.uninstall_for_migration),
    ]
