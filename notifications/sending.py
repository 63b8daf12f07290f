"""Sending outbox rows: claim, talk to SMTP or the text provider, record the outcome.

Every channel goes through the same claim and the same states; only the transport differs
(``EmailTransport`` over one SMTP connection, ``TextTransport`` over the provider of
``notifications.providers``). The gap described below for SMTP is the same for the provider:
a message it accepted just before the worker died is sent again after the sending timeout.

The guarantee, and its one honest gap
-------------------------------------
A row is claimed with a conditional update (``ready → sending``) before any SMTP traffic, so
two workers, a redelivered Celery message or two overlapping sweeps can never both send it:
only the one whose update changed the row goes on. A row is marked ``sent`` by its own UPDATE
the moment the SMTP server accepted it, before the next message of the batch is sent.

SMTP is not transactional. If a worker dies *after* the server answered ``250`` for a message
but *before* that UPDATE committed (a window of one database round trip, about a millisecond),
or the database is unreachable at that instant, the row stays ``sending``; the sweep puts it
back to ``ready`` after ``NOTIFICATIONS_SENDING_TIMEOUT_SECONDS`` and it is sent a second time.
The opposite failure, an email lost, cannot happen: a row leaves ``sending`` only as ``sent``
(after the server accepted it), ``failed`` (retried by the sweep) or ``ready`` again.
"""

import logging
import smtplib

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications import delivery
from notifications.models import Message
from notifications.providers import ProviderError, get_provider
from notifications.reminders import is_essential
from notifications.rendering import unsubscribe_url
from portal.text import one_line

logger = logging.getLogger(__name__)

DEDUP_HEADER = "X-Maeul-Dedup"
# Errors after which the server is still talking to us: the connection stays open. Any other
# OSError (smtplib's errors are OSErrors too) means it must be opened again.
SERVER_ANSWERED = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


def claim_one(email_id: int) -> bool:
    """``ready → sending`` for one row; True only for the caller whose update changed it."""
    changed = Message.objects.filter(pk=email_id, status=Message.Status.READY).update(
        status=Message.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return changed == 1


def claim_many(email_ids) -> list[Message]:
    """Claim every still-``ready`` row of ``email_ids`` (two queries) and return them by id.

    Rows locked by another claimer at this instant are skipped: they are being claimed.
    """
    with transaction.atomic():
        rows = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk__in=email_ids, status=Message.Status.READY)
            .order_by("pk")
        )
        if not rows:
            return []
        now = timezone.now()
        changed = Message.objects.filter(pk__in=[row.pk for row in rows], status=Message.Status.READY).update(
            status=Message.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        # The rows are locked by this transaction, so nobody can have moved them in between.
        assert changed == len(rows), "claimed rows changed under a row lock"
    return rows


def build_message(email: Message, connection=None) -> EmailMultiAlternatives:
    headers = {DEDUP_HEADER: email.dedup_key, "X-Maeul-Kind": email.kind}
    if email.user_id and not is_essential(email.kind):
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(user_id=email.user_id, kind=email.kind)}>"
    # one_line again: rows queued before subjects were cleaned on the way in must still send.
    message = EmailMultiAlternatives(
        one_line(email.subject), email.body_text, to=[one_line(email.recipient)], headers=headers, connection=connection
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def mark_sent(email_id: int, **result) -> None:
    # Not conditional on ``sending``: if the sweep wrongly re-queued the row, ``sent`` still
    # stops a second claim. ``result``: the provider's id and first status for texts.
    Message.objects.filter(pk=email_id).exclude(status=Message.Status.SENT).update(
        status=Message.Status.SENT, sent_at=timezone.now(), last_error="", **result
    )


def mark_failed(email_id: int, error: BaseException) -> None:
    Message.objects.filter(pk=email_id, status=Message.Status.SENDING).update(
        status=Message.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
    )


def release(email_ids) -> None:
    """Give claimed but never attempted rows back (``sending → ready``), without using an attempt."""
    if email_ids:
        Message.objects.filter(pk__in=list(email_ids), status=Message.Status.SENDING).update(
            status=Message.Status.READY, attempts=F("attempts") - 1, claimed_at=None
        )


class EmailTransport:
    """One SMTP connection for a chunk of email rows."""

    def __init__(self):
        self.connection = get_connection()

    def open(self):
        _open(self.connection)

    def send(self, email: Message) -> str:
        try:
            self.connection.send_messages([build_message(email, self.connection)])
        except SoftTimeLimitExceeded:
            raise
        except Exception as error:
            logger.warning("Email %s failed: %s", email.pk, error)
            mark_failed(email.pk, error)
            if isinstance(error, OSError) and not isinstance(error, SERVER_ANSWERED):
                self.connection.close()
                _open(self.connection)
            return "failed"
        mark_sent(email.pk)
        return "sent"

    def close(self):
        try:
            self.connection.close()
        except Exception:  # a dead connection cannot be closed politely; nothing is lost
            logger.debug("closing the SMTP connection failed", exc_info=True)


class TextTransport:
    """알림톡 and SMS/LMS rows through the configured provider (one keep-alive connection)."""

    def __init__(self):
        self.provider = get_provider()

    def open(self):
        pass

    def send(self, row: Message) -> str:
        try:
            receipt = self.provider.send(row)
        except SoftTimeLimitExceeded:
            raise
        except ProviderError as error:
            # Not known whether it went: failed, and the sweep retries it with backoff.
            logger.warning("Text %s failed: %s", row.pk, error)
            mark_failed(row.pk, error)
            return "failed"
        if receipt.accepted:
            mark_sent(
                row.pk,
                provider_message_id=receipt.message_id,
                delivery=Message.Delivery.PENDING,
                delivery_code=receipt.code,
                delivery_message=receipt.text[:255],
            )
            return "sent"
        # The provider refused this message for good (bad template, not a mobile number …).
        if row.channel == Message.Channel.ALIMTALK:
            mark_sent(
                row.pk,
                provider_message_id=receipt.message_id,
                delivery=Message.Delivery.UNDELIVERED,
                delivery_code=receipt.code,
                delivery_message=receipt.text[:255],
                delivered_at=timezone.now(),
            )
            delivery.fall_back(alimtalk_ids=[row.pk])
            return "sent"
        mark_failed(row.pk, ProviderError(f"refused {receipt.code}: {receipt.text}"))
        return "failed"

    def close(self):
        try:
            self.provider.close()
        except Exception:
            logger.debug("closing the provider connection failed", exc_info=True)


def transport_for(channel: str):
    return EmailTransport() if channel == Message.Channel.EMAIL else TextTransport()


def send_one(email_id: int) -> str:
    """Claim and send one row. Returns ``sent``, ``failed`` or ``not-ready`` (someone else has it)."""
    if not claim_one(email_id):
        return "not-ready"
    row = Message.objects.get(pk=email_id)
    if row.channel == Message.Channel.EMAIL:
        try:
            build_message(row).send()
        except Exception as error:
            logger.warning("Email %s failed: %s", email_id, error)
            mark_failed(email_id, error)
            return "failed"
        mark_sent(email_id)
        return "sent"
    transport = TextTransport()
    try:
        return transport.send(row)
    finally:
        transport.close()


def _open(connection) -> None:
    """Open the connection for the chunk; if the server is down, each send reports it on its row."""
    try:
        connection.open()
    except Exception as error:
        logger.warning("Could not open the mail connection: %s", error)


def send_many(email_ids) -> dict:
    """Claim the chunk, then send it channel by channel over one connection each, marking each
    row as it goes.

    A failed message marks only its own row ``failed`` (the sweep retries it with backoff);
    a broken SMTP connection is opened again for the rest. If the task is stopped (soft time
    limit) the rows not yet attempted go back to ``ready`` at once.
    """
    rows = claim_many(email_ids)
    counts = {"sent": 0, "failed": 0, "skipped": len(set(email_ids)) - len(rows)}
    if not rows:
        return counts
    pending = {row.pk for row in rows}
    by_channel: dict[str, list[Message]] = {}
    for row in rows:
        by_channel.setdefault(row.channel, []).append(row)
    try:
        for channel, channel_rows in by_channel.items():
            transport = transport_for(channel)
            try:
                transport.open()
                for row in channel_rows:
                    pending.discard(row.pk)
                    # A soft time limit here leaves the message in flight ``sending`` for the
                    # sweep (the documented window); the rest go back to ``ready`` below.
                    counts[transport.send(row)] += 1
            finally:
                transport.close()
    finally:
        release(pending)
    return counts
