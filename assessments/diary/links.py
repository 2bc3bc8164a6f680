from django.conf import settings
from django.http import HttpRequest

from ..models import DiaryLink


def absolute_url(link: DiaryLink, request: HttpRequest | None = None) -> str:
    """The link as patients open it: SITE_URL if set, else the staff request's own address."""
    path = link.get_absolute_url()
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is not None:
        return request.build_absolute_uri(path)
    return "http://127.0.0.1:8000" + path
