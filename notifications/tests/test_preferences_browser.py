import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from notifications.models import ChannelPreference, Message
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/wt/shots/15")


def test_a_resident_chooses_text_messages_on_a_phone_and_sends_herself_a_test(
    live_server, phone_page, screenshot, resident, empty_queue
):
    login(phone_page, live_server, resident.email, next_path="/accounts/profile/")
    phone_page.locator("#preferences-link").click()
    # By id, not label: the Korean catalogue is filled from the fragments only at merge time.
    sms = phone_page.locator("input[name=preferred][value=sms]")
    expect(sms).to_be_visible()
    expect(phone_page.locator("input[name=preferred][value=alimtalk]")).to_be_checked()
    box = sms.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24, box
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    shots = [screenshot(phone_page, "01-preferences")]

    sms.check()
    with phone_page.expect_navigation():
        phone_page.locator("form.channel-choice button[type=submit]").click()
    expect(phone_page.locator(".alert-success")).to_be_visible()
    expect(phone_page.locator("input[name=preferred][value=sms]")).to_be_checked()
    with phone_page.expect_navigation():
        phone_page.locator("#send-test").click()
    expect(phone_page.locator(".alert-success")).to_be_visible()
    expect(phone_page.locator(".alert-success")).to_have_count(1)
    shots.append(screenshot(phone_page, "02-saved-and-tested"))

    assert ChannelPreference.objects.get(user=resident).preferred == "sms"
    assert sorted(Message.objects.filter(kind="channel_test").values_list("channel", flat=True)) == ["email", "sms"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for shot in shots:
        shutil.copy(shot, SHOTS / shot.name)
