"""Writing to the outbox. Rows are created inside the caller's transaction; sending is
enqueued only after that transaction commits, so a rollback leaves no message behind.

``queue_notice`` is how a domain app sends one notice on every channel the person gets
(``notifications.policy.channels_for``); ``queue_email`` writes one plain email row."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from notifications import conf, policy
from notifications.models import ChannelPreference, EmailPreference, Message
from notifications.reminders import is_essential, registry
from notifications.rendering import render_email, text_row_fields
from portal.text import one_line

logger = logging.getLogger(__name__)


def queue_email(
    *,
    recipient: str,
    kind: str,
    subject: str,
    body_text: str,
    dedup_key: str,
    body_html: str = "",
    user=None,
    related=None,
) -> Message | None:
    """Create an outbox row (once per ``dedup_key``) and send it after commit.

    Returns the new row, or ``None`` when an email with this key already exists. The subject
    and recipient are made one line here (``portal.text.one_line``), whoever wrote them.
    """
    fields = dict(
        recipient=one_line(recipient, max_length=254),
        kind=kind,
        subject=one_line(subject, max_length=255),
        body_text=body_text,
        body_html=body_html,
        user=user,
        dedup_key=dedup_key,
    )
    if related is not None:
        fields["related_type"] = ContentType.objects.get_for_model(related)
        fields["related_id"] = related.pk
    try:
        with transaction.atomic():
            email = Message.objects.create(**fields)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: enqueue_send(email.pk))
    return email


def queue_notice(
    *,
    user,
    kind: str,
    dedup_key: str,
    subject,
    template: str,
    context: dict | None = None,
    subject_params: dict | None = None,
    text_variables: dict | None = None,
    link: str = "/",
    related=None,
) -> list[Message]:
    """Queue one notice of the registered ``kind`` to ``user`` on every channel they get.

    The email is rendered from ``<template>.txt|html`` (as ``render_email`` does), the phone
    text from the kind's ``TextTemplate`` with ``text_variables`` (plus ``name``, ``url`` =
    the portal page at ``link``, ``stop_url``). One row per channel, once per ``dedup_key``
    (the text's key is ``<dedup_key>|text``); sent after the caller's transaction commits.
    Returns the rows created now (none when the notice was already queued).
    """
    channels = policy.channels_for(user=user, kind=registry[kind])
    if not channels:
        return []
    email_subject, text, html = render_email(
        user=user, kind=kind, subject=subject, subject_params=subject_params, template=template, context=context
    )
    created = []
    for channel in channels:
        if channel == Message.Channel.EMAIL:
            fields = dict(
                channel=channel,
                recipient=user.email,
                user=user,
                kind=kind,
                subject=email_subject,
                body_text=text,
                body_html=html,
                dedup_key=dedup_key,
            )
        else:
            fields = text_row_fields(
                user=user,
                kind=kind,
                channel=channel,
                dedup_key=dedup_key,
                subject=email_subject,
                link=link,
                variables=text_variables or {},
            )
        row = _create_once(fields, related=related)
        if row is not None:
            created.append(row)
    if created:
        ids = [row.pk for row in created]
        transaction.on_commit(lambda: enqueue_batches(ids))
    return created


def _create_once(fields: dict, *, related=None) -> Message | None:
    if related is not None:
        fields["related_type"] = ContentType.objects.get_for_model(related)
        fields["related_id"] = related.pk
    try:
        with transaction.atomic():
            return Message.objects.create(**fields)
    except IntegrityError:
        return None


def enqueue_send(email_id: int) -> None:
    """Hand the row to Celery; if Redis is down the row stays ``ready`` for the sweep."""
    from notifications.tasks import send_email

    try:
        send_email.delay(email_id)
    except Exception:  # broker unreachable: the sweep picks the row up later
        logger.warning("Could not enqueue email %s; the sweep will retry", email_id)


def enqueue_batches(email_ids: list[int]) -> int:
    """Hand rows to Celery in chunks of ``NOTIFICATIONS_BATCH_SIZE`` (one SMTP connection each).

    Returns how many rows were handed over. When Redis is down the rest stay ``ready``: the
    next sweep enqueues them again. Enqueuing a row twice is harmless (the claim lets one win).
    """
    from notifications.tasks import send_batch

    size = conf.get("BATCH_SIZE")
    handed = 0
    for start in range(0, len(email_ids), size):
        chunk = list(email_ids[start : start + size])
        try:
            send_batch.delay(chunk)
        except Exception:
            logger.warning("Could not enqueue %s emails; the sweep will retry", len(email_ids) - handed)
            break
        handed += len(chunk)
    return handed


@transaction.atomic
def resend_failed(*, email_ids) -> int:
    """Put failed rows (any channel) back to ``ready`` (a conditional update) and send them after commit."""
    ids = list(Message.objects.filter(pk__in=email_ids, status=Message.Status.FAILED).values_list("pk", flat=True))
    changed = Message.objects.filter(pk__in=ids, status=Message.Status.FAILED).update(status=Message.Status.READY)
    if ids:
        transaction.on_commit(lambda: enqueue_batches(ids))
    return changed


@transaction.atomic
def set_preference(*, user, kind: str, enabled: bool) -> EmailPreference:
    """Switch one reminder kind on or off for ``user``. Essential kinds cannot be switched off."""
    if not enabled and is_essential(kind):
        raise ValueError(f"{kind} is essential and cannot be switched off")
    preference, _ = EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": enabled})
    return preference


@transaction.atomic
def set_channel(*, user, channel: str) -> ChannelPreference:
    """Record which channel ``user`` wants besides email (``email`` alone, ``alimtalk`` or ``sms``)."""
    if channel not in Message.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    preference, _ = ChannelPreference.objects.update_or_create(user=user, defaults={"preferred": channel})
    return preference


TEST_MESSAGE_KIND = "channel_test"
TEST_MESSAGE_EVERY_SECONDS = 300


def send_test_message(*, user, now=None) -> list[Message]:
    """Send ``user`` a test notice on every channel they get (their phone channel and email).

    At most one per five minutes (the key names the five-minute window): returns ``[]`` when one
    was already sent in this window, so the button cannot be used to flood a phone.
    """
    from django.utils import timezone
    from django.utils.translation import gettext_lazy as _

    now = now or timezone.now()
    window = int(now.timestamp()) // TEST_MESSAGE_EVERY_SECONDS
    return queue_notice(
        user=user,
        kind=TEST_MESSAGE_KIND,
        dedup_key=f"channel-test:user:{user.pk}:{window}",
        subject=_("Test message from the Maeul Portal"),
        template="notifications/email/channel_test",
        link="/notifications/preferences/",
    )
