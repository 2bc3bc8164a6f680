"""Plain builders shared by the test modules: valid POST bodies and PDF text.

Fixtures that need the database live in conftest.py; these are ordinary functions.
"""

import io
from datetime import timedelta

from django.utils import timezone
from pypdf import PdfReader


def local_input(moment):
    """A datetime-local input's value, in clinic time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")


def injection_post(patient, proceduralist, performed_at, readings=(), **overrides):
    """An admin add/change POST body; readings are dicts of inline fields."""
    body = {
        "patient": patient.pk,
        "performed_at": local_input(performed_at),
        "side": "left",
        "proceduralist": proceduralist.pk,
        "guidance": "fluoroscopy",
        "contrast": "yes",
        "sedation": "none",
        "anaesthetic_agent": "lidocaine",
        "anaesthetic_concentration": "2",
        "anaesthetic_volume_ml": "2",
        "steroid_agent": "none",
        "steroid_dose_mg": "",
        "notes": "",
        "readings-TOTAL_FORMS": str(len(readings)),
        "readings-INITIAL_FORMS": "0",
        "readings-MIN_NUM_FORMS": "0",
        "readings-MAX_NUM_FORMS": "1000",
        # The read-only sign-off and amendment inlines send empty management forms.
        "signoffs-TOTAL_FORMS": "0",
        "signoffs-INITIAL_FORMS": "0",
        "amendments-TOTAL_FORMS": "0",
        "amendments-INITIAL_FORMS": "0",
    }
    for index, reading in enumerate(readings):
        fields = {
            "recorded_at": "",
            "minutes_after": "",
            "context": "provoked",
            "source": "staff",
            "note": "",
            **reading,
        }
        body.update({f"readings-{index}-{name}": value for name, value in fields.items()})
    body.update(overrides)
    return body


def new_injection_body(proceduralist, /, **overrides):
    """A valid POST of the bedside new-injection form (a new patient, NEW-777)."""
    now = timezone.now()
    fields = {
        "mrn": " NEW-777 ",
        "family_name": "Nakamura",
        "given_name": "Aiko",
        "date_of_birth": "1961-07-04",
        "sex": "female",
        "performed_at": local_input(now - timedelta(minutes=2)),
        "side": "right",
        "proceduralist": proceduralist.pk,
        "guidance": "fluoroscopy",
        "contrast": "yes",
        "sedation": "none",
        "anaesthetic_agent": "lidocaine",
        "anaesthetic_concentration": "2",
        "anaesthetic_volume_ml": "1.5",
        "steroid_agent": "none",
        "steroid_dose_mg": "",
        "notes": "",
        "baseline_score": "7",
        "baseline_at": local_input(now - timedelta(minutes=8)),
        "baseline_context": "provoked",
    }
    fields.update(overrides)
    return fields


def pdf_pages(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(pdf):
    return " ".join(pdf_pages(pdf))
