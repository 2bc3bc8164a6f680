"""Admin pages beyond the stock ones: sign-off, amendment and the audit trail."""

import logging
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from . import signing
from .access import AuthenticatedHttpRequest
from .access_log import record_report_access
from .audit import audit_trail
from .forms import AmendmentForm, add_service_errors
from .models import Injection, ReportAccess, SignedReport
from .views.signoff import posted_sign_off, signoff_facts

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

log = logging.getLogger(__name__)


def admin_context(request: HttpRequest, injection: Injection, title: str) -> dict[str, Any]:
    from django.contrib import admin

    return {
        **admin.site.each_context(request),
        "opts": Injection._meta,
        "original": injection,
        "title": title,
    }


def sign_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("assessments.sign_injection"):
        raise PermissionDenied
    injection = get_object_or_404(Injection.objects.for_record(), pk=pk)
    facts = signoff_facts(injection, timezone.now())
    form, signoff = posted_sign_off(request, injection, facts)
    if signoff is not None:
        return redirect("admin:assessments_injection_change", pk)
    context = admin_context(request, injection, f"Sign off {injection}")
    context.update(facts, form=form)
    return TemplateResponse(request, "admin/assessments/injection/sign_off.html", context)


def amend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("assessments.amend_injection"):
        raise PermissionDenied
    injection = get_object_or_404(Injection, pk=pk)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signing.open_amendment(pk, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Amendment opened: make the change, then sign off again.")
            return redirect("admin:assessments_injection_change", pk)
    context = admin_context(request, injection, f"Amend {injection}")
    context["form"] = form
    return TemplateResponse(request, "admin/assessments/injection/amend.html", context)


def audit_trail_page(
    request: HttpRequest, model_admin: "ModelAdmin[Injection]", object_id: str
) -> HttpResponse:
    injection = get_object_or_404(Injection, pk=object_id)
    if not model_admin.has_view_or_change_permission(request, injection):
        raise PermissionDenied
    context = admin_context(request, injection, f"Audit trail of {injection}")
    context["entries"] = audit_trail(injection.pk)
    return TemplateResponse(request, "admin/assessments/injection/audit_trail.html", context)


def archived_report(request: AuthenticatedHttpRequest, pk: int, version: int) -> HttpResponse:
    """The exact PDF archived when this version was signed, after checking its SHA-256."""
    if not request.user.has_perm("assessments.view_signedreport"):
        raise PermissionDenied
    archived = get_object_or_404(
        SignedReport.objects.select_related("signoff__injection"),
        signoff__injection_id=pk,
        signoff__version=version,
    )
    try:
        content = signing.verified_archive(archived)
    except signing.ArchiveMismatch as mismatch:
        log.error("archived PDF of injection %s v%s refused: %s", pk, version, mismatch)
        context = admin_context(request, archived.signoff.injection, "Archived PDF refused")
        context.update(version=version, reason=str(mismatch))
        return TemplateResponse(
            request, "admin/assessments/injection/archive_refused.html", context, status=409
        )
    record_report_access([pk], ReportAccess.Kind.ARCHIVE, user=request.user)
    filename = archived.file.name.rsplit("/", 1)[-1]
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
