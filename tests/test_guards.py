"""The database guards (assessments/triggers.py), on SQLite and PostgreSQL alike.

Each test goes round the services on purpose: the ORM's bulk update, a raw delete, an
insert with the wrong version. The guards must refuse every one of them.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from assessments import signing, triggers
from assessments.models import (
    Amendment,
    Injection,
    PainReading,
    Patient,
    ReportAccess,
    SignedReport,
    SignOff,
)


def refused(match="signed and locked"):
    """The statement inside fails with the guard's message; the test's transaction survives."""

    class Refused:
        def __enter__(self):
            self.raises = pytest.raises(IntegrityError, match=match)
            self.raises.__enter__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def __exit__(self, *exc):
            self.atomic.__exit__(*exc)
            return self.raises.__exit__(*exc)

    return Refused()


def test_every_guard_is_installed(db):
    expected = {
        triggers.trigger_name(guard)
        for guard in triggers.guards(triggers.concrete_columns(Injection))
    }
    assert len(expected) == 15 + 2 * len(triggers.APPEND_ONLY_TABLES)
    assert expected <= triggers.installed_names(connection)


def other_value(field, injection, make_user, make_patient):
    """A valid value different from the injection's own, for any concrete field."""
    value = getattr(injection, field.attname)
    if field.is_relation:
        other = make_patient() if field.related_model is Patient else make_user()
        return other.pk
    if field.choices:
        return next(choice for choice, _ in field.choices if choice != value)
    if isinstance(field, models.DateTimeField):
        return (value or timezone.now()) - timedelta(hours=1)
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.DecimalField):
        return (value or Decimal("1")) + Decimal("1")
    if isinstance(field, models.IntegerField):
        return (value or 0) + 1
    if isinstance(field, models.TextField | models.CharField):
        return f"{value}changed"
    raise AssertionError(f"no other value for {field.name}: add one here")


def lockable_fields():
    return [
        field
        for field in Injection._meta.concrete_fields
        if field.column not in triggers.UNLOCK_MAY_CHANGE | triggers.FOLLOW_UP_COLUMNS
    ]


@pytest.mark.parametrize("field", lockable_fields(), ids=lambda field: field.name)
def test_database_refuses_changing_any_column_of_a_signed_injection(
    field, signed, make_user, make_patient
):
    new = other_value(field, signed, make_user, make_patient)
    # A new id also leaves the row without its sign-off: either guard may speak first.
    with refused("signed and locked|latest sign-off"):
        Injection.objects.filter(pk=signed.pk).update(**{field.attname: new})


def test_a_lock_cannot_be_lifted_without_an_amendment(signed):
    """Finding 3: clear the lock, change the record, put the lock back — refused at step one."""
    locked_at = signed.locked_at
    with refused("only an amendment"):
        Injection.objects.filter(pk=signed.pk).update(locked_at=None)
    with refused("signed and locked|only an amendment"):
        Injection.objects.filter(pk=signed.pk).update(locked_at=None, notes="edited")
    assert Injection.objects.get(pk=signed.pk).locked_at == locked_at
    assert signed.history.count() == Injection.history.filter(id=signed.pk).count()


def test_an_amendment_unlocks_and_the_next_sign_off_locks_again(signed, clinician):
    signing.open_amendment(signed.pk, clinician, "Side was recorded wrongly.")
    Injection.objects.filter(pk=signed.pk).update(side="right")
    signing.sign_off(signed.pk, clinician)
    signed.refresh_from_db()
    assert (signed.side, signed.is_locked) == ("right", True)
    assert list(signed.signoffs.values_list("version", flat=True)) == [1, 2]


def test_only_a_new_sign_off_locks(make_injection, signed, clinician):
    draft = make_injection([(-5, 8), (25, 2)])
    with refused("locked only by a new sign-off"):
        Injection.objects.filter(pk=draft.pk).update(locked_at=timezone.now())
    signing.open_amendment(signed.pk, clinician, "Reopened.")
    # Reopened: the old sign-off has an amendment, so it cannot lock the record again.
    with refused("locked only by a new sign-off"):
        Injection.objects.filter(pk=signed.pk).update(locked_at=timezone.now())


def test_an_injection_is_never_created_locked(make_patient, make_user):
    with refused("locked only by a new sign-off"):
        Injection.objects.create(
            patient=make_patient(),
            performed_at=timezone.now(),
            side="left",
            proceduralist=make_user(),
            guidance="fluoroscopy",
            anaesthetic_agent="lidocaine",
            anaesthetic_concentration=Decimal("2"),
            anaesthetic_volume_ml=Decimal("2"),
            locked_at=timezone.now(),
        )


@pytest.mark.parametrize(
    "change",
    [
        lambda i: PainReading.objects.create(injection=i, recorded_at=i.performed_at, score=1),
        lambda i: PainReading.objects.filter(injection=i).update(score=0),
        lambda i: PainReading.objects.filter(injection=i).delete(),
        lambda i: Injection.objects.filter(pk=i.pk)._raw_delete("default"),
    ],
    ids=["insert reading", "update reading", "delete reading", "delete injection"],
)
def test_database_refuses_any_change_to_a_signed_injections_readings(signed, change):
    # The fixture's readings (a baseline and a 25-minute reading) are the signed block.
    with refused("signed"):
        change(signed)


@pytest.mark.parametrize(
    "change",
    [
        lambda i: SignOff.objects.filter(injection=i).update(signed_outcome="negative"),
        lambda i: SignOff.objects.filter(injection=i).update(signed_by=i.proceduralist),
        lambda i: SignOff.objects.filter(injection=i)._raw_delete("default"),
        lambda i: SignedReport.objects.filter(signoff__injection=i).update(sha256="0" * 64),
        lambda i: SignedReport.objects.filter(signoff__injection=i)._raw_delete("default"),
        lambda i: SignOff.history.filter(injection_id=i.pk).update(signed_outcome="negative"),
        lambda i: Injection.history.filter(id=i.pk)._raw_delete("default"),
        lambda i: PainReading.history.filter(injection_id=i.pk).update(score=0),
    ],
    ids=[
        "sign-off outcome",
        "sign-off signer",
        "delete sign-off",
        "archived hash",
        "delete archive",
        "sign-off history",
        "injection history",
        "reading history",
    ],
)
def test_sign_offs_archives_and_history_are_append_only(signed, change):
    with refused("append-only"):
        change(signed)


def test_amendments_and_the_access_log_are_append_only(signed, clinician):
    amendment = signing.open_amendment(signed.pk, clinician, "Reopened for the notes.")
    ReportAccess.objects.create(injection=signed, actor="someone", kind="view")
    with refused("append-only"):
        Amendment.objects.filter(pk=amendment.pk).update(reason="Nothing happened.")
    with refused("append-only"):
        Amendment.objects.filter(pk=amendment.pk)._raw_delete("default")
    with refused("append-only"):
        ReportAccess.objects.all()._raw_delete("default")
    with refused("append-only"):
        ReportAccess.objects.update(actor="nobody")
    assert ReportAccess.objects.get().actor == "someone"


def test_an_amendment_only_reopens_the_latest_sign_off_of_a_locked_injection(
    make_injection, signed, clinician
):
    draft = make_injection([(-5, 8), (25, 2)])
    with refused("reopens the latest sign-off"):
        Amendment.objects.create(
            injection=draft, amends_version=1, reason="Not signed.", opened_by=clinician
        )
    with refused("reopens the latest sign-off"):
        Amendment.objects.create(
            injection=signed, amends_version=7, reason="Wrong version.", opened_by=clinician
        )


def test_a_sign_off_is_the_next_version_of_an_unlocked_injection(signed, clinician):
    fields = {
        "injection": signed,
        "signed_by": clinician,
        "computed_outcome": "positive",
        "signed_outcome": "positive",
        "threshold": 75,
        "inclusive": False,
        "at_threshold": False,
        "inputs": {},
    }
    with refused("next version of an unlocked injection"):
        SignOff.objects.create(version=2, **fields)
    signing.open_amendment(signed.pk, clinician, "Reopened.")
    with refused("next version of an unlocked injection"):
        SignOff.objects.create(version=5, **fields)


def test_a_missing_guard_fails_the_database_check_until_reinstalled(db):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER IF EXISTS assessments_guard_signoff_update"
            + (" ON assessments_signoff" if connection.vendor == "postgresql" else "")
        )
    with pytest.raises(SystemCheckError, match="assessments_guard_signoff_update"):
        call_command("check", databases=["default"])
    call_command("install_guards", stdout=None)
    call_command("check", databases=["default"])


def test_a_database_part_way_through_version_one_is_refused_with_the_way_out(db):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db.migrations.recorder import MigrationRecorder

    call_command("check", databases=["default"])  # Fully migrated: nothing to say.
    # As if version 1 had been migrated up to 0004 only (rolled back with the test).
    recorded = MigrationRecorder(connection).migration_qs.filter(app="assessments")
    recorded.exclude(name__in=["0001_initial", "0002_audit_trail_signoff"]).delete()
    with pytest.raises(SystemCheckError, match="assessments.E002") as refused:
        call_command("check", databases=["default"])
    assert "git checkout 8e1aa56" in str(refused.value)
    assert "E001" not in str(refused.value)
