"""Who may use the bedside pages. One decorator, used by every view.

Signed-in active staff only; anonymous users go to the login page, signed-in users without
the right get 403 (not a login loop). Reading a page needs `read` permissions; a POST also
needs `write` permissions, so an auditor can look but not record.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    class VerifiedUser(User):
        """django-otp's OTPMiddleware gives every request's user is_verified()."""

        def is_verified(self) -> bool: ...


VIEW_INJECTIONS = ("assessments.view_injection",)


class AuthenticatedHttpRequest(HttpRequest):
    """A request that reached a view behind staff_required or the admin: signed in."""

    user: "VerifiedUser"


ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponseBase])


@overload
def staff_required(view: ViewT) -> ViewT: ...


@overload
def staff_required(
    view: None = None, *, read: tuple[str, ...] = ..., write: tuple[str, ...] = ...
) -> Callable[[ViewT], ViewT]: ...


def staff_required(
    view: ViewT | None = None,
    *,
    read: tuple[str, ...] = VIEW_INJECTIONS,
    write: tuple[str, ...] = (),
) -> ViewT | Callable[[ViewT], ViewT]:
    def decorate(view: ViewT) -> ViewT:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            needed = read + (write if request.method == "POST" else ())
            if not (user.is_active and user.is_staff and user.has_perms(needed)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(ViewT, wrapper)

    return decorate(view) if view is not None else decorate
