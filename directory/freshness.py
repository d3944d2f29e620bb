"""Cached reads of the public site that are never stale after a write.

Every write to the public data (the directory and the publications: admin, import,
commands, history restore, fixtures) adds one to ``DataVersion.number`` in the same
transaction. Cached values are stored under keys that carry that number, so a write
makes every earlier entry unreachable at the moment it commits, on every app server
sharing the database, whichever cache backend (Redis, or one process's memory) holds
the entries. Old entries simply expire.

Model writes bump the number through signals (``connect_signals``); set-based writes
that send no signals (``QuerySet.update``, ``bulk_create``, raw deletes) call
``bump()`` themselves.
"""

from collections.abc import Callable
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

# Apps whose rows the public site shows.
PUBLIC_APPS = ("directory", "publications")
# How long an entry may live after it stopped being reachable (a write made it stale).
TIMEOUT = 60 * 60


def _model():
    return apps.get_model("directory", "DataVersion")


def current() -> int:
    """The data version now (one query of one row)."""
    model = _model()
    numbers = list(model.objects.filter(pk=1).values_list("number", flat=True))
    return numbers[0] if numbers else 0


def bump() -> None:
    """Count a write; call it inside the writing transaction."""
    model = _model()
    if not model.objects.filter(pk=1).update(number=F("number") + 1):
        model.objects.get_or_create(pk=1, defaults={"number": 1})


def cached(key: str, build: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """``build()``'s value for ``key`` as of the current data version (built on a miss)."""
    versioned = f"{key}:v{current()}"
    value = cache.get(versioned)
    if value is None:
        value = build()
        cache.set(versioned, value, timeout)
    return value


def _on_write(sender, action: str = "post", **kwargs) -> None:
    # m2m_changed sends pre_* and post_* actions; one bump per change is enough.
    if action.startswith("post"):
        bump()


def _counts(model) -> bool:
    return (
        model._meta.app_label in PUBLIC_APPS
        and model is not _model()
        # Import files waiting for confirmation are not shown to the public.
        and model._meta.model_name != "stagedimport"
        # simple_history's rows are written beside the row they record.
        and not model._meta.model_name.startswith("historical")
    )


def connect_signals() -> None:
    """Bump the version on every model write of the public apps (called once, at start)."""
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
