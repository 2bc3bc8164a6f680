"""At most EXPORTS_PER_WORKER bulk downloads (exports, PDF zips) stream at once in one
server process.

A full export keeps a gunicorn thread and most of a core busy for minutes. Eight at once took
every thread of both workers, and /health/ and the bedside pages waited behind them. With a
bound per process, a further export is refused at once with a page that says to try again
(status 429), rather than queued: a queued request would hold a thread just the same. Each
worker keeps the rest of its threads for the quick pages.
"""

import threading
from collections.abc import Iterable, Iterator

from django.conf import settings

_lock = threading.Lock()
# The slot each thread holds: a server thread streams one response at a time, so when it
# takes a new slot, its last download has ended (even one whose close() never came).
_holders: dict[int, "Slot"] = {}


class Slot:
    """A place to stream one download; release() gives it back (again: no effect)."""

    def __init__(self, thread: int):
        self.thread = thread

    def release(self) -> None:
        with _lock:
            if _holders.get(self.thread) is self:
                del _holders[self.thread]

    def holding(self, chunks: Iterable[bytes]) -> "HeldWhileStreaming":
        """`chunks`, giving the slot back when they end, fail or are closed."""
        return HeldWhileStreaming(chunks, self)


def take() -> Slot | None:
    """A slot, or None while EXPORTS_PER_WORKER downloads are streaming (0: no bound)."""
    limit = settings.EXPORTS_PER_WORKER
    thread = threading.get_ident()
    with _lock:
        _holders.pop(thread, None)
        if limit and len(_holders) >= limit:
            return None
        slot = _holders[thread] = Slot(thread)
    return slot


def running() -> int:
    """Downloads streaming in this process now."""
    return len(_holders)


class HeldWhileStreaming:
    """An iterator over the chunks that releases the slot on the last chunk, on an error and
    on close() (the server closes the response when the client goes away); a generator
    closed before it started would not run its `finally`."""

    def __init__(self, chunks: Iterable[bytes], slot: Slot):
        self.chunks: Iterator[bytes] = iter(chunks)
        self.slot = slot

    def __iter__(self) -> "HeldWhileStreaming":
        return self

    def __next__(self) -> bytes:
        try:
            return next(self.chunks)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        self.slot.release()
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()
