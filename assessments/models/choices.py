"""The fixed vocabularies of the clinical records (each also a database constraint)."""

from django.db import models

from .. import rules


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"


class Guidance(models.TextChoices):
    FLUOROSCOPY = "fluoroscopy", "Fluoroscopy"
    CT = "ct", "CT"
    ULTRASOUND = "ultrasound", "Ultrasound"
    NONE = "none", "None"


class Purpose(models.TextChoices):
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    THERAPEUTIC = "therapeutic", "Therapeutic"


class Contrast(models.TextChoices):
    YES = "yes", "Yes: intra-articular spread confirmed"
    NO = "no", "No"
    NOT_RECORDED = "not_recorded", "Not recorded"


class Anaesthetic(models.TextChoices):
    LIDOCAINE = "lidocaine", "Lidocaine"
    BUPIVACAINE = "bupivacaine", "Bupivacaine"
    LEVOBUPIVACAINE = "levobupivacaine", "Levobupivacaine"
    ROPIVACAINE = "ropivacaine", "Ropivacaine"


class Steroid(models.TextChoices):
    NONE = "none", "None"
    TRIAMCINOLONE = "triamcinolone", "Triamcinolone"
    METHYLPREDNISOLONE = "methylprednisolone", "Methylprednisolone"
    DEXAMETHASONE = "dexamethasone", "Dexamethasone"
    BETAMETHASONE = "betamethasone", "Betamethasone"


class Sedation(models.TextChoices):
    NONE = "none", "None"
    MINIMAL = "minimal", "Minimal"
    MODERATE = "moderate", "Moderate"
    DEEP = "deep", "Deep"


class Context(models.TextChoices):
    REST = "rest", "At rest"
    PROVOKED = "provoked", "During provoking activity"


class Source(models.TextChoices):
    STAFF = "staff", "Staff"
    PATIENT = "patient", "Patient-reported"
    PAPER = "paper", "Paper diary (transcribed)"


# The functional API with (value, label) pairs works at run time; django-stubs types only names.
OutcomeChoices = models.TextChoices(  # type: ignore[call-overload]
    "OutcomeChoices", [(outcome.name, (outcome.value, outcome.label)) for outcome in rules.Outcome]
)


class Language(models.TextChoices):
    """The languages of the patient's pages, handout and reminders (locale/)."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Spanish (español)"
