"""Notices to residents about their application, written to the outbox: email, and 알림톡 or
a text message when the resident reads those (``notifications.policy.channels_for``)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.services import queue_notice


def _change_request_links(application, change) -> list[tuple[str, str]]:
    """(label, absolute URL) of each part a change request points at."""
    links = []
    for step, label in change.step_labels:
        path = reverse("grants:group") if step == "group" else reverse(f"grants:apply_{step}", args=[application.pk])
        links.append((str(label), f"{settings.PORTAL_BASE_URL}{path}"))
    return links


def status_changed(*, application, change) -> None:
    """Tell the group's representative that the application moved: a receipt (접수증) on
    submission, an action-needed email on a change request, the decision (with the awarded
    amount) otherwise."""
    from grants import selectors, workflow

    user = application.group.representative
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        title = application.title or application.group.name
        context = {
            "application": application,
            "change": change,
            "user": user,
            "portal_url": settings.PORTAL_BASE_URL,
            "support": settings.SUPPORT_CONTACT,
            "detail_url": f"{settings.PORTAL_BASE_URL}{reverse('grants:application_detail', args=[application.pk])}",
        }
        if change.to_status == workflow.SUBMITTED:
            kind = "receipt"
            receipt = selectors.submission_receipt(application, change)
            context["receipt"] = receipt
            subject = (
                _("We received your resubmitted application (receipt %(number)s): %(title)s")
                if receipt.resubmission
                else _("We received your application (receipt %(number)s): %(title)s")
            ) % {"number": receipt.number, "title": title}
        elif change.to_status == workflow.CHANGES_REQUESTED:
            kind = "changes_requested"
            context["change_links"] = _change_request_links(application, change)
            context["review_url"] = f"{settings.PORTAL_BASE_URL}{reverse('grants:apply_review', args=[application.pk])}"
            subject = _("Action needed: the district asks for changes to your application: %(title)s") % {
                "title": title
            }
        else:
            kind = "decision"
            if change.to_status == workflow.APPROVED and application.awarded_amount is not None:
                context["award"] = selectors.award_facts(application)
            subject = _("Your application has a new status: %(title)s") % {"title": title}
        status = str(change.resident_label)
    queue_notice(
        user=user,
        kind=f"application_{'decision' if kind == 'changes_requested' else kind}",
        dedup_key=f"status:{change.pk}",
        subject=subject,
        template="grants/email/status_changed",
        context=context,
        text_variables={"status": status},
        link=reverse("grants:application_detail", args=[application.pk]),
        related=application,
    )


def decision_released(*, application) -> None:
    """Email the decision now that it is released (its latest status change into the
    current status); the outbox key is the change's, so it goes out once."""
    change = application.status_changes.filter(to_status=application.status).order_by("-at", "-id").first()
    if change is not None:
        status_changed(application=application, change=change)
