"""Entry forms: one module per kind of record.

fields.py holds what they share (clinic-time inputs, score buttons, service errors).
"""

from .fields import add_service_errors, local_now
from .injections import NewInjectionForm
from .readings import FollowUpEntryForm, QuickReadingForm, ReadingInlineForm, ReadingInlineFormSet
from .signing import AmendmentForm, SignOffForm

__all__ = [
    "AmendmentForm",
    "FollowUpEntryForm",
    "NewInjectionForm",
    "QuickReadingForm",
    "ReadingInlineForm",
    "ReadingInlineFormSet",
    "SignOffForm",
    "add_service_errors",
    "local_now",
]
