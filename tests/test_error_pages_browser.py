"""The friendly error pages on a 375 px phone: in Korean, no sideways scrolling, the next step a
big button the mentor can tap."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentors.models import CoachingVisit
from tests.browser import login
from tests.factories import CommunityGroupFactory
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"


def test_a_mentor_refused_on_a_phone_sees_why_and_taps_the_way_back(
    live_server, phone_page, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    CoachingVisit.objects.filter(pk=world.visit.pk).update(created_at=timezone.now() - datetime.timedelta(days=20))
    page = phone_page
    login(page, live_server, world.mentor.email)

    page.goto(f"{live_server.url}/mentors/visits/{world.visit.pk}/edit/")
    expect(page.get_by_role("heading", name="이 페이지를 열 수 없습니다")).to_be_visible()
    expect(page.get_by_test_id("explanation")).to_contain_text("14일 동안만")
    assert_no_sideways_scroll(page)
    screenshot(page, "403-visit-window")
    page.get_by_test_id("next-step").click()
    expect(page.get_by_role("heading", name=world.group.name)).to_be_visible()

    page.goto(f"{live_server.url}/mentors/groups/{CommunityGroupFactory().pk}/")
    expect(page.get_by_role("heading", name="페이지를 찾을 수 없습니다")).to_be_visible()
    assert_no_sideways_scroll(page)
    screenshot(page, "404-unassigned-group")
    page.get_by_test_id("next-step").click()
    expect(page).to_have_url(f"{live_server.url}/mentors/")

    page.goto(f"{live_server.url}/mentors/groups/{world.group.pk}/visits/new/")
    expect(page.locator("input[name=attendees]")).to_have_value("")
    screenshot(page, "visit-form")
