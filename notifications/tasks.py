"""Celery tasks: thin wrappers that take ids and call ``notifications.sending`` / ``sweep``.

No task retries itself: the database row is the source of truth, and the sweep retries
failed rows with backoff and re-queues rows whose worker died.
"""

from celery import shared_task

from notifications import sending
from notifications.sweep import sweep


@shared_task(acks_late=True)
def send_email(email_id: int) -> str:
    """Claim the row (ready → sending must change exactly one row), then send it."""
    return sending.send_one(email_id)


@shared_task(acks_late=True)
def send_batch(email_ids: list[int]) -> dict:
    """Claim a chunk of rows (any channels) and send them, one connection per channel."""
    return sending.send_many(email_ids)


@shared_task(acks_late=True)
def sweep_outbox() -> dict:
    """The beat task (schedule in the admin under Periodic tasks): see ``notifications.sweep``."""
    result = sweep()
    return {
        "requeued_stuck": result.requeued_stuck,
        "retried_failed": result.retried_failed,
        "created": result.created,
        "enqueued": result.enqueued,
        "errors": result.errors,
        "reports": result.reports,
    }
