import re

import pytest
from playwright.sync_api import expect

from tests.browser import admin_login
from tests.factories import GrantRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_into_the_admin_and_sees_the_2025_round(live_server, desktop_page, staff, password, screenshot):
    GrantRoundFactory(year=2025, title="2025년 서구 마을공동체 공모사업", budget=350_000_000)
    page = desktop_page
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("input[name=username]")).to_be_visible()
    screenshot(page, "01-admin-login")
    admin_login(page, live_server, staff.email, password)
    page.goto(f"{live_server.url}/admin/grants/grantround/")
    expect(page.get_by_role("link", name="2025년 서구 마을공동체 공모사업")).to_be_visible()
    screenshot(page, "02-rounds")


def test_a_resident_cannot_enter_the_admin(live_server, desktop_page, resident, password):
    page = desktop_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", resident.email)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    # The refusal itself, not merely a URL that has not changed yet.
    expect(page.locator(".errornote")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.goto(f"{live_server.url}/admin/grants/grantround/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/grants/grantround/"))
    expect(page.locator("input[name=username]")).to_be_visible()
