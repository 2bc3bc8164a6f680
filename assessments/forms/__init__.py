"""Entry forms: one module per kind of record.

fields.py holds what they share (clinic-time inputs, score buttons, service errors).
"""

from .corrections import CorrectionForm
from .fields import add_service_errors, local_now
from .injections import NewInjectionForm
from .readings import (
    BaselineForm,
    FollowUpEntryForm,
    QuickReadingForm,
    ReadingInlineForm,
    ReadingInlineFormSet,
)
from .signing import AmendmentForm, SignOffForm
from .workups import WorkUpForm

__all__ = [
    "AmendmentForm",
    "BaselineForm",
    "CorrectionForm",
    "FollowUpEntryForm",
    "NewInjectionForm",
    "QuickReadingForm",
    "ReadingInlineForm",
    "ReadingInlineFormSet",
    "SignOffForm",
    "WorkUpForm",
    "add_service_errors",
    "local_now",
]
