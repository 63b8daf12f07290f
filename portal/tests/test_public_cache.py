"""The public cache serves what is the same for everyone and forgets it when it changes."""

import pytest

from networks.models import Network
from portal import public_cache
from tests.factories import CommunityGroupFactory, NetworkFactory

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
