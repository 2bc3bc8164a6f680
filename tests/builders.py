"""Plain builders shared by the test modules: saved rows, valid POST bodies and PDF text.

conftest.py's fixtures (make_user, make_patient, ...) hand these to tests that have the
database; a module-scoped fixture may call them directly (tests/access/world.py).
"""

import io
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.models import Injection, PainReading, Patient

PASSWORD = "pw-for-tests-1"
_numbers = count(1)


def create_user(username=None, **fields):
    """A staff user (unless is_staff=False) with the tests' password."""
    fields.setdefault("is_staff", True)
    return get_user_model().objects.create_user(
        username or f"user{next(_numbers)}", password=PASSWORD, **fields
    )


def create_role_user(role, username=None, **fields):
    """A staff user in one of the setup_roles groups (Clinician, Nurse, Auditor)."""
    if not Group.objects.filter(name=role).exists():
        call_command("setup_roles", stdout=StringIO())
    user = create_user(username or f"{role.lower()}{next(_numbers)}", **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


def create_patient(**fields):
    fields.setdefault("mrn", f"T{next(_numbers):05d}")
    fields.setdefault("family_name", "Testperson")
    fields.setdefault("given_name", "Alex")
    fields.setdefault("date_of_birth", date(1970, 1, 1))
    return Patient.objects.create(**fields)


def create_injection(readings=(), *, patient=None, minutes_ago=24 * 60, **fields):
    """readings: (minutes after the injection, score[, context]); negative minutes are
    baselines. The context defaults to "provoked", as the protocol asks."""
    # To the second, as the forms take it: a reading typed at "20 minutes after" is 20.0.
    moment = timezone.now().replace(microsecond=0) - timedelta(minutes=minutes_ago)
    fields.setdefault("performed_at", moment)
    fields.setdefault("side", "left")
    fields.setdefault("guidance", "fluoroscopy")
    fields.setdefault("anaesthetic_agent", "lidocaine")
    fields.setdefault("anaesthetic_concentration", Decimal("2"))
    fields.setdefault("anaesthetic_volume_ml", Decimal("2"))
    if "proceduralist" not in fields:
        fields["proceduralist"] = create_user()
    injection = Injection.objects.create(patient=patient or create_patient(), **fields)
    for minutes, score, *context in readings:
        PainReading.objects.create(
            injection=injection,
            recorded_at=injection.performed_at + timedelta(seconds=int(minutes * 60)),
            score=score,
            context=context[0] if context else "provoked",
        )
    services.refresh_evaluation(injection.pk)
    injection.refresh_from_db()
    return injection


def add_reading(injection, minutes, score, *, entered_by=None, context="provoked"):
    """A reading `minutes` after the injection, saved the way the pages save it."""
    return services.add_reading(
        injection,
        entered_by=entered_by,
        recorded_at=injection.performed_at + timedelta(minutes=minutes),
        score=score,
        context=context,
    ).reading


def local_input(moment):
    """A datetime-local input's value, in clinic time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")


# A lidocaine block under fluoroscopy, contrast-confirmed, no sedation or steroid: the
# procedure fields of both the admin's and the bedside's injection forms.
PROCEDURE = {
    "purpose": "diagnostic",
    "guidance": "fluoroscopy",
    "contrast": "yes",
    "sedation": "none",
    "anaesthetic_agent": "lidocaine",
    "anaesthetic_concentration": "2",
    "anaesthetic_volume_ml": "2",
    "steroid_agent": "none",
    "steroid_dose_mg": "",
    "notes": "",
}


def injection_post(patient, proceduralist, performed_at, readings=(), **overrides):
    """An admin add/change POST body; readings are dicts of inline fields."""
    body = {
        "patient": patient.pk,
        "performed_at": local_input(performed_at),
        "side": "left",
        "proceduralist": proceduralist.pk,
        **PROCEDURE,
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
        **PROCEDURE,
        "anaesthetic_volume_ml": "1.5",
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
