import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from networks import services
from networks.models import Network, NetworkMembership
from networks.tests.factories import RegionalNetworkFactory
from tests.factories import CommunityGroupFactory, DongFactory, RegionFactory

pytestmark = pytest.mark.django_db


def memberships(group):
    return {(m.network_id, m.source) for m in NetworkMembership.objects.filter(group=group)}


def test_a_new_dong_gets_its_dong_network():
    dong = DongFactory(name="풍암동")
    network = Network.objects.get(kind=Network.Kind.DONG, dong=dong)
    assert network.district == dong.district


def test_the_dong_networks_name_is_written_in_the_sites_language_whoever_creates_it(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("ko"):
        dong = DongFactory(name="금호1동")
    assert Network.objects.get(dong=dong).name == "금호1동 village network"


def test_saving_a_dong_again_does_not_create_a_second_network():
    dong = DongFactory()
    dong.save()
    assert Network.objects.filter(dong=dong).count() == 1


def test_a_group_joins_its_dong_network_automatically():
    group = CommunityGroupFactory()
    network = Network.objects.get(dong=group.dong)
    assert memberships(group) == {(network.pk, NetworkMembership.Source.AUTOMATIC)}


def test_a_group_moves_to_its_new_dong_network_when_its_dong_changes():
    group = CommunityGroupFactory()
    old_network = Network.objects.get(dong=group.dong)
    new_dong = DongFactory()
    group.dong = new_dong
    group.save()
    new_network = Network.objects.get(dong=new_dong)
    assert memberships(group) == {(new_network.pk, NetworkMembership.Source.AUTOMATIC)}
    assert not old_network.groups.filter(pk=group.pk).exists()


def test_a_regional_network_takes_the_groups_of_its_regions_dongs():
    region = RegionFactory()
    inside = CommunityGroupFactory(dong=DongFactory(region=region))
    outside = CommunityGroupFactory()
    regional = RegionalNetworkFactory(region=region)
    later = CommunityGroupFactory(dong=DongFactory(region=region))
    assert set(regional.groups.values_list("pk", flat=True)) == {inside.pk, later.pk}
    assert not regional.groups.filter(pk=outside.pk).exists()


def test_moving_a_dong_to_another_region_moves_its_groups_between_regional_networks():
    north, south = RegionFactory(), RegionFactory()
    north_network, south_network = RegionalNetworkFactory(region=north), RegionalNetworkFactory(region=south)
    dong = DongFactory(region=north)
    group = CommunityGroupFactory(dong=dong)
    assert north_network.groups.filter(pk=group.pk).exists()

    dong.region = south
    dong.save()

    assert not north_network.groups.filter(pk=group.pk).exists()
    assert south_network.groups.filter(pk=group.pk).exists()
    assert Network.objects.get(dong=dong).groups.filter(pk=group.pk).exists()


def test_a_group_added_by_hand_stays_through_a_resync_and_a_dong_change():
    regional = RegionalNetworkFactory()
    group = CommunityGroupFactory()
    services.add_group_to_network(network=regional, group=group)
    services.resync_all()
    group.dong = DongFactory()
    group.save()
    membership = NetworkMembership.objects.get(network=regional, group=group)
    assert membership.source == NetworkMembership.Source.MANUAL


def test_a_group_added_by_hand_can_be_removed_but_a_group_by_place_cannot():
    region = RegionFactory()
    regional = RegionalNetworkFactory(region=region)
    by_place = CommunityGroupFactory(dong=DongFactory(region=region))
    by_hand = CommunityGroupFactory()
    services.add_group_to_network(network=regional, group=by_hand)

    services.remove_group_from_network(network=regional, group=by_hand)
    with pytest.raises(ValidationError):
        services.remove_group_from_network(network=regional, group=by_place)

    assert list(regional.groups.all()) == [by_place]


def test_groups_are_not_added_by_hand_to_a_dong_network():
    group = CommunityGroupFactory()
    dong_network = Network.objects.get(dong=DongFactory())
    with pytest.raises(ValidationError):
        services.add_group_to_network(network=dong_network, group=group)


def test_resync_restores_lost_automatic_memberships_and_missing_dong_networks():
    group = CommunityGroupFactory()
    NetworkMembership.objects.filter(group=group).delete()
    Network.objects.filter(dong=group.dong).delete()

    services.resync_all()

    assert Network.objects.get(dong=group.dong).groups.filter(pk=group.pk).exists()
