"""Reminder kinds about applications, registered from ``GrantsConfig.ready()``.

Each round's schedule is data staff edit in the admin: ``draft_reminder_days``,
``changes_reminder_after_days`` and ``review_waiting_days`` on ``GrantRound``.
"""

import datetime
import math

from django.contrib.auth import get_user_model
from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.consents import optional_messages_q
from grants import workflow
from grants.models import Application, Attachment, GrantRound, StatusChange
from notifications.reminders import EMAIL_AND_TEXT, ReminderDue, ReminderKind, is_digest_hour, local, register
from notifications.texts import TextTemplate

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
            text_variables={"days": days_left},
            link=reverse("grants:application_detail", args=[application.pk]),
        )


def collect_missing_documents(now):
    """Submitted applications still missing required documents, one day after submission.

    One reminder per submission (a resubmission is a new occasion). Two queries in all.
    """
    applications = (
        Application.objects.filter(
            optional_messages_q("group__representative__"),
            status__in=[workflow.SUBMITTED, workflow.SCREENING],
            submitted_at__lte=now - DOCUMENTS_GRACE,
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
            link=reverse("grants:apply_documents", args=[application.pk]),
        )


def collect_changes_requested(now):
    """Applications sent back for changes and not resubmitted after the round's N days. One query."""
    applications = (
        Application.objects.filter(status=workflow.CHANGES_REQUESTED)
        .select_related("group__representative", "round")
        .annotate(
            requested_at=Max("status_changes__at", filter=Q(status_changes__to_status=workflow.CHANGES_REQUESTED)),
            request_id=Max("status_changes__id", filter=Q(status_changes__to_status=workflow.CHANGES_REQUESTED)),
            respond_by=Subquery(
                StatusChange.objects.filter(application=OuterRef("pk"), to_status=workflow.CHANGES_REQUESTED)
                .order_by("-at", "-id")
                .values("respond_by")[:1]
            ),
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
            context={
                "application": application,
                "round": application.round,
                "days": after,
                "respond_by": application.respond_by,
            },
            related=application,
            link=reverse("grants:application_detail", args=[application.pk]),
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


# The 알림톡 templates as registered with Kakao (through SOLAPI): code and exact text per
# language. Changing a text means registering it again under a new code.
DRAFT_DEADLINE_TEXT = TextTemplate(
    codes={"ko": "MAEUL_DEADLINE_V1_KO", "en": "MAEUL_DEADLINE_V1_EN"},
    texts={
        "ko": "[마을공동체 포털] #{name}님, 신청 마감 #{days}일 전입니다. 신청서를 제출해 주세요.\n#{url}",
        "en": "[Maeul Portal] #{name}, #{days} day(s) to the deadline. Please submit.\n#{url}",
    },
)
DOCUMENTS_MISSING_TEXT = TextTemplate(
    codes={"ko": "MAEUL_DOCUMENTS_V1_KO", "en": "MAEUL_DOCUMENTS_V1_EN"},
    texts={
        "ko": "[마을공동체 포털] #{name}님, 신청서에 빠진 서류가 있습니다.\n#{url}\n알림 끄기: #{stop_url}",
        "en": "[Maeul Portal] #{name}, documents are missing from your application.\n#{url}\nStop: #{stop_url}",
    },
)
CHANGES_REQUESTED_TEXT = TextTemplate(
    codes={"ko": "MAEUL_CHANGES_V1_KO", "en": "MAEUL_CHANGES_V1_EN"},
    texts={
        "ko": "[마을공동체 포털] #{name}님, 구청이 신청서 보완을 기다리고 있습니다.\n#{url}",
        "en": "[Maeul Portal] #{name}, the district is waiting for your changes.\n#{url}",
    },
)
RECEIPT_TEXT = TextTemplate(
    codes={"ko": "MAEUL_RECEIPT_V1_KO", "en": "MAEUL_RECEIPT_V1_EN"},
    texts={
        "ko": "[마을공동체 포털] #{name}님, 신청서를 접수했습니다.\n#{url}",
        "en": "[Maeul Portal] #{name}, we received your application.\n#{url}",
    },
)
DECISION_TEXT = TextTemplate(
    codes={"ko": "MAEUL_STATUS_V1_KO", "en": "MAEUL_STATUS_V1_EN"},
    texts={
        "ko": "[마을공동체 포털] #{name}님, 신청서 상태: #{status}\n#{url}",
        "en": "[Maeul Portal] #{name}, your application is now: #{status}\n#{url}",
    },
)

DRAFT_DEADLINE = ReminderKind(
    name="draft_deadline",
    label=_("Deadline reminders for unsubmitted applications"),
    essential=True,
    collect=collect_draft_deadlines,
    channels=EMAIL_AND_TEXT,
    text=DRAFT_DEADLINE_TEXT,
)
DOCUMENTS_MISSING = ReminderKind(
    name="documents_missing",
    label=_("Reminders about missing documents"),
    essential=False,
    collect=collect_missing_documents,
    channels=EMAIL_AND_TEXT,
    text=DOCUMENTS_MISSING_TEXT,
)
CHANGES_REQUESTED = ReminderKind(
    name="changes_requested",
    label=_("Reminders about changes the district asked for"),
    essential=True,
    collect=collect_changes_requested,
    channels=EMAIL_AND_TEXT,
    text=CHANGES_REQUESTED_TEXT,
)
# Notices queued by ``grants.notices`` when an application moves (never collected by the sweep).
APPLICATION_RECEIPT = ReminderKind(
    name="application_receipt",
    label=_("Receipt of a submitted application"),
    essential=True,
    channels=EMAIL_AND_TEXT,
    text=RECEIPT_TEXT,
)
APPLICATION_DECISION = ReminderKind(
    name="application_decision",
    label=_("Changes of an application's status and decisions"),
    essential=True,
    channels=EMAIL_AND_TEXT,
    text=DECISION_TEXT,
)
STAFF_REVIEW_DIGEST = ReminderKind(
    name="staff_review_digest",
    label=_("Daily digest of applications waiting for review"),
    essential=False,
    collect=collect_staff_review_digest,
    audience="staff",
)


def register_all() -> None:
    for kind in (
        DRAFT_DEADLINE,
        DOCUMENTS_MISSING,
        CHANGES_REQUESTED,
        STAFF_REVIEW_DIGEST,
        APPLICATION_RECEIPT,
        APPLICATION_DECISION,
    ):
        register(kind)
