"""The readable audit trail of one injection: its own history, its readings', its sign-offs'."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from .models import Amendment, Injection, PainReading, SignOff

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
SKIPPED_FIELDS = {"updated_at", "created_at"}


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    who: str
    record: str
    action: str
    changes: tuple[tuple[str, str, str], ...]
    reason: str

    @property
    def at_local(self):
        return timezone.localtime(self.at).strftime("%Y-%m-%d %H:%M:%S %Z")


def display(record, field_name):
    field = record._meta.get_field(field_name)
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
    return str(value)


def entries_for(history, label, users):
    entries, previous_of = [], {}
    for record in history:
        # Rows come oldest first, so the previous version is the last one seen for the id.
        previous = previous_of.get(record.id)
        previous_of[record.id] = record
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=SKIPPED_FIELDS)
            changes = tuple(
                (
                    str(record._meta.get_field(change.field).verbose_name),
                    display(previous, change.field),
                    display(record, change.field),
                )
                for change in delta.changes
            )
        elif record.history_type == "+":
            fields = [
                f.name
                for f in record.instance_type._meta.concrete_fields
                if f.name not in SKIPPED_FIELDS and f.name != "id" and f.editable
            ]
            changes = tuple(
                (str(record._meta.get_field(name).verbose_name), "", display(record, name))
                for name in fields
            )
        else:
            changes = ()
        user = users.get(record.history_user_id)
        entries.append(
            AuditEntry(
                at=record.history_date,
                who=user.get_username() if user else "system",
                record=label(record),
                action=ACTIONS[record.history_type],
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries


def audit_trail(injection_id):
    """Every recorded change to the injection and what hangs off it, oldest first."""
    from django.contrib.auth import get_user_model

    histories = [
        (Injection.history.filter(id=injection_id), lambda r: f"Injection #{r.id}"),
        (
            PainReading.history.filter(injection_id=injection_id),
            lambda r: f"Reading #{r.id}",
        ),
        (SignOff.history.filter(injection_id=injection_id), lambda r: f"Sign-off v{r.version}"),
        (Amendment.history.filter(injection_id=injection_id), lambda r: f"Amendment #{r.id}"),
    ]
    records = [(list(history.order_by("history_date")), label) for history, label in histories]
    user_ids = {r.history_user_id for rows, _ in records for r in rows if r.history_user_id}
    users = get_user_model().objects.in_bulk(user_ids)
    entries = [entry for rows, label in records for entry in entries_for(rows, label, users)]
    return sorted(entries, key=lambda entry: entry.at)
