"""Helpers for Playwright tests. Each waits for the page it leads to, so the next step can never
act on (or read) the page it came from."""

from urllib.parse import quote

from tests.factories import PASSWORD


def login(page, live_server, email: str, password: str = PASSWORD, *, next_path: str = "") -> None:
    """Log in through the public login form, as a person would, and wait until the portal has
    let us in (the browser has left the login page)."""
    suffix = f"?next={quote(next_path)}" if next_path else ""
    page.goto(f"{live_server.url}/accounts/login/{suffix}")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")  # not the nav's language or log-out buttons
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def admin_login(page, live_server, email: str, password: str = PASSWORD, *, next_path: str = "/admin/") -> None:
    """Log in through the admin's login form and wait for ``next_path`` to open."""
    page.goto(f"{live_server.url}/admin/login/?next={quote(next_path)}")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}")
