"""Notices to residents about their application, written to the outbox: email, and 알림톡 or
a text message when the resident reads those (``notifications.policy.channels_for``)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from notifications.services import queue_notice


def status_changed(*, application, change) -> None:
    """Tell the group's representative that the application moved (receipt on submission)."""
    user = application.group.representative
    kind = "receipt" if change.to_status == "submitted" else "decision"
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        status = str(change.resident_label)
    queue_notice(
        user=user,
        kind=f"application_{kind}",
        dedup_key=f"status:{change.pk}",
        subject=_("We received your application: %(title)s")
        if kind == "receipt"
        else _("Your application has a new status: %(title)s"),
        subject_params={"title": application.title},
        template="grants/email/status_changed",
        context={"application": application, "change": change},
        text_variables={"status": status},
        link=reverse("grants:application_detail", args=[application.pk]),
        related=application,
    )
