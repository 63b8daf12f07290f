"""The rule "is a visit overdue" has one home, ``Assignment.objects.with_visit_facts``: the mentor's home
page, the staff coverage page and the weekly digest agree at exactly N days and for new
assignments."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentors.models import Assignment, CoachingVisit
from mentors.reminders import collect_mentor_digest
from tests.factories import AssignmentFactory, CoachingVisitFactory, CommunityGroupFactory

pytestmark = pytest.mark.django_db


def _digest_now():
    # A Seoul morning today, inside the digest hours, so "today" is the same day everywhere.
    return timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)


def _overdue_everywhere(client, mentor, grant_round) -> dict[str, set[str]]:
    client.force_login(mentor)
    home = client.get(reverse("mentors:home"))
    by_home = {a.group.name for a in home.context["page"] if a.overdue}
    digest = list(collect_mentor_digest(_digest_now()))
    by_digest = {a.group.name for due in digest for a in due.context["overdue"]}
    return {"home": by_home, "digest": by_digest}


def _assigned(mentor, grant_round, name, *, assigned_days_ago=0, visited_days_ago=None):
    group = CommunityGroupFactory(name=name)
    assignment = AssignmentFactory(mentor=mentor.mentor_profile, group=group, round=grant_round)
    Assignment.objects.filter(pk=assignment.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=assigned_days_ago)
    )
    CoachingVisit.objects.filter(group=group).delete()
    if visited_days_ago is not None:
        CoachingVisitFactory(
            mentor=mentor.mentor_profile,
            group=group,
            date=timezone.localdate() - datetime.timedelta(days=visited_days_ago),
        )
    return group


def test_home_page_and_digest_agree_at_exactly_n_days_and_for_new_assignments(client, mentor, grant_round):
    days = grant_round.visit_overdue_days
    grant_round.year = timezone.localdate().year
    grant_round.save()
    _assigned(mentor, grant_round, "정확히N일", assigned_days_ago=days + 10, visited_days_ago=days)
    _assigned(mentor, grant_round, "N-1일", assigned_days_ago=days + 10, visited_days_ago=days - 1)
    _assigned(mentor, grant_round, "새배정", assigned_days_ago=0)
    _assigned(mentor, grant_round, "배정N일째미방문", assigned_days_ago=days)
    _assigned(mentor, grant_round, "배정N-1일째미방문", assigned_days_ago=days - 1)

    seen = _overdue_everywhere(client, mentor, grant_round)

    expected = {"정확히N일", "배정N일째미방문"}
    assert seen == {"home": expected, "digest": expected}


def test_the_digest_says_how_many_days_without_a_visit(mentor, grant_round):
    grant_round.year = timezone.localdate().year
    grant_round.save()
    days = grant_round.visit_overdue_days
    _assigned(mentor, grant_round, "오래된곳", assigned_days_ago=days + 30, visited_days_ago=days + 3)
    (due,) = collect_mentor_digest(_digest_now())
    assert [(a.group.name, a.days_without_visit) for a in due.context["overdue"]] == [("오래된곳", days + 3)]


def test_the_coverage_page_lists_the_same_overdue_groups(client, staff, mentor, grant_round):
    days = grant_round.visit_overdue_days
    _assigned(mentor, grant_round, "정확히N일", assigned_days_ago=days + 10, visited_days_ago=days)
    _assigned(mentor, grant_round, "새배정", assigned_days_ago=0)
    client.force_login(staff)
    response = client.get(reverse("admin:mentors_mentor_coverage"))
    assert [a.group.name for a in response.context["unvisited"]] == ["정확히N일"]
