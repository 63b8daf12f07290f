"""The public cache serves what is the same for everyone and forgets it when it changes."""

import datetime

import pytest
from django.utils import timezone

from grants import selectors, services
from networks.models import Network
from portal import public_cache
from tests.factories import ApplicationFactory, CommunityGroupFactory, GrantRoundFactory, NetworkFactory

pytestmark = pytest.mark.django_db


def test_networks_page_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    NetworkFactory(name="농성동 마을네트워크", kind=Network.Kind.DONG)
    client.get("/networks/")  # builds and stores the cards
    with django_assert_num_queries(0):
        response = client.get("/networks/")
    assert "농성동 마을네트워크" in response.content.decode()


def test_a_renamed_network_shows_its_new_name_at_once(client):
    network = NetworkFactory(name="옛 이름 네트워크", kind=Network.Kind.DONG)
    assert "옛 이름 네트워크" in client.get("/networks/").content.decode()
    network.name = "새 이름 네트워크"
    network.save()
    body = client.get("/networks/").content.decode()
    assert "새 이름 네트워크" in body and "옛 이름 네트워크" not in body


def test_a_new_member_group_changes_the_count(client):
    network = NetworkFactory(name="화정동 네트워크", kind=Network.Kind.DONG)
    client.get("/networks/")
    group = CommunityGroupFactory(name="화정 햇살 모임")
    network.memberships.create(group=group)
    assert "화정 햇살 모임" in client.get("/networks/").content.decode()


def test_cards_are_cached_per_language(client):
    NetworkFactory(kind=Network.Kind.DONG)
    korean = client.get("/networks/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/networks/").content.decode()
    assert "동 네트워크" in korean
    assert "Dong networks" in english


def test_the_page_still_works_when_redis_is_unreachable(client, settings):
    # Changing CACHES resets Django's cache handlers (django.test.signals), so the page really
    # talks to a port where nothing listens.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    NetworkFactory(name="끊겨도 보이는 네트워크", kind=Network.Kind.DONG)
    response = client.get("/networks/")
    assert response.status_code == 200
    assert "끊겨도 보이는 네트워크" in response.content.decode()


def test_a_login_does_not_empty_the_cache(resident):
    before = public_cache.version("networks")
    resident.save(update_fields=["last_login"])
    assert public_cache.version("networks") == before
    resident.name = "새 이름"
    resident.save()
    assert public_cache.version("networks") == before + 1


# --- the home page and the results pages ------------------------------------------------------


def test_the_anonymous_home_page_is_served_without_queries_and_shows_a_new_round_at_once(
    client, django_assert_num_queries
):
    GrantRoundFactory(title="2026 마을공동체 공모")
    assert "2026 마을공동체 공모" in client.get("/").content.decode()
    with django_assert_num_queries(0):
        client.get("/")
    GrantRoundFactory(title="2026 아파트공동체 추가 공모")
    assert "2026 아파트공동체 추가 공모" in client.get("/").content.decode()


def test_a_logged_in_resident_gets_their_own_home_page_not_the_cached_one(client, resident):
    round_ = GrantRoundFactory(title="2026 마을공동체 공모")
    apply_form = f'action="/rounds/{round_.pk}/apply/"'
    assert apply_form not in client.get("/").content.decode()  # the anonymous page, now cached
    client.force_login(resident)
    assert apply_form in client.get("/").content.decode()


def test_the_home_page_is_kept_no_longer_than_the_next_closing():
    now = timezone.now()
    GrantRoundFactory(opens_at=now - datetime.timedelta(days=3), closes_at=now + datetime.timedelta(seconds=40))
    assert 38 <= selectors.seconds_until_round_changes(now) <= 40
    assert selectors.seconds_until_round_changes(now + datetime.timedelta(seconds=41)) == 86_400


def test_results_appear_the_moment_staff_publish_them(client, staff):
    closed = GrantRoundFactory(
        opens_at=timezone.now() - datetime.timedelta(days=60), closes_at=timezone.now() - datetime.timedelta(days=1)
    )
    ApplicationFactory(round=closed, status="approved", awarded_amount=5_000_000, title="골목 화단")
    url = f"/rounds/{closed.pk}/results/"
    assert "골목 화단" not in client.get(url).content.decode()  # cached while unpublished

    services.round_publish_results(round_=closed, by=staff)

    assert "골목 화단" in client.get(url).content.decode()
