"""The grid's cache: every rule's summary for a set of streets and a period, kept for a few minutes under a key
made of the streets, the period, the day and a version per street that every write to a street's rows bumps.
A write through `.update()` or `bulk_create` sends no signal: the entry then expires within CACHE_SECONDS."""

import contextlib
import contextvars
import hashlib
import logging
import time
import uuid

from django.core.cache import cache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300
HELD_ENTRIES = 8  # per process (`_held`): a 504-street grid in brief is ~1 MiB of strings
_held: dict[str, tuple[float, object]] = {}  # entry key -> (expiry time, value)
_ALL = "compliance:version"  # bumped by invalidate_all(): every street at once (tests, operators)
# Rows written with every write, or by the notices' sweep, that no rule reads.
UNRELATED = {"committee.auditentry", "notices.notice", "notices.reminder", "documents.document"}
# Inside `bumps_deferred()`: the streets whose rows changed, bumped once when the block ends.
_deferred: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("compliance_deferred", default=None)


def _street_key(street_id: int) -> str:
    return f"compliance:street:{street_id}"


def key(street_ids: list[int], period: str) -> str:
    """The entry's key: the period (with the day of judgement) and the current version of each street."""
    keys = [_ALL, *(_street_key(pk) for pk in street_ids)]
    versions = cache.get_many(keys)  # one round trip however many streets
    missing = {k: uuid.uuid4().hex for k in keys if k not in versions}
    if missing:
        cache.set_many(missing, timeout=None)
        versions |= missing
    digest = hashlib.sha256(
        "|".join([period, *map(str, street_ids), *(versions[k] for k in keys)]).encode()
    ).hexdigest()
    return f"compliance:grid:{digest}"


def get_or_compute(street_ids: list[int], period: str, compute):
    """The entry of these streets and period, computed when missing. Each process also keeps the last few entries
    it read, unpickled: the key names every street's version, so a held entry is the one the cache would give,
    until it expires when the cache's copy does (the time is stored with it). Callers read the value, never
    change it."""
    entry = key(street_ids, period)
    held = _held.get(entry)
    if held is not None and held[0] > time.time():
        return held[1]
    held = cache.get(entry)
    if held is None:
        held = (time.time() + CACHE_SECONDS, compute())
        cache.set(entry, held, timeout=CACHE_SECONDS)
    _held[entry] = held
    while len(_held) > HELD_ENTRIES:
        _held.pop(next(iter(_held)), None)  # the oldest
    return held[1]


def streets_changed(street_ids) -> None:
    cache.set_many({_street_key(pk): uuid.uuid4().hex for pk in street_ids}, timeout=None)


def invalidate_all() -> None:
    cache.set(_ALL, uuid.uuid4().hex, timeout=None)


@contextlib.contextmanager
def bumps_deferred():
    """Bump each changed street's version once when the block ends instead of at every row (`seed_demo` writes
    thousands of rows: with the quick start's file cache every bump is a file written)."""
    if _deferred.get() is not None:  # nested: the outer block bumps
        yield
        return
    token = _deferred.set(set())
    try:
        yield
    finally:
        street_ids = _deferred.get()
        _deferred.reset(token)
        if street_ids:
            streets_changed(sorted(street_ids))


def row_changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete: a street's row changed. Bumped at once, not on commit (a test's transaction never
    commits, and callers count their on-commit callbacks): another request that recomputes the grid between this
    save and the commit keeps the old figures for at most CACHE_SECONDS."""
    street_id = getattr(instance, "street_id", None)
    if street_id is None or sender._meta.label_lower in UNRELATED:
        return
    if (deferred := _deferred.get()) is not None:
        deferred.add(street_id)
        return
    try:
        streets_changed([street_id])
    except Exception:  # the cache server is down: the write goes on, the grid expires within CACHE_SECONDS
        logger.warning("could not bump the compliance grid's version of street %s", street_id, exc_info=True)
