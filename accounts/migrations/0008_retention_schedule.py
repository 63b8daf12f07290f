"""The daily retention job, as a beat schedule staff can see in the admin (Periodic tasks), at
03:30 Seoul time. Reversing removes only what this migration created."""

from django.db import migrations

TASK_NAME = "Retention: destroy or anonymise personal data past its period"
TASK = "accounts.tasks.apply_retention"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Seoul"
    )
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": nightly,
            "enabled": True,
            "description": "Applies every retention rule (Accounts → Retention rules) and writes a destruction "
            "record for each rule that destroyed or anonymised anything. Safe to run twice.",
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_privacy_policy_retention_requests_consent"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
