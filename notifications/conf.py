"""Outbox tunables. Each reads ``settings.NOTIFICATIONS_<NAME>`` (or the environment variable of
the same name) at call time, so tests can shorten them with the ``settings`` fixture."""

import datetime
import os

from django.conf import settings

DEFAULTS = {
    # A row claimed longer ago than this belongs to a dead worker. It must exceed the task hard
    # time limit (CELERY_TASK_TIME_LIMIT): a live worker is killed by Celery before it is that old,
    # so a re-queued row can never still be on its way out through a live worker.
    "SENDING_TIMEOUT_SECONDS": 600,
    # A ``ready`` row older than this lost its enqueue (Redis was down); younger ones are in flight.
    "READY_GRACE_SECONDS": 120,
    # Failed rows are retried by the sweep with backoff (2, 4, 8, 16 … minutes) up to this many attempts.
    "MAX_ATTEMPTS": 5,
    "RETRY_BASE_SECONDS": 60,
    # Rows per ``send_batch`` task: one claim query per chunk, one SMTP / provider connection per channel.
    "BATCH_SIZE": 50,
    # A text's delivery result is asked for this long after the provider accepted it.
    "REPORT_AFTER_SECONDS": 60,
}


def get(name: str) -> int:
    value = getattr(settings, f"NOTIFICATIONS_{name}", None)
    if value is None:
        value = os.environ.get(f"NOTIFICATIONS_{name}", DEFAULTS[name])
    return int(value)


def sending_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=get("SENDING_TIMEOUT_SECONDS"))


def ready_grace() -> datetime.timedelta:
    return datetime.timedelta(seconds=get("READY_GRACE_SECONDS"))


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long a row that failed ``attempts`` times waits before the sweep retries it."""
    return datetime.timedelta(seconds=get("RETRY_BASE_SECONDS") * 2 ** max(attempts, 1))
