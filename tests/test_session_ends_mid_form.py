"""A login that ends while someone is filling a form keeps what they typed (accounts/stash.py):
the form sent while logged out leads to a login page that says "다시 로그인해 주세요", and after the
login the same page shows the text again, once."""

import datetime
import json
import re

from django.urls import reverse

from accounts.stash import SESSION_KEY
from tests.factories import PASSWORD
from tests.forms import form_data

PLAN = "4월부터 10월까지 매달 둘째 토요일에 골목 화단을 함께 가꿉니다. 물주기 당번은 단톡방에서 정합니다."


def _typed_project_form(client, world) -> tuple[str, dict]:
    """The drafter opens her project step and types a long plan (then her login ends)."""
    url = reverse("grants:apply_project", args=[world.draft.pk])
    client.force_login(world.drafter)
    data = form_data(client.get(url).content, "project-form")
    data["plan"] = PLAN
    client.logout()
    return url, data


def _restored_fields(html: str) -> list[list[str]]:
    match = re.search(r'<script id="restored-form-fields" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1)) if match else []


def _log_in(client, world, next_url):
    response = client.post(reverse("login"), {"username": world.drafter.email, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    return response


def test_a_form_sent_after_the_login_ended_comes_back_after_logging_in_again(client, world):
    url, data = _typed_project_form(client, world)

    response = client.post(url, data, HTTP_REFERER=f"http://testserver{url}")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url.replace('/', '%2F')}"
    login_page = client.get(response["Location"]).content.decode()
    assert "다시 로그인해 주세요" in login_page
    assert "입력하신 내용은 보관해 두었으니" in login_page

    _log_in(client, world, url)
    page = client.get(url).content.decode()

    assert ["plan", PLAN] in _restored_fields(page)
    assert 'data-testid="restored-form"' in page
    assert "입력하신 내용을 되살려 두었습니다" in page
    world.draft.refresh_from_db()
    assert world.draft.plan != PLAN, "nothing is saved for her: she checks and saves herself"

    again = client.get(url).content.decode()
    assert not _restored_fields(again), "the kept text is put back once"


def test_the_kept_form_never_holds_the_csrf_token_or_a_password(client, world):
    url, data = _typed_project_form(client, world)
    data["password"] = "hunter2-secret"
    client.post(url, data)

    kept = client.session[SESSION_KEY][url]["fields"]
    names = {name for name, _value in kept}
    assert "csrfmiddlewaretoken" not in names and "password" not in names
    assert ["plan", PLAN] in kept


def test_a_form_posted_to_another_address_comes_back_on_the_page_it_was_on(client, world):
    forum_page = reverse("networks:forum", args=[world.forum.pk])
    response = client.post(
        reverse("networks:forum_register", args=[world.forum.pk]),
        {"group": world.group.pk},
        HTTP_REFERER=f"http://testserver{forum_page}",
    )
    assert response["Location"] == f"{reverse('login')}?next={forum_page.replace('/', '%2F')}"


def test_kept_text_expires_after_30_minutes(client, world):
    url, data = _typed_project_form(client, world)
    client.post(url, data)
    session = client.session
    stashes = session[SESSION_KEY]
    stashes[url]["at"] -= datetime.timedelta(minutes=31).total_seconds()
    session[SESSION_KEY] = stashes
    session.save()

    _log_in(client, world, url)
    assert not _restored_fields(client.get(url).content.decode())


def test_following_a_link_after_the_login_ended_asks_plainly_to_log_in_again(client, world):
    client.force_login(world.drafter)
    client.cookies["sessionid"] = "expired-session-key"
    response = client.get(reverse("grants:my_applications"), follow=True)
    assert "계속하려면 다시 로그인해 주세요" in response.content.decode()
