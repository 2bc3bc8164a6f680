from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired or forged form: the site's own page, saying nothing was saved."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
