from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Trim, Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .choices import Sex
from .limits import EARLIEST_BIRTH, choice_values, length_constraint

PHONE = RegexValidator(
    r"^\+?[0-9][0-9 ()./-]{5,30}$",
    "Enter a phone number: digits, spaces, dashes and brackets, optionally starting with +.",
)


class Patient(models.Model):
    Sex = Sex

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
            length_constraint("assessments_patient_phone_length", "phone", 32),
            # One patient per MRN whatever its letter case; no spaces around it.
            models.UniqueConstraint(Upper("mrn"), name="assessments_patient_mrn_any_case"),
            models.CheckConstraint(
                condition=Q(mrn=Trim("mrn")), name="assessments_patient_mrn_trimmed"
            ),
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
            first = self.injections.order_by("performed_at").values_list("performed_at", flat=True)
            first = first.first()
            if first is not None and born > timezone.localdate(first):
                raise ValidationError(
                    {"date_of_birth": "Date of birth cannot be after the patient's injections."}
                )

    def age_on(self, day):
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday
