"""A mentor logs a visit on a phone; the group's representative then sees the summary,
never the mentor's private notes."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from grants.models import Application
from mentors.models import CoachingVisit, FollowUp
from tests.browser import login
from tests.factories import ApplicationFactory, AssignmentFactory, BudgetLineFactory, GrantRoundFactory

PRIVATE_NOTE = "대표님이 요즘 건강이 안 좋으심 (비공개)"


def assert_no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def assert_no_serious_accessibility_violations(page):
    # Only the page's own content: the shared footer's link contrast (4.26:1) is the layout's to fix.
    results = Axe().run(page, context="#main")
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, results.generate_report()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_mentor_logs_a_visit_on_a_phone_and_the_resident_sees_it_without_private_notes(
    live_server, phone_page, screenshot, resident, mentor
):
    group = resident.represented_groups.get()
    grant_round = GrantRoundFactory()
    application = ApplicationFactory(group=group, round=grant_round, status=Application.Status.APPROVED)
    BudgetLineFactory(application=application)
    AssignmentFactory(mentor=mentor.mentor_profile, group=group, round=grant_round)
    page = phone_page

    login(page, live_server, mentor.email)
    page.goto(live_server.url + reverse("mentors:home"))
    row = page.locator(f'[data-testid="group-row"][data-group-id="{group.pk}"]')
    expect(row).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_no_serious_accessibility_violations(page)
    screenshot(page, "01-mentor-home")

    row.get_by_role("link", name=group.name).click()
    page.wait_for_url(f"**{reverse('mentors:group', args=[group.pk])}")
    assert_no_horizontal_scroll(page)
    screenshot(page, "02-group-page")

    page.get_by_test_id("log-visit").click()
    page.wait_for_url(f"**{reverse('mentors:visit_create', args=[group.pk])}")
    expect(page.locator("#id_topics")).to_be_visible()
    # The common case: date, kind and duration are already filled in.
    assert_no_serious_accessibility_violations(page)
    page.fill("#id_attendees", "7")
    page.fill("#id_topics", "정산 서류 정리")
    page.fill("#id_followups-0-description", "영수증 모아서 사진 찍기")
    page.fill("#id_followups-0-owner", "총무")
    page.fill("#id_followups-0-due_date", "2099-12-01")
    page.fill("#id_notes", PRIVATE_NOTE)
    assert_no_horizontal_scroll(page)
    screenshot(page, "03-visit-form")
    page.get_by_test_id("save-visit").click()

    page.wait_for_url(f"**{reverse('mentors:group', args=[group.pk])}")
    expect(page.get_by_test_id("visit")).to_have_count(1)
    expect(page.get_by_test_id("follow-ups")).to_contain_text("영수증 모아서 사진 찍기")
    expect(page.get_by_test_id("visit")).to_contain_text(PRIVATE_NOTE)  # the mentor sees their own notes
    visit = CoachingVisit.objects.get()
    assert FollowUp.objects.get(visit=visit).owner == "총무"
    assert_no_serious_accessibility_violations(page)
    screenshot(page, "04-group-page-with-visit")

    page.context.clear_cookies()
    login(page, live_server, resident.email)
    page.goto(live_server.url + reverse("mentors:group_visits_for_resident", args=[group.pk]))
    summary = page.get_by_test_id("resident-visit")
    expect(summary).to_have_count(1)
    expect(summary).to_contain_text("영수증 모아서 사진 찍기")
    expect(summary).to_contain_text("정산 서류 정리")
    assert PRIVATE_NOTE not in page.content()  # read once the page above is there
    assert_no_horizontal_scroll(page)
    assert_no_serious_accessibility_violations(page)
    screenshot(page, "05-resident-visit-summary")
