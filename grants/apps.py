from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        from django.db.models.signals import post_migrate

        from grants import receivers, reminders, roles, signals

        reminders.register_all()
        signals.decision_released.connect(
            receivers.publish_funded_group_description, dispatch_uid="grants_publish_funded_group_description"
        )
        post_migrate.connect(roles.ensure_reviewer_group, sender=self, dispatch_uid="grants_reviewer_group")
