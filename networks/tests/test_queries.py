"""Query counts of the public and list pages stay the same however many groups, registrations
and decisions there are."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks import services
from networks.models import CommunityGroup, ForumRegistration, Network
from networks.tests.factories import DecisionFactory, RegionalNetworkFactory
from tests.factories import DongFactory, ForumFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db

# Anonymous visitor: networks, member group names, coordinator names, upcoming forums.
LIST_MAX_QUERIES = 4
# Network, memberships, coordinators, upcoming forums + their decisions, past forums + their
# decisions, open decisions.
DETAIL_MAX_QUERIES = 8


def build_community(groups: int):
    """Dongs in a region with a regional network, forums with decisions, and ``groups`` groups
    spread over the dongs (bulk-created, then one resync, as a data import would)."""
    region = RegionFactory()
    dongs = [DongFactory(region=region) for _ in range(4)]
    RegionalNetworkFactory(region=region)
    representative = UserFactory()
    CommunityGroup.objects.bulk_create(
        [
            CommunityGroup(name=f"모임{n}", dong=dongs[n % 4], representative=representative, contact_phone="010-1")
            for n in range(groups)
        ]
    )
    services.resync_all()
    network = Network.objects.get(dong=dongs[0])
    ForumFactory(network=network)
    DecisionFactory(forum__network=network)
    return network


def count_queries(client, url):
    cache.clear()  # measure the page as it is built, not as portal.public_cache serves it
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["list", "detail"])
def test_public_pages_query_count_does_not_grow_with_the_number_of_groups(client, page, django_assert_max_num_queries):
    small = build_community(10)
    small_url = reverse("networks:list") if page == "list" else reverse("networks:detail", args=[small.pk])
    small_count = count_queries(client, small_url)

    large = build_community(1000)
    assert large.groups.count() == 250
    large_url = reverse("networks:list") if page == "list" else reverse("networks:detail", args=[large.pk])
    limit = LIST_MAX_QUERIES if page == "list" else DETAIL_MAX_QUERIES
    cache.clear()
    with django_assert_max_num_queries(limit):
        client.get(large_url)
    assert count_queries(client, large_url) == small_count


def test_health_page_query_count_does_not_grow_with_networks(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    build_community(10)
    small = count_queries(client, reverse("networks:health"))
    for _ in range(5):
        build_community(20)
    with django_assert_max_num_queries(small):
        client.get(reverse("networks:health"))


def test_my_registrations_query_count_does_not_grow_with_registrations(client, resident):
    client.force_login(resident)
    ForumRegistration.objects.create(forum=ForumFactory(), user=resident)
    url = reverse("networks:my_registrations")
    one = count_queries(client, url)
    for _ in range(15):
        ForumRegistration.objects.create(forum=ForumFactory(), user=resident, group=resident.represented_groups.get())
    assert count_queries(client, url) == one


def test_forum_page_query_count_does_not_grow_with_registrations_and_decisions(client, staff, started_forum):
    client.force_login(staff)
    url = reverse("networks:forum", args=[started_forum.pk])
    DecisionFactory(forum=started_forum)
    few = count_queries(client, url)
    for _ in range(10):
        DecisionFactory(forum=started_forum)
        ForumRegistration.objects.create(forum=started_forum, user=UserFactory())
    assert count_queries(client, url) == few
