import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants.tests.conftest import tiny_image
from mentors.models import CoachingVisit, FollowUp, SessionInvitation, VisitPhoto
from mentors.tests.test_photos_permissions import PNG
from networks.models import NetworkMembership
from tests.factories import ForumFactory, NetworkFactory

JPEG = tiny_image("JPEG")
GIF = bytes.fromhex("474946383961010001008000000000ffffff21f90401000000002c00000000010001000002024401003b")


def visit_data(**overrides):
    data = {
        "date": timezone.localdate().isoformat(),
        "kind": "coaching",
        "duration_minutes": 60,
        "followups-TOTAL_FORMS": 1,
        "followups-INITIAL_FORMS": 0,
        "followups-0-description": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_visit_form_starts_with_today_and_coaching_so_the_common_case_is_one_tap(client, mentor, assignment):
    client.force_login(mentor)
    response = client.get(reverse("mentors:visit_create", args=[assignment.group_id]))
    body = response.content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in body
    assert 'value="coaching"' in body and "checked" in body
    form = response.context["form"]
    assert [name for name, field in form.fields.items() if field.required] == ["date", "kind", "duration_minutes"]


@pytest.mark.django_db
def test_a_mentor_logs_a_visit_with_only_the_defaults(client, mentor, assignment):
    client.force_login(mentor)
    response = client.post(reverse("mentors:visit_create", args=[assignment.group_id]), visit_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("mentors:group", args=[assignment.group_id])
    visit = CoachingVisit.objects.get()
    assert (visit.mentor, visit.group, visit.date, visit.kind) == (
        assignment.mentor,
        assignment.group,
        timezone.localdate(),
        "coaching",
    )
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_a_mentor_logs_a_visit_with_two_follow_ups(client, mentor, assignment):
    client.force_login(mentor)
    due = timezone.localdate() + datetime.timedelta(days=10)
    data = visit_data(
        attendees=7,
        topics="정산 서류",
        notes="비공개",
        **{
            "followups-TOTAL_FORMS": 3,
            "followups-0-description": "영수증 모으기",
            "followups-0-owner": "총무",
            "followups-0-due_date": due.isoformat(),
            "followups-1-description": "회의록 보내기",
            "followups-2-description": "",
        },
    )
    assert client.post(reverse("mentors:visit_create", args=[assignment.group_id]), data).status_code == 302
    follow_ups = list(FollowUp.objects.order_by("id").values_list("description", "owner", "due_date"))
    assert follow_ups == [("영수증 모으기", "총무", due), ("회의록 보내기", "", None)]


@pytest.mark.django_db
def test_a_visit_in_the_future_is_refused_with_an_error_summary(client, mentor, assignment):
    client.force_login(mentor)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("mentors:visit_create", args=[assignment.group_id]), visit_data(date=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not CoachingVisit.objects.exists()


@pytest.mark.django_db
def test_a_follow_up_with_a_due_date_but_nothing_to_do_is_refused(client, mentor, assignment):
    client.force_login(mentor)
    data = visit_data(**{"followups-0-due_date": timezone.localdate().isoformat()})
    response = client.post(reverse("mentors:visit_create", args=[assignment.group_id]), data)
    assert response.status_code == 200
    assert not CoachingVisit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "mime"), [("a.jpg", JPEG, "image/jpeg"), ("b.PNG", PNG, "image/png")])
def test_photos_are_stored_under_a_random_name(client, mentor, assignment, media_root, name, content, mime):
    client.force_login(mentor)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    client.post(reverse("mentors:visit_create", args=[assignment.group_id]), visit_data(photos=[upload]))
    photo = VisitPhoto.objects.get()
    assert photo.content_type == mime
    assert photo.original_name == name
    # The generated name, not a fixed string's absence: a random hex name can end in "a" before ".jpg".
    extension = {"image/jpeg": ".jpg", "image/png": ".png"}[mime]
    assert re.fullmatch(rf"visit_photos/{photo.visit_id}/[0-9a-f]{{32}}{re.escape(extension)}", photo.file.name)
    assert (media_root / photo.file.name).read_bytes() == content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.jpg", GIF), ("photo.png", b"%PDF-1.4 not a photo"), ("script.jpg", b"<script>alert(1)</script>")],
)
def test_files_that_are_not_jpg_or_png_by_content_are_refused(client, mentor, assignment, media_root, name, content):
    client.force_login(mentor)
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = client.post(reverse("mentors:visit_create", args=[assignment.group_id]), visit_data(photos=[upload]))
    assert response.status_code == 200
    assert response.context["form"].errors["photos"]
    assert not CoachingVisit.objects.exists()
    assert not VisitPhoto.objects.exists()


@pytest.mark.django_db
def test_a_photo_over_ten_megabytes_is_refused(client, mentor, assignment, media_root):
    client.force_login(mentor)
    upload = SimpleUploadedFile("big.png", PNG + b"\0" * (10 * 1024 * 1024), content_type="image/png")
    response = client.post(reverse("mentors:visit_create", args=[assignment.group_id]), visit_data(photos=[upload]))
    assert response.status_code == 200
    assert not VisitPhoto.objects.exists()


@pytest.mark.django_db
def test_only_forums_of_the_groups_networks_can_be_chosen(client, mentor, assignment):
    network = NetworkFactory(dong=assignment.group.dong)  # the dong's own network, joined automatically
    assert NetworkMembership.objects.filter(network=network, group=assignment.group).exists()
    own_forum = ForumFactory(network=network)
    stranger_forum = ForumFactory()
    client.force_login(mentor)
    url = reverse("mentors:visit_create", args=[assignment.group_id])
    choices = list(client.get(url).context["form"].fields["forum"].queryset)
    assert choices == [own_forum]
    response = client.post(url, visit_data(kind="network", forum=stranger_forum.pk))
    assert response.status_code == 200
    assert client.post(url, visit_data(kind="network", forum=own_forum.pk)).status_code == 302
    assert CoachingVisit.objects.get().forum == own_forum


@pytest.mark.django_db
def test_the_author_edits_a_visit_and_its_follow_ups_within_fourteen_days(client, mentor, follow_up):
    visit = follow_up.visit
    client.force_login(mentor)
    url = reverse("mentors:visit_edit", args=[visit.pk])
    data = visit_data(
        date=visit.date.isoformat(),
        topics="바뀐 주제",
        **{
            "followups-TOTAL_FORMS": 2,
            "followups-INITIAL_FORMS": 1,
            "followups-0-id": follow_up.pk,
            "followups-0-description": follow_up.description,
            "followups-0-DELETE": "on",
            "followups-1-description": "새 할 일",
        },
    )
    assert client.post(url, data).status_code == 302
    visit.refresh_from_db()
    assert visit.topics == "바뀐 주제"
    assert list(visit.follow_ups.values_list("description", flat=True)) == ["새 할 일"]


@pytest.mark.django_db
def test_editing_cannot_touch_another_visits_follow_up(client, mentor, visit):
    from mentors.tests.factories import FollowUpFactory

    foreign = FollowUpFactory(description="다른 방문")
    client.force_login(mentor)
    data = visit_data(
        date=visit.date.isoformat(),
        **{
            "followups-TOTAL_FORMS": 1,
            "followups-0-id": foreign.pk,
            "followups-0-description": "덮어쓰기",
            "followups-0-DELETE": "on",
        },
    )
    client.post(reverse("mentors:visit_edit", args=[visit.pk]), data)
    foreign.refresh_from_db()
    assert foreign.description == "다른 방문"


@pytest.mark.django_db
def test_the_group_page_shows_plan_budget_visits_and_follow_ups(client, mentor, follow_up, application):
    client.force_login(mentor)
    body = client.get(reverse("mentors:group", args=[follow_up.visit.group_id])).content.decode()
    for text in [application.plan, "꽃모종과 흙", follow_up.description, follow_up.visit.topics]:
        assert text in body


@pytest.mark.django_db
def test_a_mentor_schedules_a_session_and_records_attendance_the_representative_sees(
    client, mentor, resident, assignment
):
    client.force_login(mentor)
    starts = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mentors:session_create"),
        {
            "title": "소양 교육 1회",
            "starts_at": starts,
            "place": "구청",
            "capacity": 20,
            "groups": [assignment.group_id],
        },
    )
    assert response.status_code == 302
    invitation = SessionInvitation.objects.get()
    assert client.get(reverse("mentors:home")).content.decode().count("소양 교육 1회") == 1
    response = client.post(
        reverse("mentors:session", args=[invitation.session_id]),
        {f"attended_{assignment.group_id}": "on", f"attendees_{assignment.group_id}": "4"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.attended, invitation.attendees) == (True, 4)
    client.force_login(resident)
    body = client.get(reverse("mentors:group_visits_for_resident", args=[assignment.group_id])).content.decode()
    assert "소양 교육 1회" in body


@pytest.mark.django_db
def test_a_mentor_cannot_invite_a_group_they_do_not_follow(client, other_mentor, assignment):
    client.force_login(other_mentor)
    starts = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mentors:session_create"),
        {"title": "소양 교육", "starts_at": starts, "place": "구청", "capacity": 20, "groups": [assignment.group_id]},
    )
    assert response.status_code == 200
    assert not SessionInvitation.objects.exists()


@pytest.mark.django_db
def test_the_author_adds_a_photo_when_editing_a_visit(client, mentor, visit, media_root):
    client.force_login(mentor)
    upload = SimpleUploadedFile("later.jpg", JPEG, content_type="image/jpeg")
    data = visit_data(date=visit.date.isoformat(), photos=[upload])
    assert client.post(reverse("mentors:visit_edit", args=[visit.pk]), data).status_code == 302
    assert list(visit.photos.values_list("original_name", "content_type")) == [("later.jpg", "image/jpeg")]


@pytest.mark.django_db
def test_a_session_in_the_past_cannot_be_scheduled(client, mentor, assignment):
    client.force_login(mentor)
    starts = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mentors:session_create"),
        {"title": "지난 교육", "starts_at": starts, "place": "구청", "capacity": 20, "groups": [assignment.group_id]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"]
