"""The messages sent to the person, for "My data", and their deletion when the person is erased
(messages not yet sent, such as the answer to the deletion request itself, still go out)."""

from django.utils.translation import gettext_lazy as _

from accounts import personal_data
from notifications.models import Email


def emails(user):
    queryset = Email.objects.filter(user=user).order_by("-created_at")[:200]
    return [
        {_("created at"): email.created_at, _("subject"): email.subject, _("status"): email.get_status_display()}
        for email in queryset
    ]


def erase(user):
    Email.objects.filter(user=user, status__in=[Email.Status.SENT, Email.Status.FAILED]).delete()


def register():
    personal_data.register_section(
        personal_data.Section("notifications.emails", _("Emails sent to you (latest 200)"), emails)
    )
    personal_data.register_eraser(erase)
