"""Helpers for Playwright tests."""

from tests.factories import PASSWORD


def login(page, live_server, email: str, password: str = PASSWORD, *, next_path: str = "") -> None:
    """Log in through the public login form, as a person would."""
    suffix = f"?next={next_path}" if next_path else ""
    page.goto(f"{live_server.url}/accounts/login/{suffix}")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    # "main": the nav above holds other submit buttons (language switcher, log out).
    page.click("main button[type=submit]")
    page.wait_for_load_state()
