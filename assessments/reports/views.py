from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from ..access import AuthenticatedHttpRequest, staff_required
from ..access_log import record_report_access
from ..models import ReportAccess
from .data import gather_report, report_filename, report_queryset
from .document import draw_report


@staff_required
def injection_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One injection's PDF report, for staff allowed to view injections."""
    injection = get_object_or_404(report_queryset(), pk=pk)
    facts = gather_report(injection)
    record_report_access([injection.pk], ReportAccess.Kind.VIEW, user=request.user)
    response = HttpResponse(draw_report(facts), content_type="application/pdf")
    filename = report_filename(facts.mrn, facts.performed_on, facts.injection_id)
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    response["Cache-Control"] = "private, no-store"
    return response
