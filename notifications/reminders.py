"""The reminder registry. ``notifications`` knows no domain app: each app describes its
reminder kinds in ``<app>/reminders.py`` and registers them from its ``AppConfig.ready()``.

A kind's ``collect(now)`` yields a ``ReminderDue`` for every email that should exist at
``now``. Collecting twice (two sweeps at once, a sweep run again) is harmless: the outbox keeps
one row per ``dedup_key``, so the key must name the occasion, e.g. ``deadline:D-3:application:42``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class ReminderDue:
    """One email that is due: to whom, under which key, rendered from which templates.

    ``subject`` is a lazy translation (``gettext_lazy``) that is %-formatted with
    ``subject_params`` in the recipient's language; ``template`` names a pair of templates,
    ``<template>.txt`` and ``<template>.html``, rendered with ``context`` plus the common
    context (user, portal_url, support, unsubscribe_url).
    """

    user: Any
    dedup_key: str
    subject: Any
    template: str
    context: dict = field(default_factory=dict)
    subject_params: dict = field(default_factory=dict)
    related: models.Model | None = None


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder. ``essential`` ones (deadlines, decisions) cannot be switched off."""

    name: str
    label: Any
    essential: bool
    collect: Callable[[datetime.datetime], Iterable[ReminderDue]]


registry: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    if kind.name in registry and registry[kind.name] is not kind:
        raise ValueError(f"Reminder kind {kind.name!r} is already registered")
    registry[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    registry.pop(name, None)


def is_essential(kind_name: str) -> bool:
    """Emails of unregistered kinds (receipts, decisions) are essential: no opt-out."""
    kind = registry.get(kind_name)
    return kind is None or kind.essential


# --- Helpers for the kinds -------------------------------------------------------------

# Digests wait for the morning: nobody should get a "weekly summary" at 00:05.
DIGEST_EARLIEST_HOUR = 8


def local(now: datetime.datetime) -> datetime.datetime:
    """``now`` in the district's time zone (the programme's days are Seoul days)."""
    return now.astimezone(ZoneInfo(settings.TIME_ZONE))


def is_digest_hour(now: datetime.datetime) -> bool:
    return local(now).hour >= DIGEST_EARLIEST_HOUR
