"""What is the same for every visitor, built once and kept in Redis until it changes.

Public pages (the home page's round list, ``/networks/``, a round's results) show the same
thing to everyone. Building them costs aggregate queries and template rendering over every
group; serving them from Redis costs one ``GET``. The rule:

- A page caches *fragments* (rendered HTML of the part that is the same for everyone), never
  the whole response: the page around it carries the visitor's CSRF token, language switch and
  login state.
- Every key carries one *public version*. Saving or deleting any watched model bumps it, so the
  next request rebuilds; nothing ever has to know which keys to delete. The watched models are
  registered by each app in its ``AppConfig.ready()`` (``watch(Model, ...)``), the way the
  reminder registry works, so ``portal`` imports no domain app.
- Keys also expire (``TIMEOUT``), which bounds what only the clock changes ("next forum").
- Redis is a convenience here, not a dependency: when it cannot be reached the fragment is built
  and served as if nothing was cached.
"""

import logging

from django.core.cache import caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation
from django.utils.safestring import mark_safe

log = logging.getLogger(__name__)

CACHE_ALIAS = "default"
VERSION_KEY = "public:version"
TIMEOUT = 60
_watched: set[type] = set()


def _cache():
    return caches[CACHE_ALIAS]


def version() -> int:
    """The current public version (1 when Redis has none yet)."""
    current = _cache().get(VERSION_KEY)
    if current is None:
        _cache().add(VERSION_KEY, 1, timeout=None)
        current = _cache().get(VERSION_KEY, 1)
    return current


def bump() -> None:
    """Forget every cached public fragment (by moving to a new version)."""
    try:
        try:
            _cache().incr(VERSION_KEY)
        except ValueError:  # no version yet: the next read starts one
            _cache().add(VERSION_KEY, 2, timeout=None)
    except Exception:  # Redis down: nothing cached can be served either
        log.warning("public cache: could not bump the version", exc_info=True)


def fragment(name: str, build, *, timeout: int = TIMEOUT) -> str:
    """The HTML of fragment ``name`` in the active language, built by ``build()`` when absent."""
    try:
        key = f"public:{version()}:{translation.get_language()}:{name}"
        html = _cache().get(key)
    except Exception:
        log.warning("public cache: Redis unavailable, building %s", name, exc_info=True)
        return mark_safe(build())
    if html is None:
        html = build()
        try:
            _cache().set(key, html, timeout=timeout)
        except Exception:
            log.warning("public cache: could not store %s", name, exc_info=True)
    return mark_safe(html)  # noqa: S308 - our own rendered template, escaped when it was built


def _changed(sender, **kwargs):
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login", "updated_at"}:
        return  # a login or a touch changes nothing the public sees
    bump()


def watch(*models) -> None:
    """Bump the public version whenever one of ``models`` is saved or deleted (or its
    many-to-many relations change). Call from ``AppConfig.ready()``."""
    for model in models:
        if model in _watched:
            continue
        _watched.add(model)
        uid = f"public_cache:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _changed, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}", weak=False
            )
