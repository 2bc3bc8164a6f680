from .accounts import EnrolmentCode
from .audit import ReportAccess
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
from .clinical import (
    MAX_AFTER_INJECTION,
    MAX_BEFORE_INJECTION,
    Injection,
    PainReading,
    Patient,
    rule_inclusive,
)
from .signoff import Amendment, SignedReport, SignOff

__all__ = [
    "MAX_AFTER_INJECTION",
    "MAX_BEFORE_INJECTION",
    "Amendment",
    "Anaesthetic",
    "Context",
    "Contrast",
    "EnrolmentCode",
    "Guidance",
    "Injection",
    "OutcomeChoices",
    "PainReading",
    "Patient",
    "ReportAccess",
    "Sedation",
    "Sex",
    "Side",
    "SignOff",
    "SignedReport",
    "Source",
    "Steroid",
    "rule_inclusive",
]
