"""Sending outbox rows: claim, talk to SMTP, record the outcome.

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

from notifications.models import Email
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
    changed = Email.objects.filter(pk=email_id, status=Email.Status.READY).update(
        status=Email.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return changed == 1


def claim_many(email_ids) -> list[Email]:
    """Claim every still-``ready`` row of ``email_ids`` (two queries) and return them by id.

    Rows locked by another claimer at this instant are skipped: they are being claimed.
    """
    with transaction.atomic():
        rows = list(
            Email.objects.select_for_update(skip_locked=True)
            .filter(pk__in=email_ids, status=Email.Status.READY)
            .order_by("pk")
        )
        if not rows:
            return []
        now = timezone.now()
        changed = Email.objects.filter(pk__in=[row.pk for row in rows], status=Email.Status.READY).update(
            status=Email.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        # The rows are locked by this transaction, so nobody can have moved them in between.
        assert changed == len(rows), "claimed rows changed under a row lock"
    return rows


def build_message(email: Email, connection=None) -> EmailMultiAlternatives:
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


def mark_sent(email_id: int) -> None:
    # Not conditional on ``sending``: if the sweep wrongly re-queued the row, ``sent`` still
    # stops a second claim.
    Email.objects.filter(pk=email_id).exclude(status=Email.Status.SENT).update(
        status=Email.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def mark_failed(email_id: int, error: BaseException) -> None:
    Email.objects.filter(pk=email_id, status=Email.Status.SENDING).update(
        status=Email.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
    )


def release(email_ids) -> None:
    """Give claimed but never attempted rows back (``sending → ready``), without using an attempt."""
    if email_ids:
        Email.objects.filter(pk__in=list(email_ids), status=Email.Status.SENDING).update(
            status=Email.Status.READY, attempts=F("attempts") - 1, claimed_at=None
        )


def send_one(email_id: int) -> str:
    """Claim and send one row. Returns ``sent``, ``failed`` or ``not-ready`` (someone else has it)."""
    if not claim_one(email_id):
        return "not-ready"
    email = Email.objects.get(pk=email_id)
    try:
        build_message(email).send()
    except Exception as error:
        logger.warning("Email %s failed: %s", email_id, error)
        mark_failed(email_id, error)
        return "failed"
    mark_sent(email_id)
    return "sent"


def _open(connection) -> None:
    """Open the connection for the chunk; if the server is down, each send reports it on its row."""
    try:
        connection.open()
    except Exception as error:
        logger.warning("Could not open the mail connection: %s", error)


def send_many(email_ids) -> dict:
    """Claim the chunk, then send it over one SMTP connection, marking each row as it goes.

    A failed message marks only its own row ``failed`` (the sweep retries it with backoff);
    a broken connection is opened again for the rest. If the task is stopped (soft time
    limit) the rows not yet attempted go back to ``ready`` at once.
    """
    rows = claim_many(email_ids)
    counts = {"sent": 0, "failed": 0, "skipped": len(set(email_ids)) - len(rows)}
    if not rows:
        return counts
    pending = {row.pk for row in rows}
    connection = get_connection()
    try:
        _open(connection)
        for email in rows:
            pending.discard(email.pk)
            try:
                connection.send_messages([build_message(email, connection)])
            except SoftTimeLimitExceeded:
                # The message in flight may or may not have been accepted: it stays ``sending``
                # for the sweep (the documented window); the rest go back to ``ready`` below.
                raise
            except Exception as error:
                logger.warning("Email %s failed: %s", email.pk, error)
                mark_failed(email.pk, error)
                counts["failed"] += 1
                if isinstance(error, OSError) and not isinstance(error, SERVER_ANSWERED):
                    connection.close()
                    _open(connection)
                continue
            mark_sent(email.pk)
            counts["sent"] += 1
    finally:
        release(pending)
        try:
            connection.close()
        except Exception:  # a dead connection cannot be closed politely; nothing is lost
            logger.debug("closing the SMTP connection failed", exc_info=True)
    return counts
