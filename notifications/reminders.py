"""The kinds registry. ``notifications`` knows no domain app: each app describes its
reminder kinds (and notice kinds) in ``<app>/reminders.py`` and registers them from its
``AppConfig.ready()``.

A kind declares the channels it may use (``channels``: email always, ``alimtalk``/``sms``
when it has a phone ``text``) and whether it is ``essential``; ``notifications.policy``
decides from the recipient's preference and consent which of those each person gets.
A kind without ``collect`` is a notice kind: it is queued directly with
``notifications.services.queue_notice`` (receipts, decisions), never by the sweep.

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
    # For the phone text (when the kind has one): the values of its template's #{variables}
    # besides the common ones (``name``, ``url``, ``stop_url``), and the portal path the
    # text's link and 알림톡 button open (e.g. ``/my/applications/42/``).
    text_variables: dict = field(default_factory=dict)
    link: str = "/"


EMAIL_ONLY = ("email",)
EMAIL_AND_TEXT = ("email", "alimtalk", "sms")


@dataclass(frozen=True)
class ReminderKind:
    """A kind of reminder or notice. ``essential`` ones (deadlines, decisions, settlement)
    cannot be switched off and reach a person by their preferred channel and email.

    ``channels`` lists what the kind may use; a kind that lists ``alimtalk``/``sms`` must give
    its ``text`` (a ``notifications.texts.TextTemplate``). ``collect`` is None for notice kinds.
    """

    name: str
    label: Any
    essential: bool
    collect: Callable[[datetime.datetime], Iterable[ReminderDue]] | None = None
    channels: tuple[str, ...] = EMAIL_ONLY
    text: Any = None
    # Who receives it, for the preferences page: "everyone", "staff" or "mentors".
    audience: str = "everyone"

    def __post_init__(self):
        unknown = set(self.channels) - set(EMAIL_AND_TEXT)
        if unknown:
            raise ValueError(f"Reminder kind {self.name!r}: unknown channels {sorted(unknown)}")
        if set(self.channels) & {"alimtalk", "sms"} and self.text is None:
            raise ValueError(f"Reminder kind {self.name!r} lists a phone channel but has no text template")

    def concerns(self, user) -> bool:
        """Whether ``user`` is in this kind's audience (the preferences page lists only those)."""
        if self.audience == "staff":
            return user.is_staff
        if self.audience == "mentors":
            return bool(getattr(user, "is_mentor", False))
        return True

    @property
    def texts(self) -> bool:
        return bool(set(self.channels) & {"alimtalk", "sms"})


registry: dict[str, ReminderKind] = {}


def _channel_test_kind() -> ReminderKind:
    from django.utils.translation import gettext_lazy as _

    from notifications.texts import TextTemplate

    return ReminderKind(
        name="channel_test",
        label=_("Test message"),
        essential=True,
        channels=EMAIL_AND_TEXT,
        text=TextTemplate(
            codes={"ko": "MAEUL_TEST_V1_KO", "en": "MAEUL_TEST_V1_EN"},
            texts={
                "ko": "[마을공동체 포털] #{name}님, 시험 메시지입니다. 앞으로 알림이 이렇게 옵니다.\n#{url}",
                "en": "[Maeul Portal] #{name}, this is a test. Your notices will come like this.\n#{url}",
            },
        ),
    )


def register(kind: ReminderKind) -> ReminderKind:
    if kind.name in registry and registry[kind.name] is not kind:
        raise ValueError(f"Reminder kind {kind.name!r} is already registered")
    registry[kind.name] = kind
    return kind


CHANNEL_TEST = _channel_test_kind()  # the "send me a test message" button on the preferences page


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
