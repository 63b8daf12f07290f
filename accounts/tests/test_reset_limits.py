"""Password reset: limited per address and per IP, the same answer whether or not the
address has an account, and the link built from PORTAL_BASE_URL rather than the Host header."""

import re

import pytest
from django.urls import reverse

from accounts.services import RESET_PER_ADDRESS, RESET_PER_IP, SIGNUP_TAKEN_PER_IP
from notifications.models import Email

pytestmark = pytest.mark.django_db


def reset(client, email, ip="10.0.0.1", **extra):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, **extra)


def test_fifteen_reset_requests_send_three_emails_and_then_say_to_wait(client, resident):
    answers = [reset(client, "resident@example.com", ip=f"10.0.0.{n}").status_code for n in range(15)]
    assert answers == [302] * RESET_PER_ADDRESS + [429] * (15 - RESET_PER_ADDRESS)
    assert Email.objects.filter(kind="password_reset").count() == RESET_PER_ADDRESS
    refused = reset(client, "Resident@Example.com")
    assert refused.context["form"].has_error("email", "too_many_requests")
    assert refused.context["error_summary"][0]["id"] == "id_email"


def test_one_address_sweeping_many_accounts_is_stopped_per_ip(client, resident):
    for n in range(RESET_PER_IP):
        assert reset(client, f"someone{n}@example.com", ip="10.7.7.7").status_code == 302
    assert reset(client, "resident@example.com", ip="10.7.7.7").status_code == 429
    assert not Email.objects.filter(kind="password_reset").exists()
    assert reset(client, "resident@example.com", ip="10.8.8.8").status_code == 302


def test_an_unknown_address_gets_exactly_the_answer_a_known_one_gets(client, resident):
    known = [reset(client, "resident@example.com", ip=f"10.1.0.{n}") for n in range(RESET_PER_ADDRESS + 1)]
    unknown = [reset(client, "nobody@example.com", ip=f"10.2.0.{n}") for n in range(RESET_PER_ADDRESS + 1)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [getattr(r, "url", None) for r in known] == [getattr(r, "url", None) for r in unknown]

    def page(response, typed):
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return text.replace(typed, "ADDRESS")

    assert page(known[-1], "resident@example.com") == page(unknown[-1], "nobody@example.com")


def test_the_reset_link_uses_portal_base_url_not_the_host_header(client, resident, settings):
    settings.PORTAL_BASE_URL = "https://maeul.example"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    assert reset(client, "resident@example.com", HTTP_HOST="evil.example").status_code == 302
    body = Email.objects.get(kind="password_reset").body_text
    assert re.search(r"https://maeul\.example/accounts/reset/[^/\s]+/[^/\s]+/", body)
    assert "evil.example" not in body


def test_sign_up_probing_addresses_in_use_is_limited_per_ip(client, resident):
    data = {
        "email": "resident@example.com",
        "name": "탐색",
        "phone": "010-1111-2222",
        "password1": "quiet-lantern-harbour-7",
        "password2": "quiet-lantern-harbour-7",
    }
    answers = [client.post(reverse("signup"), data, REMOTE_ADDR="10.3.3.3").status_code for _ in range(12)]
    assert answers == [400] * SIGNUP_TAKEN_PER_IP + [429] * (12 - SIGNUP_TAKEN_PER_IP)
    fresh = {**data, "email": "new.person@example.com"}
    assert client.post(reverse("signup"), fresh, REMOTE_ADDR="10.3.3.3").status_code == 302
