"""A zip archive written as it streams: the one home for streamed zips (the PDF bundle, the
handouts, the REDCap export). Each entry's chunks leave as soon as they are written, so
memory stays flat however large the archive."""

import zipfile
from collections.abc import Iterable, Iterator

from django.utils import timezone


class Pipe:
    """A write-only file whose bytes are collected until the next drain()."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Nothing to release (a file's interface: zipfile's type for what it writes to)."""

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


def stream_zip(
    entries: Iterable[tuple[str, Iterable[bytes]]], *, compression: int = zipfile.ZIP_DEFLATED
) -> Iterator[bytes]:
    """The bytes of a zip of (name, chunks) entries, yielded as they are written."""
    pipe = Pipe()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(pipe, "w", compression=compression) as archive:
        for name, chunks in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = compression
            entry.external_attr = 0o644 << 16
            with archive.open(entry, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    written = pipe.drain()
                    if written:
                        yield written
        yield pipe.drain()
    yield pipe.drain()
