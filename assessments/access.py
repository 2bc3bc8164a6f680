"""Who may use the bedside pages. One decorator, used by every view.

Signed-in active staff only; anonymous users go to the login page, signed-in users without
the right get 403 (not a login loop). Reading a page needs `read` permissions; a POST also
needs `write` permissions, so an auditor can look but not record.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

VIEW_INJECTIONS = ("assessments.view_injection",)


def staff_required(view=None, *, read=VIEW_INJECTIONS, write=()):
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            user = request.user
            needed = read + (write if request.method == "POST" else ())
            if not (user.is_active and user.is_staff and user.has_perms(needed)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
