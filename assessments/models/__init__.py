from .accounts import EnrolmentCode
from .audit import DataExport, ReportAccess
from .choices import (
    Anaesthetic,
    Context,
    Contrast,
    Guidance,
    Language,
    OutcomeChoices,
    Purpose,
    Sedation,
    Sex,
    Side,
    Source,
    Steroid,
)
from .diary import DiaryLink, FollowUpCall
from .injection import Injection, evaluated_rule, primary_profile
from .limits import MAX_AFTER_INJECTION, MAX_BEFORE_INJECTION
from .patient import Patient
from .reading import PainReading
from .reminder import Reminder, ReminderSend
from .result import Result
from .signoff import Amendment, SignedReport, SignOff
from .version import DataVersion
from .workup import CoverageStatus, Provocation, WorkUp

__all__ = [
    "MAX_AFTER_INJECTION",
    "MAX_BEFORE_INJECTION",
    "Amendment",
    "Anaesthetic",
    "Context",
    "CoverageStatus",
    "Contrast",
    "DataVersion",
    "DiaryLink",
    "EnrolmentCode",
    "FollowUpCall",
    "Guidance",
    "Injection",
    "Language",
    "OutcomeChoices",
    "PainReading",
    "Patient",
    "Provocation",
    "Purpose",
    "WorkUp",
    "Reminder",
    "ReminderSend",
    "Result",
    "DataExport",
    "ReportAccess",
    "Sedation",
    "Sex",
    "Side",
    "SignOff",
    "SignedReport",
    "Source",
    "Steroid",
    "evaluated_rule",
    "primary_profile",
]
