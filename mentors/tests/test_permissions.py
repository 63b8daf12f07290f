"""Every mentor view against the cast: outsiders get 404, read-only users 403, anonymous
visitors the login page; mutating views refuse GET."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentors.models import CoachingVisit, FollowUp
from mentors.tests.conftest import PRIVATE_NOTE
from tests.factories import AssignmentFactory, CoachingVisitFactory

CAST = ["resident", "other_resident", "mentor", "other_mentor", "staff"]


def get_as(client, request, who, url, method="get", **data):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return getattr(client, method)(url, data)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("resident", 404), ("other_resident", 404), ("mentor", 200), ("other_mentor", 200), ("staff", 404)],
)
def test_only_mentors_see_the_mentor_home(client, request, assignment, who, status):
    assert get_as(client, request, who, reverse("mentors:home")).status_code == status


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_log_in_from_every_mentor_page(client, visit, follow_up, session):
    urls = [
        reverse("mentors:home"),
        reverse("mentors:group", args=[visit.group_id]),
        reverse("mentors:visit_create", args=[visit.group_id]),
        reverse("mentors:visit_edit", args=[visit.pk]),
        reverse("mentors:session_create"),
        reverse("mentors:session", args=[session.pk]),
        reverse("mentors:group_visits_for_resident", args=[visit.group_id]),
    ]
    for url in urls:
        assert_login_redirect(client.get(url))
    assert_login_redirect(client.post(reverse("mentors:follow_up_done", args=[follow_up.pk])))
    assert FollowUp.objects.get().done_at is None


@pytest.mark.django_db
def test_a_mentor_does_not_see_another_mentors_group_on_their_home(client, assignment, other_mentor):
    client.force_login(other_mentor)
    response = client.get(reverse("mentors:home"))
    assert assignment.group.name not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("resident", 404), ("other_resident", 404), ("mentor", 200), ("other_mentor", 404), ("staff", 404)],
)
@pytest.mark.parametrize("view", ["mentors:group", "mentors:visit_create"])
def test_only_the_assigned_mentor_sees_a_group_and_its_visit_form(client, request, assignment, who, status, view):
    assert get_as(client, request, who, reverse(view, args=[assignment.group_id])).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["resident", "other_resident", "other_mentor", "staff"])
def test_nobody_but_the_assigned_mentor_can_log_a_visit(client, request, assignment, who):
    url = reverse("mentors:visit_create", args=[assignment.group_id])
    response = get_as(
        client, request, who, url, "post", date=timezone.localdate(), kind="coaching", duration_minutes=60
    )
    assert response.status_code == 404
    assert not CoachingVisit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("resident", 404), ("other_resident", 404), ("mentor", 200), ("other_mentor", 404), ("staff", 404)],
)
def test_only_the_author_edits_a_visit(client, request, visit, who, status):
    assert get_as(client, request, who, reverse("mentors:visit_edit", args=[visit.pk])).status_code == status


@pytest.mark.django_db
def test_a_visit_is_read_only_for_its_author_after_fourteen_days(client, mentor, visit):
    CoachingVisit.objects.filter(pk=visit.pk).update(created_at=timezone.now() - datetime.timedelta(days=15))
    client.force_login(mentor)
    url = reverse("mentors:visit_edit", args=[visit.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"date": visit.date, "kind": "coaching", "duration_minutes": 60, "topics": "changed"})
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.topics != "changed"
    assert "visit_edit" not in client.get(reverse("mentors:group", args=[visit.group_id])).content.decode()


@pytest.mark.django_db
def test_a_mentor_newly_assigned_to_a_group_may_read_but_not_edit_the_previous_mentors_visit(
    client, visit, other_mentor, grant_round
):
    later_round = type(grant_round).objects.create(
        district=grant_round.district,
        year=2027,
        title="2027",
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=60),
        budget=1,
    )
    # The later round is the current one (open, latest year): access follows it.
    AssignmentFactory(mentor=other_mentor.mentor_profile, group=visit.group, round=later_round)
    client.force_login(other_mentor)
    assert client.get(reverse("mentors:group", args=[visit.group_id])).status_code == 200
    assert client.get(reverse("mentors:visit_edit", args=[visit.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"), [("resident", 404), ("other_resident", 404), ("other_mentor", 404), ("staff", 404)]
)
def test_only_the_groups_mentor_marks_a_follow_up_done(client, request, follow_up, who, status):
    url = reverse("mentors:follow_up_done", args=[follow_up.pk])
    assert get_as(client, request, who, url, "post").status_code == status
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


@pytest.mark.django_db
def test_marking_a_follow_up_done_is_post_only(client, mentor, follow_up):
    client.force_login(mentor)
    url = reverse("mentors:follow_up_done", args=[follow_up.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert follow_up.done_by == mentor


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("resident", 200), ("other_resident", 404), ("mentor", 404), ("other_mentor", 404), ("staff", 404)],
)
def test_only_the_representative_sees_the_groups_visit_summary(client, request, visit, who, status):
    url = reverse("mentors:group_visits_for_resident", args=[visit.group_id])
    assert get_as(client, request, who, url).status_code == status


@pytest.mark.django_db
def test_the_representative_never_sees_the_private_notes(client, resident, follow_up):
    client.force_login(resident)
    response = client.get(reverse("mentors:group_visits_for_resident", args=[follow_up.visit.group_id]))
    body = response.content.decode()
    assert PRIVATE_NOTE not in body
    assert follow_up.description in body
    assert follow_up.visit.topics in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("resident", 404), ("other_resident", 404), ("mentor", 200), ("other_mentor", 404), ("staff", 404)],
)
def test_only_the_sessions_mentor_sees_it(client, request, session, who, status):
    assert get_as(client, request, who, reverse("mentors:session", args=[session.pk])).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("resident", 404), ("other_resident", 404), ("mentor", 200), ("other_mentor", 200), ("staff", 404)],
)
def test_only_mentors_schedule_sessions(client, request, assignment, who, status):
    assert get_as(client, request, who, reverse("mentors:session_create")).status_code == status


@pytest.mark.django_db
def test_another_mentors_visit_to_a_group_they_do_not_follow_is_hidden(client, other_mentor, group):
    stray = CoachingVisitFactory(group=group)
    client.force_login(other_mentor)
    assert client.get(reverse("mentors:visit_edit", args=[stray.pk])).status_code == 404
