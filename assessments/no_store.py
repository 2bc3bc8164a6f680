"""Pages with patient data are never stored by a browser or a proxy.

Every response to a signed-in user (the bedside pages, the admin, PDFs, exports, the
statistics) and every page of the patient's diary link says `Cache-Control: private,
no-store` unless it already says no-store (Django's never_cache), and `Pragma: no-cache`
for old proxies, so the back button on a shared clinic
computer or a phone does not bring a record back after sign-out. Static files (WhiteNoise
answers them before this) and /health/ (never cached already) keep their own headers.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

DIARY_NAMESPACE = "diary"


def holds_patient_data(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and DIARY_NAMESPACE in match.namespaces


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if holds_patient_data(request):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "private, no-store"
            response["Pragma"] = "no-cache"
        return response
