"""The beat schedule for the outbox sweep, as data staff can see and edit in the admin
(Periodic tasks). Reversing removes only what this migration created."""

from django.db import migrations

TASK_NAME = "Email outbox sweep: reminders, retries, stuck emails"
TASK = "notifications.tasks.sweep_outbox"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "interval": every_five_minutes,
            "enabled": True,
            "description": "Creates due reminders, re-queues emails stuck in sending, retries failed emails "
            "and enqueues emails left ready (for example while Redis was down). Safe to run twice at once.",
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_preferences_and_outbox_constraints"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
