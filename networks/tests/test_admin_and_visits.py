import pytest
from django.urls import reverse

from networks.models import Network, NetworkMembership
from networks.tests.factories import DecisionFactory
from tests.factories import CoachingVisitFactory, CommunityGroupFactory, ForumFactory

pytestmark = pytest.mark.django_db


def test_the_forum_page_counts_mentor_support_visits(client, upcoming_forum):
    CoachingVisitFactory(forum=upcoming_forum)
    CoachingVisitFactory(forum=upcoming_forum)
    CoachingVisitFactory()  # not linked to the forum
    response = client.get(reverse("networks:forum", args=[upcoming_forum.pk]))
    assert response.context["forum"].support_visit_count == 2
    assert "대표님이 정산을 어려워하심" not in response.content.decode()  # a visit's private notes stay private


@pytest.mark.parametrize("model", ["network", "forum", "decision", "networkmembership"])
def test_staff_admin_lists_load(client, staff, model, network):
    DecisionFactory(forum=ForumFactory(network=network))
    client.force_login(staff)
    assert client.get(reverse(f"admin:networks_{model}_changelist")).status_code == 200


def test_the_admin_resync_action_restores_memberships(client, staff, network):
    group = CommunityGroupFactory(dong=network.dong)
    NetworkMembership.objects.all().delete()
    client.force_login(staff)
    response = client.post(
        reverse("admin:networks_network_changelist"),
        {"action": "resync_memberships", "_selected_action": [network.pk]},
    )
    assert response.status_code == 302
    assert Network.objects.get(pk=network.pk).groups.filter(pk=group.pk).exists()


def test_staff_add_a_group_by_hand_to_a_regional_network_in_the_admin(client, staff, regional_network):
    outsider = CommunityGroupFactory()
    client.force_login(staff)
    url = reverse("admin:networks_network_change", args=[regional_network.pk])
    data = {
        "kind": "regional",
        "district": regional_network.district_id,
        "region": regional_network.region_id,
        "dong": "",
        "name": regional_network.name,
        "description": "",
        "coordinators": [user.pk for user in regional_network.coordinators.all()],
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-group": outsider.pk,
        "memberships-0-network": regional_network.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    membership = NetworkMembership.objects.get(network=regional_network, group=outsider)
    assert membership.source == NetworkMembership.Source.MANUAL
