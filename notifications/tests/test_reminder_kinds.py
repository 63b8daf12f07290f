"""The reminder kinds each domain app registers, run through the real sweep.

They live here, beside the machinery, because the outbox's behaviour (one row per key,
preferences, language) is what they are tested for; each kind's code is in ``<app>/reminders.py``.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from grants import workflow
from grants.models import Attachment, StatusChange
from grants.services import transition
from mentors.models import Assignment, FollowUp
from networks.models import ForumRegistration
from notifications.models import Email, EmailPreference
from notifications.reminders import local, registry
from notifications.sweep import sweep
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CoachingVisitFactory,
    ForumFactory,
    GrantRoundFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_queue")]
DAY = datetime.timedelta(days=1)


def at(hour: int) -> datetime.datetime:
    """Today at ``hour`` o'clock in Seoul."""
    return local(timezone.now()).replace(hour=hour, minute=0, second=0, microsecond=0)


def keys(kind: str) -> list[str]:
    return sorted(Email.objects.filter(kind=kind).values_list("dedup_key", flat=True))


def test_every_app_registers_its_kinds_and_only_deadlines_are_essential():
    essential = {name for name, kind in registry.items() if kind.essential}
    assert {"draft_deadline", "changes_requested"} <= essential
    optional = {"documents_missing", "staff_review_digest", "mentor_weekly_digest", "forum_tomorrow"}
    assert optional <= set(registry)
    assert not optional & essential


# --- grants --------------------------------------------------------------------------


def test_a_draft_gets_only_the_most_urgent_deadline_reminder_and_only_once(resident):
    now = at(10)
    grant_round = GrantRoundFactory(closes_at=now + 2 * DAY + datetime.timedelta(hours=12))
    draft = ApplicationFactory(group=resident.represented_groups.get(), round=grant_round)
    ApplicationFactory(round=grant_round, status=workflow.SUBMITTED)
    GrantRoundFactory(closes_at=now + 20 * DAY)  # too far away to remind anyone

    sweep(now=now, kinds=["draft_deadline"])
    sweep(now=now, kinds=["draft_deadline"])
    assert keys("draft_deadline") == [f"deadline:D-3:application:{draft.pk}"]

    sweep(now=now + 2 * DAY, kinds=["draft_deadline"])
    assert keys("draft_deadline") == [f"deadline:D-1:application:{draft.pk}", f"deadline:D-3:application:{draft.pk}"]
    email = Email.objects.filter(kind="draft_deadline").first()
    assert email.recipient == resident.email
    assert email.related == draft
    assert "/notifications/unsubscribe/" not in email.body_text


def test_staff_edit_the_draft_reminder_days_per_round(resident):
    now = at(10)
    grant_round = GrantRoundFactory(closes_at=now + 9 * DAY, draft_reminder_days=[10])
    draft = ApplicationFactory(group=resident.represented_groups.get(), round=grant_round)
    sweep(now=now, kinds=["draft_deadline"])
    assert keys("draft_deadline") == [f"deadline:D-10:application:{draft.pk}"]


def test_the_deadline_reminder_reads_in_english_for_a_resident_who_prefers_english(resident):
    resident.preferred_language = "en"
    resident.save()
    now = at(10)
    grant_round = GrantRoundFactory(closes_at=now + 12 * datetime.timedelta(hours=1))
    ApplicationFactory(group=resident.represented_groups.get(), round=grant_round, title="Alley garden")
    sweep(now=now, kinds=["draft_deadline"])
    email = Email.objects.get(kind="draft_deadline")
    assert email.subject == "Your application is not submitted yet: 1 day(s) until the deadline"
    assert "Alley garden" in email.body_text and "closes in 1 day" in email.body_text
    assert "/my/applications/" in email.body_html


def test_changes_requested_and_not_resubmitted_are_reminded_after_the_rounds_days(resident, staff):
    now = timezone.now()
    application = ApplicationFactory(group=resident.represented_groups.get())
    for status in (workflow.SUBMITTED, workflow.SCREENING, workflow.CHANGES_REQUESTED):
        transition(application=application, to_status=status, by=staff)
    request = StatusChange.objects.get(application=application, to_status=workflow.CHANGES_REQUESTED)

    StatusChange.objects.filter(pk=request.pk).update(at=now - 3 * DAY)
    sweep(now=now, kinds=["changes_requested"])
    assert keys("changes_requested") == []

    StatusChange.objects.filter(pk=request.pk).update(at=now - 6 * DAY)
    sweep(now=now, kinds=["changes_requested"])
    sweep(now=now + DAY, kinds=["changes_requested"])
    assert keys("changes_requested") == [f"changes-requested:D+5:application:{application.pk}:change:{request.pk}"]


def test_a_submitted_application_missing_documents_is_reminded_once_with_the_missing_kinds(resident, other_resident):
    resident.preferred_language = "en"
    resident.notices_consent = True  # a non-essential reminder: only with the optional consent (accounts.consents)
    resident.save()
    now = timezone.now()
    missing = ApplicationFactory(
        group=resident.represented_groups.get(), status=workflow.SUBMITTED, submitted_at=now - 2 * DAY
    )
    ApplicationFactory(status=workflow.SUBMITTED, submitted_at=now - 2 * DAY)  # missing too, but no consent
    complete = ApplicationFactory(
        group=other_resident.represented_groups.get(), status=workflow.SUBMITTED, submitted_at=now - 2 * DAY
    )
    for kind in Attachment.REQUIRED_KINDS:
        Attachment.objects.create(
            application=complete, kind=kind, file=f"attachments/{kind}", original_name="a.pdf", content_type="x", size=1
        )
    sweep(now=now, kinds=["documents_missing"])
    sweep(now=now, kinds=["documents_missing"])
    email = Email.objects.get(kind="documents_missing")
    assert email.related == missing
    assert "- Participant signatures" in email.body_text and "<li>Participant signatures</li>" in email.body_html


def test_staff_get_one_daily_digest_each_not_one_email_per_waiting_application(staff):
    now = at(10)
    other_staff = UserFactory(is_staff=True)
    UserFactory(is_staff=True, is_active=False)
    waiting = [
        ApplicationFactory(status=workflow.SUBMITTED, submitted_at=now - 10 * DAY),
        ApplicationFactory(status=workflow.IN_REVIEW, submitted_at=now - 12 * DAY),
        ApplicationFactory(status=workflow.SCREENING, submitted_at=now - 9 * DAY),
    ]
    ApplicationFactory(status=workflow.SUBMITTED, submitted_at=now - DAY)  # not waiting long yet
    EmailPreference.objects.create(user=other_staff, kind="staff_review_digest", enabled=False)

    sweep(now=at(7), kinds=["staff_review_digest"])
    assert keys("staff_review_digest") == []  # digests wait for the morning

    sweep(now=now, kinds=["staff_review_digest"])
    sweep(now=now + datetime.timedelta(hours=3), kinds=["staff_review_digest"])
    email = Email.objects.get(kind="staff_review_digest")
    assert email.user == staff
    for application in waiting:
        assert f"/admin/grants/application/{application.pk}/" in email.body_text
    assert email.body_text.count("/admin/grants/application/") == 3


# --- mentors -------------------------------------------------------------------------


def test_a_mentor_gets_one_weekly_digest_with_unvisited_groups_and_due_follow_ups(mentor, other_mentor):
    now = at(10)
    today = now.date()
    profile = mentor.mentor_profile
    grant_round = GrantRoundFactory(year=today.year)
    forgotten = AssignmentFactory(mentor=profile, round=grant_round)
    Assignment.objects.filter(pk=forgotten.pk).update(created_at=now - 90 * DAY)
    visited = AssignmentFactory(mentor=profile, round=grant_round)
    visit = CoachingVisitFactory(mentor=profile, group=visited.group, date=today - 2 * DAY)
    FollowUp.objects.create(visit=visit, description="영수증 양식 전달", due_date=today + 3 * DAY)
    FollowUp.objects.create(visit=visit, description="이미 끝남", due_date=today, done_at=now)
    FollowUp.objects.create(visit=visit, description="먼 일", due_date=today + 30 * DAY)
    # The other mentor's group was visited recently and nothing is due: no email for them.
    calm = AssignmentFactory(mentor=other_mentor.mentor_profile, round=grant_round)
    CoachingVisitFactory(mentor=other_mentor.mentor_profile, group=calm.group, date=today)

    sweep(now=now, kinds=["mentor_weekly_digest"])
    sweep(now=now + DAY, kinds=["mentor_weekly_digest"]) if (now + DAY).isocalendar()[1] == now.isocalendar()[
        1
    ] else None
    email = Email.objects.get(kind="mentor_weekly_digest")
    assert email.user == mentor
    assert forgotten.group.name in email.body_text
    assert "영수증 양식 전달" in email.body_text
    assert "이미 끝남" not in email.body_text and "먼 일" not in email.body_text
    year, week, _ = today.isocalendar()
    assert email.dedup_key == f"mentor-digest:{year}-W{week:02d}:user:{mentor.pk}"


# --- networks ------------------------------------------------------------------------


def test_residents_registered_for_tomorrows_forum_are_reminded_the_day_before(resident, other_resident):
    now = at(10)
    tomorrow_evening = now.replace(hour=19) + DAY
    forum = ForumFactory(starts_at=tomorrow_evening)
    later = ForumFactory(starts_at=tomorrow_evening + DAY)
    User.objects.filter(pk__in=[resident.pk, other_resident.pk]).update(notices_consent=True)
    ForumRegistration.objects.create(forum=forum, user=resident)
    ForumRegistration.objects.create(forum=forum, user=UserFactory(notices_consent=False))  # declined the news
    ForumRegistration.objects.create(forum=forum, user=other_resident, cancelled_at=now)
    ForumRegistration.objects.create(forum=later, user=other_resident)

    sweep(now=now, kinds=["forum_tomorrow"])
    sweep(now=now + datetime.timedelta(hours=2), kinds=["forum_tomorrow"])
    assert keys("forum_tomorrow") == [f"forum-tomorrow:forum:{forum.pk}:user:{resident.pk}"]
    email = Email.objects.get(kind="forum_tomorrow")
    assert forum.place in email.body_text
    assert "/notifications/unsubscribe/" in email.body_text
