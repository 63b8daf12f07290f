"""Access follows the current assignment (mentors.access). A mentor who followed the group only
in an earlier round loses its page, its visit form, its documents, its follow-ups and the other
mentors' photos; they keep their own visits and those visits' photos. Photo reads are logged."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from grants.tests.helpers import reviewer_group
from mentors.models import CoachingVisit, FollowUp, VisitPhoto
from mentors.tests.factories import FollowUpFactory
from tests.factories import AssignmentFactory, CoachingVisitFactory, GrantRoundFactory, MentorFactory, UserFactory

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def last_year(db):
    return GrantRoundFactory(
        year=2025,
        opens_at=timezone.now() - datetime.timedelta(days=400),
        closes_at=timezone.now() - datetime.timedelta(days=330),
    )


@pytest.fixture
def former(mentor, group, last_year, grant_round, application):
    """``mentor`` followed the group in 2025; in the open 2026 round another mentor does."""
    AssignmentFactory(mentor=mentor.mentor_profile, group=group, round=last_year)
    AssignmentFactory(mentor=MentorFactory(), group=group, round=grant_round)
    return mentor


def photo_of(visit, media_root):
    return VisitPhoto.objects.create(
        visit=visit,
        file=ContentFile(PNG, name="p.png"),
        original_name="마을.png",
        content_type="image/png",
        size=len(PNG),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["mentors:group", "mentors:visit_create"])
def test_a_former_mentor_cannot_open_the_groups_page_or_visit_form(client, former, group, view):
    client.force_login(former)
    assert client.get(reverse(view, args=[group.pk])).status_code == 404


@pytest.mark.django_db
def test_a_former_mentor_cannot_log_a_visit(client, former, group):
    client.force_login(former)
    response = client.post(
        reverse("mentors:visit_create", args=[group.pk]),
        {
            "date": timezone.localdate(),
            "kind": "coaching",
            "duration_minutes": 60,
            "followups-TOTAL_FORMS": 0,
            "followups-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 404
    assert not CoachingVisit.objects.exists()


@pytest.mark.django_db
def test_a_former_mentor_cannot_close_the_new_mentors_follow_up(client, former, group):
    current = group.mentor_assignments.exclude(mentor__user=former).get().mentor
    follow_up = FollowUpFactory(visit=CoachingVisitFactory(mentor=current, group=group))
    client.force_login(former)

    assert client.post(reverse("mentors:follow_up_done", args=[follow_up.pk])).status_code == 404
    assert FollowUp.objects.get().done_at is None


@pytest.mark.django_db
def test_a_former_mentor_keeps_their_own_visit_and_its_photo_but_not_the_new_mentors(client, former, group, media_root):
    own = CoachingVisitFactory(mentor=former.mentor_profile, group=group)
    current = group.mentor_assignments.exclude(mentor__user=former).get().mentor
    theirs = CoachingVisitFactory(mentor=current, group=group)
    own_photo, their_photo = photo_of(own, media_root), photo_of(theirs, media_root)
    client.force_login(former)

    assert client.get(reverse("mentors:visit_edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("mentors:photo", args=[own_photo.pk])).status_code == 200
    assert client.get(reverse("mentors:visit_edit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("mentors:photo", args=[their_photo.pk])).status_code == 404
    assert list(AccessLog.objects.values_list("user", "subject_id")) == [(former.pk, own_photo.pk)]


@pytest.mark.django_db
def test_the_current_mentor_keeps_everything(client, mentor, assignment, group, application):
    client.force_login(mentor)
    page = client.get(reverse("mentors:group", args=[group.pk]))
    assert page.status_code == 200
    assert client.get(reverse("mentors:visit_create", args=[group.pk])).status_code == 200
    row = AccessLog.objects.get()
    assert (row.user, row.subject, row.person) == (mentor, group, group.representative)


@pytest.fixture
def visit_photo(assignment, media_root):
    return photo_of(CoachingVisitFactory(mentor=assignment.mentor, group=assignment.group), media_root)


@pytest.mark.django_db
def test_a_staff_account_without_the_permission_and_a_reviewer_cannot_open_a_photo(client, visit_photo):
    bare = UserFactory(is_staff=True)
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(reviewer_group())
    for user in (bare, reviewer):
        client.force_login(user)
        assert client.get(reverse("mentors:photo", args=[visit_photo.pk])).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_staff_with_the_permission_open_a_photo_and_the_read_is_logged(client, visit_photo, group):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_visitphoto"))
    client.force_login(clerk)

    response = client.get(reverse("mentors:photo", args=[visit_photo.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.subject, row.person_id) == (
        clerk,
        AccessLog.Action.VIEW,
        visit_photo,
        group.representative_id,
    )
