"""Sign-off, amendment and the signed-report archive: writes that span several models."""

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import rules
from .models import Amendment, Injection, PainReading, SignedReport, SignOff

log = logging.getLogger(__name__)

LOCKED_MESSAGE = (
    "This injection is signed and locked. Open an amendment, with a reason, to change it."
)


def ensure_editable(injection):
    """Refuse a change to a signed injection with a message people can act on."""
    if injection.locked_at is not None:
        raise ValidationError(LOCKED_MESSAGE, code="locked")


def evaluation_inputs(injection, readings):
    return {
        "performed_at": injection.performed_at.isoformat(),
        "readings": [
            [str(injection.minutes_after(reading.recorded_at)), reading.score]
            for reading in readings
        ],
    }


@transaction.atomic
def sign_off(injection_id, user, *, outcome=None, reason=""):
    """Sign the interpretation: confirm the computed outcome, or override it with a reason."""
    if not user.has_perm("assessments.sign_injection"):
        raise PermissionDenied("Only a clinician can sign off an injection.")
    injection = Injection.objects.select_for_update().get(pk=injection_id)
    ensure_editable(injection)
    readings = list(PainReading.objects.filter(injection_id=injection_id).order_by("recorded_at"))
    evaluation = injection.evaluate(readings)
    computed = evaluation.outcome.value
    signed = outcome or computed
    reason = reason.strip()
    if signed not in {choice.value for choice in rules.Outcome}:
        raise ValidationError({"outcome": f"Unknown outcome {signed!r}."})
    if signed != computed and not reason:
        raise ValidationError({"reason": "Give the reason for overriding the computed outcome."})
    last = injection.signoffs.aggregate(last=Max("version"))["last"] or 0
    signoff = SignOff.objects.create(
        injection=injection,
        version=last + 1,
        signed_by=user,
        computed_outcome=computed,
        signed_outcome=signed,
        override_reason=reason,
        threshold=evaluation.threshold,
        inclusive=evaluation.inclusive,
        percent_reduction=(
            None
            if evaluation.percent_reduction is None
            else rules.round_percent(evaluation.percent_reduction)
        ),
        at_threshold=evaluation.at_threshold,
        inputs=evaluation_inputs(injection, readings),
    )
    injection.locked_at = timezone.now()
    injection._change_reason = f"Signed off (version {signoff.version})"
    injection.save(update_fields=["locked_at", "updated_at"])
    archive_signed_report(signoff)
    log.info(
        "injection %s signed off, version %s, by user %s", injection.pk, signoff.version, user.pk
    )
    return signoff


@transaction.atomic
def open_amendment(injection_id, user, reason):
    """Unlock a signed injection for a change; the reason becomes an addendum."""
    if not user.has_perm("assessments.amend_injection"):
        raise PermissionDenied("Only a clinician can amend a signed injection.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the amendment."})
    injection = Injection.objects.select_for_update().get(pk=injection_id)
    if injection.locked_at is None:
        raise ValidationError("This injection is not signed: change it directly.")
    version = injection.signoffs.aggregate(last=Max("version"))["last"]
    amendment = Amendment.objects.create(
        injection=injection, amends_version=version, reason=reason, opened_by=user
    )
    injection.locked_at = None
    injection._change_reason = f"Amendment opened: {reason}"
    injection.save(update_fields=["locked_at", "updated_at"])
    log.info("injection %s amendment opened by user %s", injection.pk, user.pk)
    return amendment


class ArchiveMismatch(Exception):
    """The archived PDF is missing or differs from the SHA-256 stored when it was signed."""


def verified_archive(report):
    """The archived PDF's bytes, checked against its stored SHA-256 and size."""
    try:
        with report.file.open("rb") as handle:
            content = handle.read()
    except OSError as error:
        raise ArchiveMismatch(f"the archived file cannot be read ({error.strerror})") from None
    digest = hashlib.sha256(content).hexdigest()
    if digest != report.sha256 or len(content) != report.size:
        raise ArchiveMismatch(
            f"the file's SHA-256 is {digest} ({len(content)} bytes), but {report.sha256} "
            f"({report.size} bytes) was recorded when it was signed"
        )
    return content


def archive_signed_report(signoff):
    """Render the signed PDF once and store it with its SHA-256; never overwritten."""
    from .reports import render_report

    pdf = render_report(signoff.injection, invariant=True)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"injection-{signoff.injection_id}-v{signoff.version}-{digest[:12]}.pdf"
    report = SignedReport(signoff=signoff, sha256=digest, size=len(pdf))
    report.file.save(name, ContentFile(pdf), save=False)
    report.save()
    return report
