from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Outbox")

    def ready(self):
        from django.db.models.signals import post_migrate

        from notifications import personal_data, reminders
        from notifications.schedule import ensure_sweep_schedule

        checks.register(check_sending_timeout)
        reminders.register(reminders.CHANNEL_TEST)
        personal_data.register()
        post_migrate.connect(ensure_sweep_schedule, sender=self, dispatch_uid="notifications_sweep_schedule")


def check_sending_timeout(app_configs=None, **kwargs):
    """A row may only be re-queued once its worker is surely dead (see ``notifications.conf``)."""
    from django.conf import settings

    from notifications import conf

    time_limit = getattr(settings, "CELERY_TASK_TIME_LIMIT", None)
    if time_limit and conf.get("SENDING_TIMEOUT_SECONDS") <= time_limit:
        return [
            checks.Error(
                "NOTIFICATIONS_SENDING_TIMEOUT_SECONDS must exceed CELERY_TASK_TIME_LIMIT, or the sweep may "
                "re-queue an email that a live worker is still sending (a duplicate).",
                id="notifications.E001",
            )
        ]
    return []
