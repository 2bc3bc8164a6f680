"""The readable audit trail of one injection: its own history, its readings', its sign-offs'."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db.models import Field

from . import display

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from .models import (
    Amendment,
    DiaryLink,
    FollowUpCall,
    Injection,
    PainReading,
    Patient,
    SignOff,
)

# A django-simple-history row (the package ships no types): the model's fields and history_*.
HistoricalRow = Any
# Whom and which patient an id names: (model, id) → the row.
People: TypeAlias = "dict[tuple[type[User] | type[Patient], Any], User | Patient]"

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
SKIPPED_FIELDS = {"updated_at", "created_at", "inputs", "nonce", "rule_options"}


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    who: str
    record: str
    action: str
    changes: tuple[tuple[str, str, str], ...]
    reason: str

    @property
    def at_local(self) -> str:
        return display.date_time(self.at, seconds=True)


def shown_value(record: HistoricalRow, field_name: str, users: People) -> str:
    field = record._meta.get_field(field_name)
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "—"
    if field.is_relation:
        found = users.get((field.related_model, value))
        if found is None:
            return f"#{value}"
        return f"MRN {found.mrn}" if isinstance(found, Patient) else display.person(found)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return display.date_time(value)
    return str(value)


def tracked(record: HistoricalRow) -> "list[Field[Any, Any]]":
    return [
        field
        for field in record.tracked_fields
        if field.name not in SKIPPED_FIELDS and field.name != "id"
    ]


def entries_for(
    history: Iterable[HistoricalRow], label: Callable[[HistoricalRow], str], users: People
) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    previous_of: dict[int, HistoricalRow] = {}
    for record in history:
        # Rows come oldest first, so the previous version is the last one seen for the id.
        previous = previous_of.get(record.id)
        previous_of[record.id] = record
        if record.history_type == "~" and previous is not None:
            # Compared by hand: simple-history's diff skips non-editable fields such as
            # the lock, which the trail must show.
            changes = tuple(
                (
                    str(field.verbose_name),
                    shown_value(previous, field.name, users),
                    shown_value(record, field.name, users),
                )
                for field in tracked(record)
                if getattr(previous, field.attname) != getattr(record, field.attname)
            )
        elif record.history_type in "+-":
            # Created: what it was made with. Deleted: what was lost (old values).
            shown = [
                (str(field.verbose_name), shown_value(record, field.name, users))
                for field in tracked(record)
                if getattr(record, field.attname) not in (None, "")
            ]
            changes = tuple(
                (name, "", value) if record.history_type == "+" else (name, value, "")
                for name, value in shown
            )
        else:
            changes = ()
        reason = record.history_change_reason or ""
        if not changes and not reason:
            continue  # A save that changed nothing the trail shows (a derived column).
        user = users.get((get_user_model(), record.history_user_id))
        if isinstance(user, AbstractUser):
            who = display.person(user)
        elif getattr(record, "source", "") == "patient":
            who = "Patient (diary link)"
        else:
            who = "system"
        entries.append(
            AuditEntry(
                at=record.history_date,
                who=who,
                record=label(record),
                action=ACTIONS[record.history_type],
                changes=changes,
                reason=reason,
            )
        )
    return entries


def audit_trail(injection_id: int) -> list[AuditEntry]:
    """Every recorded change to the injection and what hangs off it, oldest first."""
    histories = [
        (Injection.history.filter(id=injection_id), lambda r: f"Injection #{r.id}"),
        (
            PainReading.history.filter(injection_id=injection_id),
            lambda r: f"Reading #{r.id}",
        ),
        (SignOff.history.filter(injection_id=injection_id), lambda r: f"Sign-off v{r.version}"),
        (Amendment.history.filter(injection_id=injection_id), lambda r: f"Amendment #{r.id}"),
        (DiaryLink.history.filter(injection_id=injection_id), lambda r: f"Diary link #{r.id}"),
        (
            FollowUpCall.history.filter(injection_id=injection_id),
            lambda r: f"Follow-up call #{r.id}",
        ),
    ]
    records = [(list(history.order_by("history_date")), label) for history, label in histories]
    user_fields = (
        "history_user_id",
        "proceduralist_id",
        "entered_by_id",
        "signed_by_id",
        "opened_by_id",
        "created_by_id",
        "revoked_by_id",
        "called_by_id",
    )
    user_ids = {
        getattr(r, name)
        for rows, _ in records
        for r in rows
        for name in user_fields
        if getattr(r, name, None)
    }
    patient_ids = {r.patient_id for rows, _ in records for r in rows if hasattr(r, "patient_id")}
    # Whom and which patient an id names: (model, id) → the row.
    users = {
        (model, pk): row
        for model, ids in ((get_user_model(), user_ids), (Patient, patient_ids))
        for pk, row in model.objects.in_bulk(ids).items()
    }
    entries = [entry for rows, label in records for entry in entries_for(rows, label, users)]
    return sorted(entries, key=lambda entry: entry.at)
