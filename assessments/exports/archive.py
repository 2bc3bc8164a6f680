"""A zip written as it streams: each entry's chunks go out as soon as they are deflated."""

import zipfile
from collections.abc import Iterator

from django.utils import timezone

from ..reports.bundle import Pipe


def stream_zip(entries) -> Iterator[bytes]:
    """A deflated zip of (name, chunks) entries, yielded as it is written: memory stays flat
    however long an entry is."""
    pipe = Pipe()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            with archive.open(entry, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    written = pipe.drain()
                    if written:
                        yield written
        yield pipe.drain()
    yield pipe.drain()
