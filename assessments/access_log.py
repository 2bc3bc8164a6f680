"""Who viewed or downloaded which report: written on every read of a PDF or export."""

import getpass
import logging

from .models import ReportAccess

log = logging.getLogger(__name__)


def record_report_access(injection_ids, kind, *, user=None):
    """One access-log row per injection; a command-line export names the OS user."""
    actor = user.get_username() if user is not None else f"command line ({getpass.getuser()})"
    rows = [
        ReportAccess(injection_id=injection_id, user=user, actor=actor, kind=kind)
        for injection_id in injection_ids
    ]
    ReportAccess.objects.bulk_create(rows, batch_size=1000)
    log.info("report access: %s by %s, %d injection(s)", kind, actor, len(rows))
