from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentors"
    verbose_name = _("Expert support team")

    def ready(self):
        from grants.access import DOCUMENT_READERS
        from mentors import access, personal_data, reminders, signals  # noqa: F401 - signals keeps last_visit_on

        reminders.register_all()
        personal_data.register()
        # The group's current mentor reads its documents (grants never names mentors).
        if access.reads_group_documents not in DOCUMENT_READERS:
            DOCUMENT_READERS.append(access.reads_group_documents)
