import datetime

import pytest
from django.utils import timezone

from networks.models import Network
from networks.tests.factories import RegionalNetworkFactory, coordinator_of
from tests.factories import DongFactory, ForumFactory, RegionFactory


@pytest.fixture
def network(db):
    """The dong network of 양동, created with the dong."""
    return Network.objects.get(dong=DongFactory(name="양동"))


@pytest.fixture
def coordinator(network):
    return coordinator_of(network, email="coordinator@example.com", name="한코디")


@pytest.fixture
def other_coordinator(db):
    """Coordinates a different network: no more rights on ``network`` than a resident."""
    return coordinator_of(Network.objects.get(dong=DongFactory()), email="coordinator2@example.com", name="서코디")


@pytest.fixture
def regional_network(network, coordinator):
    regional = RegionalNetworkFactory(region=RegionFactory(name="풍암권역"))
    regional.coordinators.add(coordinator)
    return regional


@pytest.fixture
def upcoming_forum(network):
    return ForumFactory(network=network)


@pytest.fixture
def started_forum(network):
    return ForumFactory(network=network, starts_at=timezone.now() - datetime.timedelta(hours=3))
