from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Community and networks")

    def ready(self):
        from networks import personal_data, reminders, signals  # noqa: F401 - signals connects the membership receivers

        reminders.register_all()
        personal_data.register()
