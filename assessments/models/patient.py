from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Trim, Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .choices import Language, Sex
from .contact import E164_MAX, normalise_mobile, validate_mobile
from .limits import EARLIEST_BIRTH, choice_values, length_constraint, staff_member

PHONE = RegexValidator(
    r"^\+?[0-9][0-9 ()./-]{5,30}$",
    "Enter a phone number: digits, spaces, dashes and brackets, optionally starting with +.",
)


class Patient(models.Model):
    Sex = Sex
    Language = Language

    mrn = models.CharField("MRN", max_length=32, unique=True, help_text="Medical record number.")
    family_name = models.CharField(max_length=100)
    given_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    phone = models.CharField(
        "phone number",
        max_length=32,
        blank=True,
        validators=[PHONE],
        help_text="For the follow-up calls, e.g. +44 20 7946 0958.",
    )
    email = models.EmailField("email", blank=True, help_text="For diary reminders.")
    # Typed with spaces and brackets (up to 32 characters), stored as E.164 (at most 16).
    mobile = models.CharField(
        "mobile number",
        max_length=32,
        blank=True,
        validators=[validate_mobile],
        help_text="For text reminders; stored as +<country code><number>.",
    )
    preferred_language = models.CharField(
        max_length=5,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="The diary pages, the handout and the reminders are in this language.",
    )
    # Consent to reminders: who recorded it and when. An opt-out later than the consent
    # stops them; consent recorded again after an opt-out starts them again.
    reminder_consent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_consent_by = staff_member(null=True, blank=True, editable=False)
    reminders_stopped_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()
    # Read by django-simple-history when it writes the history row of a save.
    _change_reason: str

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
            length_constraint("assessments_patient_phone_length", "phone", 32),
            length_constraint("assessments_patient_email_length", "email", 254),
            models.CheckConstraint(
                condition=Q(mobile="") | Q(mobile__startswith="+"),
                name="assessments_patient_mobile_e164",
            ),
            length_constraint("assessments_patient_mobile_length", "mobile", E164_MAX),
            models.CheckConstraint(
                condition=Q(preferred_language__in=choice_values(Language)),
                name="assessments_patient_language_valid",
            ),
            models.CheckConstraint(
                condition=Q(reminder_consent_at__isnull=True)
                | Q(reminder_consent_by__isnull=False),
                name="assessments_patient_consent_recorded_by_someone",
            ),
            # One patient per MRN whatever its letter case; no spaces around it.
            models.UniqueConstraint(Upper("mrn"), name="assessments_patient_mrn_any_case"),
            models.CheckConstraint(
                condition=Q(mrn=Trim("mrn")), name="assessments_patient_mrn_trimmed"
            ),
        ]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return f"MRN {self.mrn}"

    def get_absolute_url(self) -> str:
        return reverse("admin:assessments_patient_change", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def reminders_allowed(self) -> bool:
        """Consent recorded, and no opt-out since."""
        if self.reminder_consent_at is None:
            return False
        return self.reminders_stopped_at is None or (
            self.reminders_stopped_at < self.reminder_consent_at
        )

    @property
    def has_contact(self) -> bool:
        return bool(self.email or self.mobile)

    def clean(self) -> None:
        self.email = (self.email or "").strip()
        try:
            self.mobile = normalise_mobile(self.mobile)
        except ValidationError as error:
            raise ValidationError({"mobile": error.messages}) from None
        self.mrn = (self.mrn or "").strip()
        if not self.mrn:
            raise ValidationError({"mrn": "Enter the medical record number."})
        twin = Patient.objects.filter(mrn__iexact=self.mrn).exclude(pk=self.pk).first()
        if twin is not None:
            raise ValidationError(
                {"mrn": f"MRN {twin.mrn} is already on file (MRNs match whatever their case)."}
            )
        born = self.date_of_birth
        if born is None:
            return
        if born < EARLIEST_BIRTH:
            raise ValidationError({"date_of_birth": "Enter a date of birth from 1900 on."})
        if born > timezone.localdate():
            raise ValidationError({"date_of_birth": "Date of birth cannot be in the future."})
        if self.pk is not None:
            performed = self.injections.order_by("performed_at").values_list(
                "performed_at", flat=True
            )
            first = performed.first()
            if first is not None and born > timezone.localdate(first):
                raise ValidationError(
                    {"date_of_birth": "Date of birth cannot be after the patient's injections."}
                )

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday
