from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from .access_log import record_report_access
from .models import ReportAccess
from .report_data import gather_report, report_filename, report_queryset
from .reports import draw_report


@login_required
def injection_report(request, pk):
    """One injection's PDF report, for staff allowed to view injections."""
    user = request.user
    if not (user.is_staff and user.has_perm("assessments.view_injection")):
        raise PermissionDenied
    injection = get_object_or_404(report_queryset(), pk=pk)
    facts = gather_report(injection)
    record_report_access([injection.pk], ReportAccess.Kind.VIEW, user=user)
    response = HttpResponse(draw_report(facts), content_type="application/pdf")
    filename = report_filename(facts.mrn, facts.performed_on, facts.injection_id)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response
