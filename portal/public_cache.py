"""What is the same for every visitor, built once and kept in Redis until it changes.

Public pages (the home page's round list, ``/networks/``, a round's results) show the same
thing to everyone. Building them costs aggregate queries and template rendering over every
group; serving them from Redis costs one ``GET``. The rule:

- A page caches *fragments* (rendered HTML of the part that is the same for everyone), never
  the whole response: the page around it carries the visitor's CSRF token, language switch and
  login state.
- Every fragment depends on named *topics* ("networks", "rounds", …), and its key carries each
  topic's version. Saving or deleting a model watched for a topic bumps that topic's version, so
  the next request rebuilds; nothing ever has to know which keys to delete, and a resident
  saving an application (topic "results") does not empty the network cards. The watched models
  are registered by each app in its ``AppConfig.ready()`` (``watch(Model, ..., topic=...)``), the
  way the reminder registry works, so ``portal`` imports no domain app.
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
TIMEOUT = 60
_watched: set[tuple[type, str]] = set()


def _cache():
    return caches[CACHE_ALIAS]


def _version_key(topic: str) -> str:
    return f"public:version:{topic}"


def version(topic: str) -> int:
    """The current version of ``topic`` (1 when Redis has none yet)."""
    current = _cache().get(_version_key(topic))
    if current is None:
        _cache().add(_version_key(topic), 1, timeout=None)
        current = _cache().get(_version_key(topic), 1)
    return current


def bump(topic: str) -> None:
    """Forget every cached fragment that depends on ``topic`` (by moving it to a new version)."""
    try:
        try:
            _cache().incr(_version_key(topic))
        except ValueError:  # no version yet: the next read starts one
            _cache().add(_version_key(topic), 2, timeout=None)
    except Exception:  # Redis down: nothing cached can be served either
        log.warning("public cache: could not bump %s", topic, exc_info=True)


def bump_all() -> None:
    """Forget every cached fragment: after bulk writes, which send no signals."""
    for topic in sorted({topic for _model, topic in _watched}):
        bump(topic)


def fragment(name: str, build, *, topics: tuple[str, ...], timeout: int = TIMEOUT) -> str:
    """The HTML of fragment ``name`` in the active language, built by ``build()`` when absent or
    when one of ``topics`` changed since it was stored.

    ``build`` returns the HTML, or ``(html, seconds)`` to keep it no longer than ``seconds``
    (a page that changes at a known time, such as a round's closing, says when)."""
    try:
        versions = ".".join(str(version(topic)) for topic in topics)
        key = f"public:{name}:{translation.get_language()}:{versions}"
        html = _cache().get(key)
    except Exception:
        log.warning("public cache: Redis unavailable, building %s", name, exc_info=True)
        html, _seconds = _built(build, timeout)
        return mark_safe(html)  # noqa: S308 - our own rendered template
    if html is None:
        html, seconds = _built(build, timeout)
        try:
            if seconds > 0:
                _cache().set(key, html, timeout=seconds)
        except Exception:
            log.warning("public cache: could not store %s", name, exc_info=True)
    return mark_safe(html)  # noqa: S308 - our own rendered template, escaped when it was built


def _built(build, timeout: int) -> tuple[str, int]:
    built = build()
    if isinstance(built, tuple):
        html, seconds = built
        return html, max(0, min(timeout, int(seconds)))
    return built, timeout


def _bumper(topic: str):
    def changed(sender, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= {"last_login", "updated_at"}:
            return  # a login or a touch changes nothing the public sees
        bump(topic)

    return changed


def watch(*models, topic: str) -> None:
    """Bump ``topic`` whenever one of ``models`` is saved or deleted (or its many-to-many
    relations change). Call from ``AppConfig.ready()``. Bulk writes (``update()``,
    ``bulk_create``) send no signals: their callers bump the topic themselves, and ``TIMEOUT``
    bounds what is missed."""
    for model in models:
        if (model, topic) in _watched:
            continue
        _watched.add((model, topic))
        receiver = _bumper(topic)
        uid = f"public_cache:{topic}:{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + ":delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                receiver, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}", weak=False
            )
