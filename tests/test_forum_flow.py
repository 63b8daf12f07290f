"""A resident registers for a forum on her phone; afterwards the coordinator records the
minutes and a decision; anyone can then read them on the network's public page."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from networks.models import Decision, Forum, ForumRegistration, Network
from networks.tests.factories import coordinator_of
from tests.browser import login
from tests.factories import DongFactory, ForumFactory

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def assert_fits_phone(page):
    """No horizontal scroll at 375 px, and no axe-core violation in the page's main content
    (the shared footer's link contrast, 4.26:1, is reported to the lead separately)."""
    assert page.evaluate(NO_HORIZONTAL_SCROLL), f"horizontal scroll on {page.url}"
    results = Axe().run(page, context="main")
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_registers_and_the_coordinators_decision_is_public(
    live_server, browser, phone_page, desktop_page, screenshot, resident
):
    network = Network.objects.get(dong=DongFactory(name="양동"))
    coordinator = coordinator_of(network, email="coordinator@example.com", name="한코디")
    forum = ForumFactory(
        network=network,
        title="골목 안전 공론장",
        agenda="어두운 골목에 가로등이 필요한 곳을 함께 정합니다.",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        capacity=20,
    )
    group = resident.represented_groups.get()

    # The resident finds the forum from the public network list, on her phone.
    login(phone_page, live_server, resident.email)
    phone_page.goto(f"{live_server.url}/networks/")
    assert_fits_phone(phone_page)
    screenshot(phone_page, "01-network-list")
    phone_page.get_by_role("link", name=network.name).first.click()
    phone_page.wait_for_url(f"**{reverse('networks:detail', args=[network.pk])}")
    assert_fits_phone(phone_page)
    screenshot(phone_page, "02-network-page")
    phone_page.get_by_role("link", name=forum.title).first.click()
    phone_page.wait_for_url(f"**{reverse('networks:forum', args=[forum.pk])}")
    phone_page.select_option("select[name=group]", str(group.pk))
    assert_fits_phone(phone_page)
    screenshot(phone_page, "03-forum-before-registering")
    phone_page.get_by_test_id("register").click()
    expect(phone_page.get_by_test_id("registered")).to_be_visible()
    assert_fits_phone(phone_page)
    screenshot(phone_page, "04-registered")
    registration = ForumRegistration.objects.get(forum=forum, user=resident, cancelled_at__isnull=True)
    assert registration.group == group

    phone_page.goto(f"{live_server.url}/networks/my/registrations/")
    expect(phone_page.get_by_test_id("my-registration")).to_have_count(1)
    screenshot(phone_page, "05-my-registrations")

    # Time passes: the forum has taken place.
    Forum.objects.filter(pk=forum.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=2))

    # The coordinator records attendance, minutes and a decision (also on a phone).
    coordinator_page = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="ko-KR", timezone_id="Asia/Seoul"
    ).new_page()
    login(coordinator_page, live_server, coordinator.email)
    coordinator_page.goto(f"{live_server.url}/networks/{network.pk}/forums/new/")
    coordinator_page.get_by_test_id("save-forum").click()
    expect(coordinator_page.locator("#error-summary")).to_be_visible()
    assert_fits_phone(coordinator_page)
    screenshot(coordinator_page, "06a-schedule-form-errors")
    coordinator_page.goto(f"{live_server.url}/networks/forums/{forum.pk}/")
    coordinator_page.get_by_test_id("record-outcome").click()
    coordinator_page.wait_for_url(f"**{reverse('networks:forum_record', args=[forum.pk])}")
    coordinator_page.check(f"input[name=attended][value='{registration.pk}']")
    coordinator_page.fill("input[name=walk_in_count]", "5")
    coordinator_page.fill("textarea[name=minutes]", "가로등이 필요한 골목 세 곳을 정했습니다.")
    coordinator_page.get_by_test_id("save-outcome").click()
    # The save comes back to this same page: wait for its answer before typing into the next form.
    expect(coordinator_page.locator("main .alert-success")).to_be_visible()
    coordinator_page.fill("textarea[name=text]", "구청에 골목 가로등 설치를 함께 요청한다")
    coordinator_page.fill("input[name=owner]", "햇살마을공동체 총무")
    coordinator_page.fill("input[name=due_date]", "2030-01-31")
    coordinator_page.get_by_test_id("add-decision").click()
    expect(coordinator_page.get_by_test_id("decision")).to_have_count(1)
    assert_fits_phone(coordinator_page)
    screenshot(coordinator_page, "06b-coordinator-recorded")
    coordinator_page.context.close()

    decision = Decision.objects.get(forum=forum)
    assert (decision.owner, decision.due_date) == ("햇살마을공동체 총무", datetime.date(2030, 1, 31))
    registration.refresh_from_db()
    assert registration.attended is True

    # Anyone, without an account, reads the minutes and the decision.
    public_page = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="ko-KR", timezone_id="Asia/Seoul"
    ).new_page()
    public_page.goto(f"{live_server.url}/networks/{network.pk}/")
    expect(public_page.get_by_text("구청에 골목 가로등 설치를 함께 요청한다").first).to_be_visible()
    assert_fits_phone(public_page)
    screenshot(public_page, "07-public-network-page")
    public_page.get_by_role("link", name=forum.title).first.click()
    public_page.wait_for_url(f"**{reverse('networks:forum', args=[forum.pk])}")
    expect(public_page.get_by_test_id("minutes")).to_contain_text("가로등이 필요한 골목 세 곳")
    assert_fits_phone(public_page)
    screenshot(public_page, "08-public-forum-page")
    public_page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_sees_network_health_with_an_attendance_chart(live_server, phone_page, screenshot, staff):
    network = Network.objects.get(dong=DongFactory(name="풍암동"))
    now = timezone.now()
    for weeks_ago, walk_ins in [(1, 12), (5, 8), (9, 15), (14, 6)]:
        forum = ForumFactory(network=network, starts_at=now - datetime.timedelta(weeks=weeks_ago))
        Forum.objects.filter(pk=forum.pk).update(walk_in_count=walk_ins, attendance_recorded_at=now)
    Network.objects.get(dong=DongFactory(name="동천동"))

    login(phone_page, live_server, staff.email)
    phone_page.goto(f"{live_server.url}/networks/health/")
    expect(phone_page.locator("svg[role=img]")).to_have_count(3)
    expect(phone_page.get_by_test_id("health-row")).to_have_count(2)
    assert_fits_phone(phone_page)
    screenshot(phone_page, "01-health-phone")
