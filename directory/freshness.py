"""Cached reads of the public site that are never stale after a write.

Every write to the public data (the directory and the publications: admin, import,
commands, history restore, fixtures) adds to ``DataVersion.number`` in the same
transaction. Cached values are stored under keys that carry that number, so a write
makes every earlier entry unreachable at the moment it commits, on every app server
sharing the database, whichever cache backend (Redis, or one process's memory) holds
the entries. Old entries simply expire.

Model writes bump the number through signals (``connect_signals``); set-based writes
that send no signals (``QuerySet.update``, ``bulk_create``, raw deletes) call
``bump()`` themselves.

The row also holds the time of the last write (``changed_at``, Python's clock at the
write, in the same UPDATE): the data's last change, the ``Last-Modified`` of the
downloads (``rightsnet.conditional``). ``state()`` reads both in the one query.

The number grows by a random step, not by one: a write that is rolled back after a
read in its own transaction cached something under its number, and a later
committed write must never reach that entry by coming to the same number.

A request reads the number once, on its first cached read (``request_started``
opens the memo, ``request_finished`` closes it); a write in the request forgets it.
Outside a request (commands, shells, tests) every read asks the database.
"""

import datetime
import hashlib
import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

T = TypeVar("T")

# Apps whose rows the public site shows.
PUBLIC_APPS = ("directory", "publications")
# How long an entry may live after it stopped being reachable (a write made it stale).
TIMEOUT = 60 * 60
# Largest step of one write: some two thousand million writes fit in the column.
MAX_STEP = 2**32

# The version read in this request: None outside a request, {} until first read.
_memo: ContextVar[dict | None] = ContextVar("freshness_memo", default=None)
# Tells a cached None from no entry.
_MISSING = object()


def _model():
    return apps.get_model("directory", "DataVersion")


class Version(NamedTuple):
    """The data version's row: its number and when it last grew (None: not known)."""

    number: int
    changed_at: datetime.datetime | None


def _read() -> Version:
    model = _model()
    rows = list(model.objects.filter(pk=1).values_list("number", "changed_at"))
    return Version(*rows[0]) if rows else Version(0, None)


def state() -> Version:
    """The data version and its time now (one query of one row, once per request)."""
    memo = _memo.get()
    if memo is None:
        return _read()
    if "version" not in memo:
        memo["version"] = _read()
    return memo["version"]


def current() -> int:
    """The data version's number now (``state()``'s read)."""
    return state().number


def last_change() -> datetime.datetime | None:
    """When the public data last changed (``state()``'s read).

    Every write since migration 0020 stamps its time; the row's earlier writes got the
    migration's own time, which is no earlier than them. None only without the row (a
    database that has had no write at all).
    """
    return state().changed_at


def bump() -> None:
    """Count a write; call it inside the writing transaction."""
    step = 1 + secrets.randbelow(MAX_STEP)
    now = timezone.now()
    model = _model()
    if not model.objects.filter(pk=1).update(number=F("number") + step, changed_at=now):
        model.objects.get_or_create(pk=1, defaults={"number": step, "changed_at": now})
    memo = _memo.get()
    if memo is not None:
        memo.pop("version", None)


@contextmanager
def snapshot() -> Iterator[None]:
    """Read the version at most once inside the block (until a write), as a request does."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _open_memo(**kwargs) -> None:
    _memo.set({})


def _close_memo(**kwargs) -> None:
    _memo.set(None)


def cached(key: str, build: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """``build()``'s value for ``key`` as of the current data version (built on a miss).

    ``key`` is the same for every reader that would build the same value: it names
    everything the value depends on besides the data (the language of a sort, the
    filters of a list). ``None`` is a value like any other.
    """
    versioned = f"{key}:v{current()}"
    value = cache.get(versioned, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(versioned, value, timeout)
    return value


def params_key(params: dict[str, list[str]], names) -> str:
    """A short cache key for the values of ``names`` in cleaned query ``params``.

    The same filters give the same key whatever the order of their values.
    """
    chosen = {name: sorted(params.get(name, [])) for name in names}
    text = json.dumps(chosen, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _on_write(sender, action: str = "post", **kwargs) -> None:
    # m2m_changed sends pre_* and post_* actions; one bump per change is enough.
    if action.startswith("post"):
        bump()


def _counts(model) -> bool:
    return (
        model._meta.app_label in PUBLIC_APPS
        and model is not _model()
        # Import files waiting for confirmation, the public's pending submissions and
        # the log of messages to organizations are never shown to the public.
        and model._meta.model_name not in ("stagedimport", "submission", "contactmessage")
        # simple_history's rows are written beside the row they record.
        and not model._meta.model_name.startswith("historical")
    )


def connect_signals() -> None:
    """Bump the version on every model write of the public apps (called once, at start)."""
    request_started.connect(_open_memo, dispatch_uid="freshness:request_started")
    request_finished.connect(_close_memo, dispatch_uid="freshness:request_finished")
    for model in apps.get_models(include_auto_created=True):
        if not _counts(model):
            continue
        uid = f"freshness:{model._meta.label_lower}"
        post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _on_write, sender=through, dispatch_uid=f"{uid}:{field.name}", weak=False
            )
