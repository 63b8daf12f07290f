"""Factories for the networks app's own tests (the shared ones live in tests.factories)."""

import datetime

import factory
from django.utils import timezone

from networks.models import Decision, ForumRegistration, Network
from tests.factories import CommunityGroupFactory, DistrictFactory, ForumFactory, RegionFactory, UserFactory


def coordinator_of(network, **user_fields):
    """A user who coordinates ``network`` (and nothing else)."""
    user = UserFactory(**user_fields)
    network.coordinators.add(user)
    return user


class RegionalNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    kind = Network.Kind.REGIONAL
    region = factory.SubFactory(RegionFactory)
    district = factory.SelfAttribute("region.district")
    dong = None
    name = factory.LazyAttribute(lambda o: f"{o.region.name} 권역네트워크")


class PastForumFactory(ForumFactory):
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3))


class ForumRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumRegistration

    forum = factory.SubFactory(ForumFactory)
    user = factory.SubFactory(UserFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    forum = factory.SubFactory(PastForumFactory)
    text = factory.Sequence(lambda n: f"골목 화단 물주기 당번을 정한다 {n}")
    owner = "햇살마을 총무"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


__all__ = [
    "CommunityGroupFactory",
    "DecisionFactory",
    "DistrictFactory",
    "ForumRegistrationFactory",
    "PastForumFactory",
    "RegionalNetworkFactory",
    "coordinator_of",
]
