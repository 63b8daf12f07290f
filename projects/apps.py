from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Funded projects")

    def ready(self):
        from grants.signals import decision_released
        from projects import receivers, reminders

        reminders.register_all()
        decision_released.connect(receivers.open_project_on_release, dispatch_uid="projects_open_on_release")
        from projects import report_reminders

        report_reminders.register_all()
