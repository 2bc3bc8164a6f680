"""Rendered HTML kept in Django's cache for the current data version.

Pages that many people open many times a minute (the board, an injection's page) spend most
of their time on queries and templates whose result only changes when someone writes or the
clock passes a minute (statuses and countdowns). So the rendered fragment is kept in the
cache (`CACHES`: each process's memory, or one Redis that every app server shares) under the
data version (models/version.py: every write to patients, injections, readings, sign-offs and
amendments moves it on), until the moment the caller gives. Nothing that is per request
(CSRF tokens, messages) goes into a kept fragment.
"""

import hashlib
import json
import logging
import math
from collections.abc import Callable, Hashable, Iterable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache as page_cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.context import make_context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from redis.exceptions import RedisError

from ..models import DataVersion

# What a fragment is kept under: its page's name and what it depends on.
Key = tuple[Hashable, ...]
# What a page keeps: its HTML, or the HTML with what goes beside it.
Fragment = TypeVar("Fragment")

logger = logging.getLogger(__name__)

# Settings that cannot change what a page shows, or that must not be hashed at all.
NOT_SHOWN = ("SECRET", "PASSWORD", "TOKEN", "CACHES", "LOGGING")


@cache
def code_digest() -> str:
    """This code and its templates, read once per process."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder, pattern in (("assessments", "*.py"), ("templates", "*.html"), ("clinic", "*.py")):
        for path in sorted((base / folder).rglob(pattern)):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def release() -> str:
    """What, besides the data, decides a kept page: this code and templates, the settings,
    and which database it shows. App servers running the same release on the same database
    share their entries; a new release (or an old one still serving during a rolling
    upgrade) never reads another's HTML, even from a Redis that outlived both."""
    shown = {
        name: getattr(settings, name)
        for name in dir(settings)
        if name.isupper() and not any(word in name for word in NOT_SHOWN)
    }
    database = settings.DATABASES["default"]
    shown["DATABASES"] = [database.get(part) for part in ("ENGINE", "NAME", "HOST", "PORT")]
    text = code_digest() + json.dumps(shown, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@receiver(setting_changed)
def settings_moved(**kwargs: Any) -> None:
    release.cache_clear()


def next_minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def data_version(request: HttpRequest | None = None) -> int:
    """The data version; read once per `request` when one is given (a page of several kept
    parts asks for each)."""
    if request is None:
        return DataVersion.current()
    if not hasattr(request, "kept_data_version"):
        request.kept_data_version = DataVersion.current()  # type: ignore[attr-defined]
    version: int = request.kept_data_version  # type: ignore[attr-defined]
    return version


def kept(
    key: Key,
    now: datetime,
    render: Callable[[], tuple[Fragment, datetime]],
    request: HttpRequest | None = None,
) -> Fragment:
    """The fragment for `key` at the current data version; `render()` returns (fragment,
    until) when it has to be made. A fragment is any picklable value (HTML, or a tuple of
    parts). The cache's own expiry is only a bound: `until` is checked against `now`, so a
    page turns the very moment a window closes."""
    name = ":".join(str(part) for part in ("page", release(), data_version(request), *key))
    try:
        found = page_cache.get(name)
    except RedisError:
        logger.warning("The page cache did not answer; the page is made afresh.", exc_info=True)
        found = None
    if found is not None and found[1] > now:
        kept_fragment: Fragment = found[0]
        return kept_fragment
    fragment, until = render()
    try:
        page_cache.set(name, (fragment, until), math.ceil((until - now).total_seconds()) or 1)
    except RedisError:
        logger.warning("The page cache did not answer; the page is not kept.", exc_info=True)
    return fragment


def render_blocks(
    template_name: str, names: Iterable[str], context: dict[str, Any], request: HttpRequest
) -> tuple[str, ...]:
    """The named top-level `{% block %}`s of a template, each rendered on its own (in order)
    in one request context: the parts of a page that are kept, between which the page puts
    what is made per request."""
    template = get_template(template_name).template  # type: ignore[attr-defined]
    blocks = {node.name: node for node in template.nodelist.get_nodes_by_type(BlockNode)}
    made = make_context(context, request)
    with made.render_context.push_state(template), made.bind_template(template):
        return tuple(blocks[name].render(made) for name in names)
