"""Who viewed or downloaded which report: written on every read of a PDF or export."""

import getpass
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .models import ReportAccess

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)


def record_report_access(
    injection_ids: Iterable[int], kind: str, *, user: "User | None" = None
) -> None:
    """One access-log row per injection; a command-line export names the OS user."""
    actor = user.get_username() if user is not None else f"command line ({getpass.getuser()})"
    rows = [
        ReportAccess(injection_id=injection_id, user=user, actor=actor, kind=kind)
        for injection_id in injection_ids
    ]
    ReportAccess.objects.bulk_create(rows, batch_size=1000)
    log.info("report access: %s by %s, %d injection(s)", kind, actor, len(rows))
