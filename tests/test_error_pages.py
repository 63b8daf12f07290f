"""Refusals and errors answer with a Korean page in the portal's own look that says what to do
instead, never a bare "403 Forbidden" or "Not Found"."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentors.models import CoachingVisit
from tests.factories import CommunityGroupFactory, UserFactory
from tests.forms import form_fields


def _page(response) -> str:
    html = response.content.decode()
    assert 'lang="ko"' in html
    assert "본문 바로가기" in html, "not drawn on base.html (no skip link)"
    assert 'data-testid="error-page"' in html
    assert "062-360-7000" in html, "the support team's phone is missing"
    return html


def test_a_mentor_editing_a_visit_after_14_days_is_told_why_and_where_to_go(client, world):
    CoachingVisit.objects.filter(pk=world.visit.pk).update(created_at=timezone.now() - datetime.timedelta(days=15))
    client.force_login(world.mentor)

    response = client.get(reverse("mentors:visit_edit", args=[world.visit.pk]))

    assert response.status_code == 403
    html = _page(response)
    assert "이 페이지를 열 수 없습니다" in html
    assert "14일 동안만 고칠 수 있습니다" in html
    assert "새 방문을 기록하거나 후속 조치를 추가해 주세요" in html
    assert f'href="{reverse("mentors:group", args=[world.group.pk])}"' in html
    assert "Forbidden" not in html


def test_a_mentor_editing_another_mentors_visit_is_told_whose_it_is(client, world, other_mentor):
    world.assignment.mentor = other_mentor.mentor_profile
    world.assignment.save()  # the group moved to another mentor; the first mentor's visit stays
    client.force_login(other_mentor)

    response = client.get(reverse("mentors:visit_edit", args=[world.visit.pk]))

    assert response.status_code == 403
    assert "이 방문은 이멘토 님이 기록했습니다" in _page(response)


def test_a_mentor_opening_a_group_not_assigned_to_them_is_sent_to_their_groups(client, world):
    client.force_login(world.mentor)
    stranger = CommunityGroupFactory(representative=UserFactory())

    for url in [reverse("mentors:group", args=[stranger.pk]), reverse("mentors:visit_create", args=[stranger.pk])]:
        response = client.get(url)
        assert response.status_code == 404
        html = _page(response)
        assert "회원님이 맡은 공동체가 아니어서" in html
        assert f'href="{reverse("mentors:home")}" data-testid="next-step"' in html
        assert stranger.name not in html


def test_a_resident_opening_a_mentor_page_is_told_it_is_for_mentors(client, world):
    client.force_login(world.resident)
    response = client.get(reverse("mentors:home"))
    assert response.status_code == 404
    assert "전문지원단 전용입니다" in _page(response)


def test_an_unknown_address_gets_the_friendly_404(client, world):
    client.force_login(world.resident)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = _page(response)
    assert "페이지를 찾을 수 없습니다" in html
    assert f'href="{reverse("grants:my_applications")}"' in html


def test_a_plain_refusal_gets_the_friendly_403(client, settings, world):
    settings.ROOT_URLCONF = "tests.urls_errors"
    client.force_login(world.resident)
    response = client.get("/test-errors/forbidden/")
    assert response.status_code == 403
    html = _page(response)
    assert "평소와 다른 계정으로 로그인했을 수도 있습니다" in html


def test_a_bug_gets_the_friendly_500_that_says_saved_work_is_kept(settings, world):
    settings.ROOT_URLCONF = "tests.urls_errors"
    client = Client(raise_request_exception=False)
    client.force_login(world.resident)
    response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    html = _page(response)
    assert "포털에 잠시 문제가 생겼습니다" in html
    assert "전에 저장한 내용은 그대로 있습니다" in html
    assert "a bug" not in html


@pytest.mark.parametrize("anonymous_visitor", [True, False])
def test_the_404_offers_log_in_only_to_someone_logged_out(client, world, anonymous_visitor):
    if not anonymous_visitor:
        client.force_login(world.resident)
    html = client.get("/no/such/page/").content.decode()
    assert ("로그인한 뒤 이 페이지를 다시 열기" in html) is anonymous_visitor


def test_the_visit_form_starts_with_an_empty_attendee_count(client, world):
    client.force_login(world.mentor)
    html = client.get(reverse("mentors:visit_create", args=[world.group.pk])).content.decode()
    assert dict(form_fields(html, "visit-form"))["attendees"] == ""


def test_the_500_page_still_answers_when_the_full_page_cannot_be_drawn(settings, world):
    settings.ROOT_URLCONF = "tests.urls_errors"
    options = settings.TEMPLATES[0]["OPTIONS"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **options,
                "context_processors": [*options["context_processors"], "tests.urls_errors.broken_context_processor"],
            },
        }
    ]
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "포털에 잠시 문제가 생겼습니다" in html
    assert "062-360-7000" in html


def test_a_form_whose_security_check_failed_says_so_in_korean_and_leads_back(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.drafter)
    url = reverse("grants:apply_project", args=[world.draft.pk])
    response = client.post(url, {"title": "새 제목"}, HTTP_REFERER=f"http://testserver{url}")
    assert response.status_code == 403
    html = _page(response)
    assert "보안을 위해" in html and "CSRF" not in html
    assert f'href="http://testserver{url}" data-testid="next-step"' in html
