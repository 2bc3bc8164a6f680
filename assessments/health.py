"""Tiny endpoints for monitoring and the load benchmark's ceiling. No patient data."""

import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .access import AuthenticatedHttpRequest

log = logging.getLogger(__name__)


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Anonymous: is this app server up and can it reach its database?"""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        log.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
@login_required
def whoami(request: AuthenticatedHttpRequest) -> JsonResponse:
    return JsonResponse(
        {"username": request.user.get_username(), "verified": request.user.is_verified()}
    )
