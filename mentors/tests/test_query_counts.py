"""Query counts of the mentor pages are pinned: the same at 5 and at 500 groups.

If one of these fails, a per-row query crept in: annotate the fact in SQL (see selectors)
or raise the bound and explain the new query here.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from grants.models import Application
from mentors.models import Assignment, CoachingVisit, FollowUp
from networks.models import CommunityGroup
from tests.factories import DongFactory, FieldFactory

HOME_MAX_QUERIES = 8  # session, user, mentor, open round, page count, page, overdue count, sessions
# session, user, mentor, current round, assignment, application+budget+attachments, visits+follow-ups+photos,
# the access-log row (a mentor reading a group's page is a read of the representative's data)
GROUP_MAX_QUERIES = 12


def add_assigned_groups(mentor, grant_round, count: int, *, start: int = 0) -> list[CommunityGroup]:
    """``count`` groups assigned to ``mentor``, each with an application, a visit and a follow-up."""
    dong = DongFactory()
    field = FieldFactory()
    users = User.objects.bulk_create(
        User(email=f"bulk{start + i}@example.com", name=f"대표{start + i}") for i in range(count)
    )
    groups = CommunityGroup.objects.bulk_create(
        CommunityGroup(name=f"벌크공동체{start + i:04d}", dong=dong, representative=users[i]) for i in range(count)
    )
    Assignment.objects.bulk_create(Assignment(mentor=mentor, group=g, round=grant_round) for g in groups)
    Application.objects.bulk_create(
        Application(group=g, round=grant_round, field=field, status=Application.Status.APPROVED) for g in groups
    )
    today = timezone.localdate()
    visits = CoachingVisit.objects.bulk_create(
        CoachingVisit(mentor=mentor, group=g, date=today - datetime.timedelta(days=i % 60), kind="coaching")
        for i, g in enumerate(groups)
    )
    FollowUp.objects.bulk_create(FollowUp(visit=v, description="할 일", due_date=today) for v in visits)
    return groups


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_mentor_home_runs_the_same_few_queries_for_5_and_500_groups(
    client, mentor, grant_round, django_assert_max_num_queries
):
    profile = mentor.mentor_profile
    add_assigned_groups(profile, grant_round, 5)
    client.force_login(mentor)
    url = reverse("mentors:home")
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        small = client.get(url)
    assert len(small.context["page"]) == 5
    small_count = count_queries(client, url)

    add_assigned_groups(profile, grant_round, 495, start=5)
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        large = client.get(url)
    assert large.context["page"].paginator.count == 500
    assert count_queries(client, url) == small_count
    assert count_queries(client, url + "?page=20") == small_count


@pytest.mark.django_db
def test_mentor_home_lists_overdue_and_never_visited_groups_first(client, mentor, grant_round):
    profile = mentor.mentor_profile
    groups = add_assigned_groups(profile, grant_round, 40)
    never = groups[7]
    CoachingVisit.objects.filter(group=never).delete()
    # Never visited in the 45 days since it was assigned.
    Assignment.objects.filter(group=never).update(created_at=timezone.now() - datetime.timedelta(days=45))
    CoachingVisit.objects.filter(group=groups[3]).update(date=timezone.localdate() - datetime.timedelta(days=45))
    client.force_login(mentor)
    page = client.get(reverse("mentors:home")).context["page"]
    rows = list(page)
    overdue = [a for a in rows if a.overdue]
    assert rows[0].group == never and rows[0].last_visit is None
    assert rows[: len(overdue)] == overdue
    assert all(a.days_without_visit >= grant_round.visit_overdue_days for a in overdue)
    assert not any(a.overdue for a in rows[len(overdue) :])
    fresh = next(a for a in rows if not a.overdue)
    assert fresh.open_follow_ups == 1
    assert fresh.status_label == Application.Status.APPROVED.label


@pytest.mark.django_db
def test_group_page_runs_the_same_queries_for_5_and_500_groups_and_many_visits(
    client, mentor, grant_round, django_assert_max_num_queries
):
    profile = mentor.mentor_profile
    first = add_assigned_groups(profile, grant_round, 5)[0]
    client.force_login(mentor)
    url = reverse("mentors:group", args=[first.pk])
    with django_assert_max_num_queries(GROUP_MAX_QUERIES):
        client.get(url)
    small_count = count_queries(client, url)

    add_assigned_groups(profile, grant_round, 495, start=5)
    visits = CoachingVisit.objects.bulk_create(
        CoachingVisit(mentor=profile, group=first, date=timezone.localdate(), kind="coaching") for _ in range(30)
    )
    FollowUp.objects.bulk_create(FollowUp(visit=v, description="또 할 일") for v in visits)
    with django_assert_max_num_queries(GROUP_MAX_QUERIES):
        response = client.get(url)
    assert len(response.context["visits"]) == 31
    assert count_queries(client, url) == small_count


@pytest.mark.django_db
def test_resident_visit_page_queries_do_not_grow_with_visits(client, resident, visit, django_assert_max_num_queries):
    client.force_login(resident)
    url = reverse("mentors:group_visits_for_resident", args=[visit.group_id])
    small = count_queries(client, url)
    visits = CoachingVisit.objects.bulk_create(
        CoachingVisit(mentor=visit.mentor, group=visit.group, date=visit.date, kind="coaching") for _ in range(40)
    )
    FollowUp.objects.bulk_create(FollowUp(visit=v, description="할 일") for v in visits)
    with django_assert_max_num_queries(7):  # + the nav asks whether the user is a mentor
        client.get(url)
    assert count_queries(client, url) == small
