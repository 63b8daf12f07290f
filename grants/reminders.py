"""Reminder kinds about applications, registered from ``GrantsConfig.ready()``.

Each round's schedule is data staff edit in the admin: ``draft_reminder_days``,
``changes_reminder_after_days`` and ``review_waiting_days`` on ``GrantRound``.
"""

import datetime
import math

from django.contrib.auth import get_user_model
from django.db.models import Max, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from grants import workflow
from grants.models import Application, Attachment, GrantRound
from notifications.reminders import ReminderDue, ReminderKind, is_digest_hour, local, register

DAY = datetime.timedelta(days=1)
WAITING_FOR_REVIEW = [workflow.SUBMITTED, workflow.SCREENING, workflow.IN_REVIEW]
# A day's grace after submission before nagging about documents (uploads often follow the form).
DOCUMENTS_GRACE = DAY


def collect_draft_deadlines(now):
    """Drafts of open rounds closing within their largest ``draft_reminder_days``.

    Only the most urgent step is due (``D-1`` when one day is left), so a sweep that was down
    for days sends one reminder, not three. Two queries in all.
    """
    rounds = [r for r in GrantRound.objects.filter(closes_at__gt=now, opens_at__lte=now) if r.draft_reminder_days]
    rounds = [r for r in rounds if r.closes_at - now <= max(r.draft_reminder_days) * DAY]
    if not rounds:
        return
    by_round = {r.pk: r for r in rounds}
    drafts = Application.objects.filter(round__in=rounds, status=workflow.DRAFT).select_related("group__representative")
    for application in drafts:
        grant_round = by_round[application.round_id]
        left = grant_round.closes_at - now
        step = min(d for d in grant_round.draft_reminder_days if left <= d * DAY)
        days_left = max(1, math.ceil(left / DAY))  # what the resident reads: 2.5 days left is "3 days"
        yield ReminderDue(
            user=application.group.representative,
            dedup_key=f"deadline:D-{step}:application:{application.pk}",
            subject=_("Your application is not submitted yet: %(days)s day(s) until the deadline"),
            subject_params={"days": days_left},
            template="grants/email/draft_deadline",
            context={"application": application, "round": grant_round, "days": days_left},
            related=application,
        )


def collect_missing_documents(now):
    """Submitted applications still missing required documents, one day after submission.

    One reminder per submission (a resubmission is a new occasion). Two queries in all.
    """
    applications = (
        Application.objects.filter(
            status__in=[workflow.SUBMITTED, workflow.SCREENING], submitted_at__lte=now - DOCUMENTS_GRACE
        )
        .missing_documents()
        .select_related("group__representative", "round")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.only("id", "application_id", "kind")))
    )
    for application in applications:
        missing = application.missing_document_labels()
        yield ReminderDue(
            user=application.group.representative,
            dedup_key=f"documents-missing:application:{application.pk}:submitted:{application.submitted_at:%Y%m%d%H%M%S}",
            subject=_("Documents are missing from your application: %(title)s"),
            subject_params={"title": application.title or application.group.name},
            template="grants/email/documents_missing",
            context={"application": application, "missing": missing},
            related=application,
        )


def collect_changes_requested(now):
    """Applications sent back for changes and not resubmitted after the round's N days. One query."""
    applications = (
        Application.objects.filter(status=workflow.CHANGES_REQUESTED)
        .select_related("group__representative", "round")
        .annotate(
            requested_at=Max("status_changes__at", filter=Q(status_changes__to_status=workflow.CHANGES_REQUESTED)),
            request_id=Max("status_changes__id", filter=Q(status_changes__to_status=workflow.CHANGES_REQUESTED)),
        )
    )
    for application in applications:
        after = application.round.changes_reminder_after_days
        if application.requested_at is None or application.requested_at > now - after * DAY:
            continue
        yield ReminderDue(
            user=application.group.representative,
            dedup_key=f"changes-requested:D+{after}:application:{application.pk}:change:{application.request_id}",
            subject=_("The district is waiting for your changes: %(title)s"),
            subject_params={"title": application.title or application.group.name},
            template="grants/email/changes_requested",
            context={"application": application, "round": application.round, "days": after},
            related=application,
        )


def collect_staff_review_digest(now):
    """One daily email per active staff user listing applications waiting for review longer
    than their round's ``review_waiting_days``. Nothing waiting, no email. Two queries."""
    if not is_digest_hour(now):
        return
    applications = (
        Application.objects.filter(status__in=WAITING_FOR_REVIEW)
        .select_related("group", "round")
        .annotate(waiting_since=Max("status_changes__at"))
        .order_by("submitted_at", "pk")
    )
    waiting = []
    for application in applications:
        since = application.waiting_since or application.submitted_at
        if since is not None and since <= now - application.round.review_waiting_days * DAY:
            application.waiting_days = (now - since).days
            waiting.append(application)
    if not waiting:
        return
    today = local(now).date()
    for user in get_user_model().objects.filter(is_staff=True, is_active=True).order_by("pk"):
        yield ReminderDue(
            user=user,
            dedup_key=f"digest:review-waiting:{today:%Y-%m-%d}:user:{user.pk}",
            subject=_("%(count)s application(s) waiting for review"),
            subject_params={"count": len(waiting)},
            template="grants/email/staff_review_digest",
            context={"applications": waiting, "date": today},
        )


DRAFT_DEADLINE = ReminderKind(
    name="draft_deadline",
    label=_("Deadline reminders for unsubmitted applications"),
    essential=True,
    collect=collect_draft_deadlines,
)
DOCUMENTS_MISSING = ReminderKind(
    name="documents_missing",
    label=_("Reminders about missing documents"),
    essential=False,
    collect=collect_missing_documents,
)
CHANGES_REQUESTED = ReminderKind(
    name="changes_requested",
    label=_("Reminders about changes the district asked for"),
    essential=True,
    collect=collect_changes_requested,
)
STAFF_REVIEW_DIGEST = ReminderKind(
    name="staff_review_digest",
    label=_("Daily digest of applications waiting for review"),
    essential=False,
    collect=collect_staff_review_digest,
)


def register_all() -> None:
    for kind in (DRAFT_DEADLINE, DOCUMENTS_MISSING, CHANGES_REQUESTED, STAFF_REVIEW_DIGEST):
        register(kind)
