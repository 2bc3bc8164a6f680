"""What the bedside page tests share: the pages' addresses and their query budgets."""

from django.urls import reverse

BOARD_URL = reverse("assessments:board")
NEW_URL = reverse("assessments:new_injection")


# Session and user; the user's and the groups' permissions; the injections with their
# patients; their readings; then the session is saved as an UPDATE inside a savepoint pair
# (force_login leaves no activity stamp, so this first request writes one; requests within
# the next minute would not: assessments/idle_sessions.py).
PAGE_QUERIES = 9


# The board also reads the data version (views/board.py), and from its cache reads nothing
# else: session, user, the two permission queries, the version.
BOARD_QUERIES = PAGE_QUERIES + 1
CACHED_BOARD_QUERIES = 5


def quick_url(injection):
    return reverse("assessments:quick_reading", args=[injection.pk])


def week_url(injection):
    return reverse("assessments:follow_up_week", args=[injection.pk])


def detail_url(injection):
    return reverse("assessments:injection_detail", args=[injection.pk])


def field_errors(response, form_name, field):
    return response.context[form_name].errors.get(field, [])
