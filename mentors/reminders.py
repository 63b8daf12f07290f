"""The mentors' weekly digest, registered from ``MentorsConfig.ready()``: assigned groups
without a visit for the round's ``visit_overdue_days``, and open follow-ups due within a week."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentors.models import Assignment, FollowUp
from notifications.reminders import ReminderDue, ReminderKind, is_digest_hour, local, register

FOLLOW_UP_HORIZON = datetime.timedelta(days=7)


def collect_mentor_digest(now):
    """At most one email per mentor per ISO week, when there is something to report. Two queries.

    Assignments of the current (Seoul) year's rounds count; "overdue" is
    ``Assignment.objects.with_visit_facts``.
    """
    if not is_digest_hour(now):
        return
    today = local(now).date()
    assignments = (
        Assignment.objects.filter(mentor__active=True, round__year=today.year)
        .with_visit_facts(today=today)
        .filter(overdue=True)
        .select_related("mentor__user", "group", "round")
        .order_by("group__name", "pk")
    )
    overdue = defaultdict(list)
    mentors = {}
    for assignment in assignments:
        overdue[assignment.mentor_id].append(assignment)
        mentors[assignment.mentor_id] = assignment.mentor
    follow_ups = defaultdict(list)
    open_follow_ups = (
        FollowUp.objects.filter(done_at__isnull=True, due_date__lte=today + FOLLOW_UP_HORIZON)
        .filter(Q(visit__mentor__active=True))
        .select_related("visit__mentor__user", "visit__group")
        .order_by("due_date", "pk")
    )
    for follow_up in open_follow_ups:
        follow_up.overdue = follow_up.due_date < today
        follow_ups[follow_up.visit.mentor_id].append(follow_up)
        mentors[follow_up.visit.mentor_id] = follow_up.visit.mentor
    year, week, _weekday = today.isocalendar()
    for mentor_id, mentor in sorted(mentors.items()):
        yield ReminderDue(
            user=mentor.user,
            dedup_key=f"mentor-digest:{year}-W{week:02d}:user:{mentor.user_id}",
            subject=_("Your week: %(groups)s group(s) to visit, %(follow_ups)s follow-up(s) due"),
            subject_params={"groups": len(overdue[mentor_id]), "follow_ups": len(follow_ups[mentor_id])},
            template="mentors/email/weekly_digest",
            context={"overdue": overdue[mentor_id], "follow_ups": follow_ups[mentor_id], "today": today},
        )


MENTOR_DIGEST = ReminderKind(
    name="mentor_weekly_digest",
    label=_("Weekly digest for mentors"),
    essential=False,
    collect=collect_mentor_digest,
    audience="mentors",
)


def register_all() -> None:
    register(MENTOR_DIGEST)
