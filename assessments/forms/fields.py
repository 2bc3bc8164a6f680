"""Fields and helpers the entry forms share: clinic-time inputs, score buttons, errors.

Forms check the shape of what was typed; clinical validity comes from the models' clean()
(via ModelForm) and the services.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .. import display
from ..models.limits import EARLIEST_MESSAGE, too_early

SCORE_CHOICES = [(score, str(score)) for score in range(11)]
SCORE_ERRORS = {
    "required": gettext_lazy("Choose a score from 0 to 10."),
    "invalid_choice": gettext_lazy("Choose a whole number from 0 to 10."),
}
BUTTON_CHOICES_TEMPLATE = "assessments/fields/button_choices.html"
ZERO = timedelta(0)

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # a lazy translation (django-stubs)


def local_now() -> datetime:
    """Now in the clinic's zone, to the second: the default of a time input."""
    return display.local(timezone.now()).replace(microsecond=0)


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, in clinic local time: to the second for staff (a
    reading at 19:50 or 20:10 after the injection is outside or inside the window), to the
    minute for patients."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None, *, seconds: bool = True):
        step, shown = ("1", "%Y-%m-%dT%H:%M:%S") if seconds else ("60", "%Y-%m-%dT%H:%M")
        super().__init__(attrs={"step": step, **(attrs or {})}, format=shown)


def score_field(
    label: "str | _StrPromise" = "Pain score (0–10)", **kwargs: Any
) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=SCORE_ERRORS,
        **kwargs,
    )


def clock_change_message(naive: datetime) -> str:
    """Why a local clock time cannot be stored: skipped or repeated by a clock change."""
    zone = timezone.get_current_timezone()
    first, second = naive.replace(fold=0, tzinfo=zone), naive.replace(fold=1, tzinfo=zone)
    when = f"{naive:%H:%M}", f"{naive:%a} {naive.day} {naive:%b %Y} in {zone}"
    # A zone gives every local time an offset.
    if (first.utcoffset() or ZERO) < (second.utcoffset() or ZERO):
        return (
            f"{when[0]} does not exist on {when[1]}: the clocks went forward. "
            "Enter the time the clock showed."
        )
    return (
        f"{when[0]} happens twice on {when[1]}: the clocks went back, so it is ambiguous. "
        "Enter a time outside the repeated hour."
    )


def aware_local(naive: datetime) -> datetime:
    """`naive` clock time in the clinic's zone; a skipped or repeated time is a field error."""
    try:
        return from_current_timezone(naive)
    except ValidationError as error:
        if error.code != "ambiguous_timezone":
            raise
        raise ValidationError(clock_change_message(naive), code="clock_change") from None


class ClinicDateTimeField(forms.DateTimeField):
    """A date and time in clinic time, from 2000 on; a year 1 or 9999 is a field error."""

    def to_python(self, value: Any) -> datetime | None:
        try:
            moment = super().to_python(value)
        except OverflowError:
            raise ValidationError(EARLIEST_MESSAGE, code="out_of_range") from None
        except ValidationError as error:
            if error.code != "ambiguous_timezone":
                raise
            naive = (error.params or {})["datetime"]
            raise ValidationError(clock_change_message(naive), code="clock_change") from None
        if moment is not None and too_early(moment):
            raise ValidationError(EARLIEST_MESSAGE, code="out_of_range")
        return moment


def local_time_field(
    label: "str | _StrPromise" = "Time", *, seconds: bool = True, **kwargs: Any
) -> ClinicDateTimeField:
    return ClinicDateTimeField(label=label, widget=LocalDateTimeInput(seconds=seconds), **kwargs)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields, or above the form."""
    if not hasattr(error, "error_dict"):
        # A whole-record refusal, e.g. the injection is signed and locked.
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, messages)
