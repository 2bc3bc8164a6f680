"""A patient's mobile number for text reminders: validated and stored as E.164 (+447911123456).

Numbers are read with Google's libphonenumber metadata (the `phonenumbers` package): a number
without a leading + is read in the clinic's country (PHONE_REGION); a landline is refused,
since it cannot take a text message.
"""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError

E164_MAX = 16  # "+" and at most 15 digits
NOT_A_NUMBER = "Enter a mobile number, e.g. +44 7911 123456."
NO_REGION = "Start with + and the country code (e.g. +34 612 345 678): PHONE_REGION is not set."
LANDLINE = "That is a landline number: enter a mobile number, which can take text messages."


def normalise_mobile(value: str) -> str:
    """`value` as E.164, or "" for none; a ValidationError says what is wrong."""
    value = (value or "").strip()
    if not value:
        return ""
    region = settings.PHONE_REGION or None
    if not value.startswith("+") and region is None:
        raise ValidationError(NO_REGION, code="no_region")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(NOT_A_NUMBER, code="invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise ValidationError(LANDLINE, code="landline")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_mobile(value: str) -> None:
    normalise_mobile(value)
