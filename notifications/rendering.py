"""Rendering an email in its recipient's language, and the signed unsubscribe links."""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications import texts
from notifications.reminders import is_essential, registry
from portal.phones import normalise_mobile
from portal.text import one_line

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A signed, non-expiring token naming one user and one kind (links in old emails keep working)."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Return ``(user_id, kind)``; raises ``signing.BadSignature`` for a forged or damaged token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        raise signing.BadSignature("malformed unsubscribe token")
    return data["u"], data["k"]


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user_id, kind=kind)])
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def language_of(user) -> str:
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_email(
    *, user, kind: str, subject, template: str, context: dict | None = None, subject_params: dict | None = None
) -> tuple[str, str, str]:
    """Render ``(subject, text, html)`` for ``user`` in their preferred language.

    ``template`` names ``<template>.txt`` and ``<template>.html``; both usually extend
    ``notifications/email/base.txt|html``, which add the portal link, the support contact and,
    for kinds that can be switched off, the unsubscribe link.
    """
    with translation.override(language_of(user)):
        full_context = {
            "user": user,
            "portal_url": settings.PORTAL_BASE_URL.rstrip("/"),
            "support": settings.SUPPORT_CONTACT,
            "essential": is_essential(kind),
            "unsubscribe_url": "" if is_essential(kind) else unsubscribe_url(user_id=user.pk, kind=kind),
            **(context or {}),
        }
        subject_text = str(subject) % subject_params if subject_params else str(subject)
        text = render_to_string(f"{template}.txt", full_context)
        html = render_to_string(f"{template}.html", full_context)
    return one_line(subject_text, max_length=255), text, html


def text_dedup_key(dedup_key: str) -> str:
    """The key of an occasion's phone text. One per occasion whichever phone channel it takes,
    so changing one's preference between two sweeps cannot send a second text."""
    return f"{dedup_key}|text"


def fallback_dedup_key(dedup_key: str) -> str:
    return f"{dedup_key}|fallback"


def render_text(*, user, kind: str, link: str = "/", variables: dict | None = None) -> tuple[str, str, dict]:
    """``(template_code, text, variables)`` of ``kind``'s phone text for ``user``, in their language.

    The common variables: ``name`` (the person), ``url`` (the portal page the text is about,
    also the 알림톡 button) and, for kinds that can be switched off, ``stop_url``.
    """
    template = registry[kind].text
    base = settings.PORTAL_BASE_URL.rstrip("/")
    full = {
        "name": user.name or user.email,
        "url": base + link,
        **({} if is_essential(kind) else {"stop_url": unsubscribe_url(user_id=user.pk, kind=kind)}),
        **(variables or {}),
    }
    code, text = template.render(language=language_of(user), variables=full)
    return code, text, {name: str(full[name]) for name in template.variables(language_of(user))}


def text_row_fields(*, user, kind: str, channel: str, dedup_key: str, subject: str, link: str, variables: dict) -> dict:
    """The fields of the outbox row for ``kind``'s text to ``user`` by ``channel`` (알림톡 or SMS)."""
    code, text, used = render_text(user=user, kind=kind, link=link, variables=variables)
    title = subject
    while texts.euc_kr_bytes(title) > texts.LMS_SUBJECT_MAX_BYTES:
        title = title[:-1]
    return dict(
        channel=channel,
        recipient=normalise_mobile(user.phone),
        user=user,
        kind=kind,
        subject=title,
        body_text=text,
        template_code=code if channel == "alimtalk" else "",
        variables=used,
        dedup_key=text_dedup_key(dedup_key),
    )
