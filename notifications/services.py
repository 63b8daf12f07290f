"""Writing to the outbox. Rows are created inside the caller's transaction; sending is
enqueued only after that transaction commits, so a rollback leaves no email behind."""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from notifications import conf
from notifications.models import Email, EmailPreference
from notifications.reminders import is_essential
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
) -> Email | None:
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
            email = Email.objects.create(**fields)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: enqueue_send(email.pk))
    return email


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
    """Put failed rows back to ``ready`` (a conditional update) and send them after commit."""
    ids = list(Email.objects.filter(pk__in=email_ids, status=Email.Status.FAILED).values_list("pk", flat=True))
    changed = Email.objects.filter(pk__in=ids, status=Email.Status.FAILED).update(status=Email.Status.READY)
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
