"""Idle logout without writing the session on every request.

A saved session expires SESSION_COOKIE_AGE (the idle limit) after its last save. Saving it
on every request costs an UPDATE and a synced COMMIT each time, so activity renews it at most
once every SESSION_ACTIVITY_WRITE_SECONDS: an idle session ends between the idle limit less
that interval and the idle limit after the last request, never later.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

LAST_WRITE_KEY = "_activity_written_at"


class ActivityRenewsSessionMiddleware:
    """List it after SessionMiddleware, so its save sees what this marks as modified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None:
            self.renew_if_due(session)
        return response

    @staticmethod
    def renew_if_due(session: SessionBase) -> None:
        written_at = session.get(LAST_WRITE_KEY)
        # Read first: loading drops the key of an expired session. No key (anonymous, logged
        # out, expired): nothing to renew, and no session to create.
        if session.session_key is None:
            return
        now = timezone.now().timestamp()
        due = written_at is None or now - written_at > settings.SESSION_ACTIVITY_WRITE_SECONDS
        if due or session.modified:
            session[LAST_WRITE_KEY] = now
