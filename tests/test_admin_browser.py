import pytest

from tests.factories import GrantRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_into_the_admin_and_sees_the_2025_round(live_server, desktop_page, staff, password, screenshot):
    GrantRoundFactory(year=2025, title="2025년 서구 마을공동체 공모사업", budget=350_000_000)
    page = desktop_page
    page.goto(f"{live_server.url}/admin/")
    screenshot(page, "01-admin-login")
    page.fill("input[name=username]", staff.email)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/admin/grants/grantround/")
    screenshot(page, "02-rounds")
    assert page.get_by_role("link", name="2025년 서구 마을공동체 공모사업").is_visible()


def test_a_resident_cannot_enter_the_admin(live_server, desktop_page, resident, password):
    page = desktop_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", resident.email)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login/" in page.url
    page.goto(f"{live_server.url}/admin/grants/grantround/")
    assert "/admin/login/" in page.url
