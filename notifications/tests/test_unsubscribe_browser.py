import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notifications.models import EmailPreference
from notifications.rendering import unsubscribe_token
from notifications.tests.conftest import batch_kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_stops_a_reminder_kind_from_the_link_in_an_email_on_a_phone(
    live_server, phone_page, screenshot, resident
):
    with batch_kind([resident]) as kind:
        url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=resident.pk, kind=kind)])
        phone_page.goto(live_server.url + url)
        screenshot(phone_page, "01-confirm")
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
        confirm = phone_page.locator("#unsubscribe-confirm")
        expect(confirm).to_be_visible()
        confirm.focus()
        confirm.press("Enter")
        expect(phone_page.locator("#unsubscribe-done")).to_be_visible()
        screenshot(phone_page, "02-done")
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert EmailPreference.objects.get(user=resident, kind=kind).enabled is False
