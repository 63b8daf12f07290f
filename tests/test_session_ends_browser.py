"""On a phone, a resident's login ends while she types (the session cookie is gone); she presses
save, is asked plainly to log in again, logs in, and finds her text and her added budget line
back on the page, then saves them."""

import re

import pytest
from playwright.sync_api import expect

from grants.models import BudgetLine
from tests.browser import login
from tests.factories import PASSWORD
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "4월부터 10월까지 매달 둘째 토요일에 골목 화단을 함께 가꿉니다.\n물주기 당번은 단톡방에서 정합니다."


@pytest.fixture
def world(media_root):
    """As tests/conftest.py's, for a transactional (live-server) test."""
    return build_world()


def _lose_the_login(page):
    page.context.clear_cookies(name="sessionid")


def _log_in_again(page, world, screenshot=None):
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_role("alert").filter(has_text="다시 로그인해 주세요")).to_be_visible()
    if screenshot:
        screenshot(page, "session-ended-login")
    page.fill("input[name=username]", world.drafter.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_text_typed_before_the_login_ended_is_back_after_logging_in(live_server, phone_page, screenshot, world):
    page = phone_page
    login(page, live_server, world.drafter.email)
    page.goto(f"{live_server.url}/my/applications/{world.draft.pk}/project/")
    page.fill("textarea[name=plan]", PLAN)
    _lose_the_login(page)
    page.get_by_test_id("save-next").click()

    _log_in_again(page, world, screenshot)

    expect(page).to_have_url(re.compile(rf"/my/applications/{world.draft.pk}/project/$"))
    expect(page.get_by_test_id("restored-form")).to_be_visible()
    expect(page.locator("textarea[name=plan]")).to_have_value(PLAN)
    screenshot(page, "session-ended-restored")

    page.get_by_test_id("save-next").click()
    expect(page).to_have_url(re.compile(r"/budget/$"))
    world.draft.refresh_from_db()
    assert world.draft.plan.replace("\r\n", "\n") == PLAN


def test_an_added_budget_line_is_back_after_logging_in(live_server, phone_page, world):
    page = phone_page
    login(page, live_server, world.drafter.email)
    page.goto(f"{live_server.url}/my/applications/{world.draft.pk}/budget/")
    lines = page.locator("#budget-lines [data-line]")
    before = lines.count()
    page.click("#add-line")
    expect(lines).to_have_count(before + 1)
    new = lines.nth(before)
    new.locator("select[name$=-category]").select_option(index=1)
    new.locator("input[name$=-item]").fill("현수막 인쇄")
    new.locator("input[name$=-amount]").fill("150000")
    new.locator("select[name$=-source]").select_option("self")
    _lose_the_login(page)
    page.get_by_test_id("save-next").click()

    _log_in_again(page, world)

    expect(page.get_by_test_id("restored-form")).to_be_visible()
    expect(lines).to_have_count(before + 1)
    expect(lines.nth(before).locator("input[name$=-item]")).to_have_value("현수막 인쇄")
    expect(lines.nth(before).locator("input[name$=-amount]")).to_have_value("150000")
    page.get_by_test_id("save-next").click()
    expect(page).to_have_url(re.compile(r"/documents/$"))
    assert BudgetLine.objects.filter(application=world.draft, item="현수막 인쇄", amount=150_000).exists()
