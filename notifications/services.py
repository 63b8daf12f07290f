"""Writing to the outbox. Rows are created inside the caller's transaction; sending is
enqueued only after that transaction commits, so a rollback leaves no email behind."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from notifications.models import Email


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

    Returns the new row, or ``None`` when an email with this key already exists.
    """
    fields = dict(
        recipient=recipient,
        kind=kind,
        subject=subject,
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
        import logging

        logging.getLogger(__name__).warning("Could not enqueue email %s; the sweep will retry", email_id)
