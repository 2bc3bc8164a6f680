"""Sign-off, amendment and the signed-report archive: writes that span several models."""

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import display, rules
from .coverage_facts import work_up_in_use
from .models import Amendment, Injection, PainReading, SignedReport, SignOff, primary_profile
from .models.limits import change_reason
from .models.result import window_open
from .rules.profiles import rule_options
from .services import evaluation_fields

log = logging.getLogger(__name__)


def evaluation_inputs(injection: Injection, readings: list[rules.ReadingRow]) -> dict[str, Any]:
    return {
        "performed_at": injection.performed_at.isoformat(),
        "readings": [[str(minutes), *rest] for minutes, *rest in readings],
    }


@transaction.atomic
def sign_off(
    injection_id: int, user: Any, *, outcome: str | None = None, reason: str = ""
) -> SignOff:
    """Sign the interpretation: confirm the computed outcome, or override it with a reason.

    The sign-off keeps the profile (CODE@version), the rule's options and every input, so
    SignOff.reproduce() gives the signed result whatever the settings become.
    """
    if not user.has_perm("assessments.sign_injection"):
        raise PermissionDenied("Only a clinician can sign off an injection.")
    injection = Injection.objects.select_for_update().get(pk=injection_id)
    injection.ensure_editable()
    if window_open(injection.performed_at, timezone.now()):
        raise ValidationError(
            f"The {display.window_label()} window is open until "
            f"{display.clock(injection.window_closes_at)}: sign off after it closes."
        )
    readings = list(PainReading.objects.live().filter(injection_id=injection_id))
    # The stored evaluation is brought up to today's rule first (it may predate a settings
    # change not yet recomputed): the lists, exports and statistics then agree with the
    # sign-off's computed outcome for as long as the lock holds.
    fields = evaluation_fields(injection, readings)
    # The work-up the checklists read is pinned, and so locked with the block (triggers.py).
    fields["work_up"] = work_up_in_use(injection)
    Injection.objects.filter(pk=injection_id).update(**fields)
    profile = primary_profile()
    options = rule_options(
        profile,
        confounders=injection.confounders(readings),
        confounder_policy=settings.SI_CONFOUNDER_POLICY,
    )
    rule_readings = injection.rule_readings(readings)
    evaluation = rules.evaluate_readings(rule_readings, **options)
    computed = evaluation.outcome.value
    signed = outcome or computed
    reason = reason.strip()
    if signed not in rules.FINAL_OUTCOMES:
        raise ValidationError({"outcome": f"Choose a signed outcome, not {signed!r}."})
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
        profile=profile.key,
        rule_options=options,
        threshold=evaluation.threshold,
        inclusive=evaluation.inclusive,
        percent_reduction=(
            None
            if evaluation.percent_reduction is None
            else rules.round_percent(evaluation.percent_reduction)
        ),
        at_threshold=evaluation.at_threshold,
        inputs=evaluation_inputs(injection, rule_readings),
        locks_through=injection.window_closes_at,
        follow_up_until=injection.follow_up_ends_at,
    )
    injection.locked_at = timezone.now()
    injection.signed_outcome = signed
    injection._change_reason = f"Signed off (version {signoff.version})"
    injection.save(update_fields=["locked_at", "signed_outcome", "updated_at"])
    archive_signed_report(signoff)
    log.info(
        "injection %s signed off, version %s, by user %s", injection.pk, signoff.version, user.pk
    )
    return signoff


@transaction.atomic
def open_amendment(injection_id: int, user: Any, reason: str) -> Amendment:
    """Unlock a signed injection for a change; the reason becomes an addendum."""
    if not user.has_perm("assessments.amend_injection"):
        raise PermissionDenied("Only a clinician can amend a signed injection.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the amendment."})
    injection = Injection.objects.select_for_update().get(pk=injection_id)
    if not injection.is_locked:
        raise ValidationError("This injection is not signed: change it directly.")
    version = injection.signoffs.aggregate(last=Max("version"))["last"]
    amendment = Amendment.objects.create(
        injection=injection, amends_version=version, reason=reason, opened_by=user
    )
    injection.locked_at = None
    injection.signed_outcome = None
    injection._change_reason = change_reason(f"Amendment opened: {reason}")
    injection.save(update_fields=["locked_at", "signed_outcome", "updated_at"])
    log.info("injection %s amendment opened by user %s", injection.pk, user.pk)
    return amendment


class ArchiveMismatch(Exception):
    """The archived PDF is missing or differs from the SHA-256 stored when it was signed."""


def verified_archive(report: SignedReport) -> bytes:
    """The archived PDF's bytes, checked against its stored SHA-256 and size."""
    try:
        with report.file.open("rb") as handle:
            content: bytes = handle.read()
    except OSError as error:
        raise ArchiveMismatch(f"the archived file cannot be read ({error.strerror})") from None
    digest = hashlib.sha256(content).hexdigest()
    if digest != report.sha256 or len(content) != report.size:
        raise ArchiveMismatch(
            f"the file's SHA-256 is {digest} ({len(content)} bytes), but {report.sha256} "
            f"({report.size} bytes) was recorded when it was signed"
        )
    return content


def archive_signed_report(signoff: SignOff) -> SignedReport:
    """Render the signed PDF once and store it with its SHA-256; never overwritten."""
    from .reports import render_report

    pdf = render_report(signoff.injection, invariant=True)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"injection-{signoff.injection_id}-v{signoff.version}-{digest[:12]}.pdf"
    report = SignedReport(signoff=signoff, sha256=digest, size=len(pdf))
    report.file.save(name, ContentFile(pdf), save=False)
    report.save()
    return report
