"""The outbox sweep's beat schedule, ensured after every ``migrate`` (and every test flush).

A ``post_migrate`` handler rather than only the data migration ``0003_sweep_schedule``: a flush
(as transactional tests do) empties the table, and the portal must never run without its sweep.
The row is only created when missing, so staff's changes in the admin (interval, enabled) stay.
"""

TASK_NAME = "Email outbox sweep: reminders, retries, stuck emails"
TASK = "notifications.tasks.sweep_outbox"
DESCRIPTION = (
    "Creates due reminders, re-queues emails stuck in sending, retries failed emails "
    "and enqueues emails left ready (for example while Redis was down). Safe to run twice at once."
)


def ensure_sweep_schedule(sender=None, using="default", **kwargs) -> None:
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    if PeriodicTask.objects.using(using).filter(task=TASK).exists():
        return
    every_five_minutes, _ = IntervalSchedule.objects.using(using).get_or_create(every=5, period="minutes")
    PeriodicTask.objects.using(using).get_or_create(
        name=TASK_NAME,
        defaults={"task": TASK, "interval": every_five_minutes, "enabled": True, "description": DESCRIPTION},
    )
