"""The language of the patient's pages: the patient record's, not the browser's.

The browser's choice (Accept-Language) is used only where no patient is known: a link that
is not valid. Staff pages are never translated (no LocaleMiddleware).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from ..models import DiaryLink

# A view of the patient's pages: the token comes in its URL.
DiaryView = Callable[..., HttpResponse]


def browser_language(request: HttpRequest) -> str:
    language = translation.get_language_from_request(request)
    codes = [code for code, _ in settings.LANGUAGES]
    language = (language or "").split("-")[0]
    return language if language in codes else codes[0]


def token_language(request: HttpRequest, token: str) -> str:
    link = DiaryLink.from_token(token)
    if link is None:
        return browser_language(request)
    return link.injection.patient.preferred_language


def in_patient_language(view: DiaryView) -> DiaryView:
    """Render a diary view (token in its URL) in the patient's language."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(token_language(request, token)):
            response = view(request, token, *args, **kwargs)
            response.headers.setdefault("Content-Language", translation.get_language())
            return response

    return wrapper
