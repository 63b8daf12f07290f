"""The preferences page: a resident chooses how notices reach them, and can try it."""

import re

import pytest
from django.urls import reverse

from notifications.models import ChannelPreference, Email, EmailPreference, Message
from notifications.reminders import registry
from tests.forms import form_data

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")


def optional_kind():
    return sorted(name for name, kind in registry.items() if not kind.essential and kind.audience == "everyone")[0]


def test_the_page_shows_kakaotalk_as_the_default_for_a_resident_with_a_mobile_number(client, resident):
    client.force_login(resident)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial["preferred"] == "alimtalk"
    html = response.content.decode()
    [checked] = re.findall(r'<input type="radio"[^>]*checked[^>]*>', html)
    assert 'value="alimtalk"' in checked
    assert "no-mobile" not in html


def test_choosing_text_messages_and_switching_an_optional_reminder_off_is_saved(client, resident):
    client.force_login(resident)
    page = client.get(URL)
    data = form_data(page.content, preferred="sms")
    data.pop(f"kind_{optional_kind()}", None)  # unticking a checkbox: the browser sends nothing
    response = client.post(URL, data)
    assert response.status_code == 302
    assert ChannelPreference.objects.get(user=resident).preferred == "sms"
    assert EmailPreference.objects.get(user=resident, kind=optional_kind()).enabled is False
    assert client.get(URL).context["form"].initial["preferred"] == "sms"


def test_a_resident_is_not_offered_the_staff_and_mentor_digests(client, resident, staff):
    client.force_login(resident)
    fields = set(client.get(URL).context["form"].fields)
    assert "kind_forum_tomorrow" in fields
    assert not {"kind_staff_review_digest", "kind_mentor_weekly_digest"} & fields
    client.force_login(staff)
    assert "kind_staff_review_digest" in client.get(URL).context["form"].fields


def test_a_forged_channel_is_refused_and_nothing_changes(client, resident):
    client.force_login(resident)
    page = client.get(URL)
    response = client.post(URL, form_data(page.content, preferred="pigeon"))
    assert response.status_code == 400
    assert not ChannelPreference.objects.exists()


def test_without_a_mobile_number_the_page_says_everything_comes_by_email(client, resident):
    resident.phone = ""
    resident.save()
    client.force_login(resident)
    response = client.get(URL)
    assert 'id="no-mobile"' in response.content.decode()
    assert response.context["form"].initial["preferred"] == "email"


def test_the_test_button_sends_one_message_per_channel_and_not_again_within_five_minutes(
    client, resident, django_capture_on_commit_callbacks, empty_queue
):
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(reverse("notifications:test_message")).status_code == 302
        client.post(reverse("notifications:test_message"))
    rows = Message.objects.filter(user=resident, kind="channel_test")
    assert sorted(rows.values_list("channel", flat=True)) == ["alimtalk", "email"]
    assert Email.objects.get(user=resident, kind="channel_test").recipient == resident.email
    assert rows.get(channel="alimtalk").recipient == resident.phone


def test_the_test_button_is_post_only(client, resident):
    client.force_login(resident)
    assert client.get(reverse("notifications:test_message")).status_code == 405


@pytest.mark.parametrize("url", [URL, reverse("notifications:test_message")])
def test_anonymous_is_sent_to_login(client, url):
    response = client.post(url) if "test" in url else client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_profile_links_to_the_preferences(client, resident):
    client.force_login(resident)
    assert URL in client.get(reverse("profile")).content.decode()
