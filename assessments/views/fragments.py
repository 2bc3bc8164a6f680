"""Rendered HTML kept per process for the current data version.

Pages that many people open many times a minute (the board, an injection's page) spend most
of their time on queries and templates whose result only changes when someone writes or the
clock passes a minute (statuses and countdowns). So each process keeps the rendered fragment
for the data version (models/version.py: every write to patients, injections, readings,
sign-offs and amendments moves it on), until the moment the caller gives. Nothing that is per
request (CSRF tokens, messages) goes into a kept fragment.
"""

import threading
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from ..models import DataVersion

KEPT = 64  # fragments per process; the oldest goes first
# What a fragment is kept under: its page's name and what it depends on.
Key = tuple[Hashable, ...]
# What a page keeps: its HTML, or the HTML with what goes beside it.
Fragment = TypeVar("Fragment")


class FragmentCache:
    """Rendered fragments by key, each until its own moment; a small, per-process dict."""

    def __init__(self, size: int):
        self.size = size
        self.entries: dict[Key, tuple[Any, datetime]] = {}
        self.lock = threading.Lock()

    def get(self, key: Key, now: datetime) -> Any:
        found = self.entries.get(key)
        if found is None or found[1] <= now:
            return None
        return found[0]

    def put(self, key: Key, html: object, until: datetime) -> None:
        with self.lock:
            self.entries[key] = (html, until)
            while len(self.entries) > self.size:
                del self.entries[next(iter(self.entries))]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


fragments = FragmentCache(KEPT)


def next_minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def kept(key: Key, now: datetime, render: Callable[[], tuple[Fragment, datetime]]) -> Fragment:
    """The fragment for `key` at the current data version; `render()` returns (html, until)
    when it has to be made."""
    key = (DataVersion.current(), *key)
    html: Fragment | None = fragments.get(key, now)
    if html is None:
        html, until = render()
        fragments.put(key, html, until)
    return html
