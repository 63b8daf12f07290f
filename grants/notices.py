"""Emails to residents about their application, written to the outbox."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import queue_email


def status_changed(*, application, change) -> None:
    """Tell the group's representative that the application moved (receipt on submission)."""
    user = application.group.representative
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "application": application,
            "change": change,
            "user": user,
            "portal_url": settings.PORTAL_BASE_URL,
            "support": settings.SUPPORT_CONTACT,
        }
        kind = "receipt" if change.to_status == "submitted" else "decision"
        subject = (
            _("We received your application: %(title)s")
            if kind == "receipt"
            else _("Your application has a new status: %(title)s")
        ) % {"title": application.title}
        queue_email(
            recipient=user.email,
            user=user,
            kind=f"application_{kind}",
            subject=subject,
            body_text=render_to_string("grants/email/status_changed.txt", context),
            body_html=render_to_string("grants/email/status_changed.html", context),
            dedup_key=f"status:{change.pk}",
            related=application,
        )


def decision_released(*, application) -> None:
    """Email the decision now that it is released (its latest status change into the
    current status); the outbox key is the change's, so it goes out once."""
    change = application.status_changes.filter(to_status=application.status).order_by("-at", "-id").first()
    if change is not None:
        status_changed(application=application, change=change)
