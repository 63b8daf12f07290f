"""Every view against the cast: anonymous, resident, other resident, mentor, other mentor,
staff, the network's coordinator and a coordinator of another network."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from networks import services
from networks.models import Decision, Forum, ForumRegistration, NetworkMembership
from networks.tests.factories import DecisionFactory
from tests.factories import CommunityGroupFactory

CAST = [
    "anonymous",
    "resident",
    "other_resident",
    "mentor",
    "other_mentor",
    "staff",
    "coordinator",
    "other_coordinator",
]
MANAGERS = {"mentor", "other_mentor", "staff", "coordinator"}
HEALTH_READERS = {"mentor", "other_mentor", "staff"}


@pytest.fixture
def as_member(request, client):
    """Log the client in as one of the cast (nobody for ``anonymous``); return (client, user)."""

    def login(name):
        if name == "anonymous":
            return client, None
        user = request.getfixturevalue(name)
        client.force_login(user)
        return client, user

    return login


def expected_for_manager_page(name):
    if name == "anonymous":
        return 302
    return 200 if name in MANAGERS else 403


# --- Public pages -------------------------------------------------------------------------


@pytest.mark.parametrize("name", CAST)
def test_everyone_reads_the_public_network_pages(as_member, name, network, upcoming_forum, resident):
    client, _user = as_member(name)
    group = resident.represented_groups.get()
    urls = [
        reverse("networks:list"),
        reverse("networks:detail", args=[network.pk]),
        reverse("networks:forum", args=[upcoming_forum.pk]),
        reverse("networks:group", args=[group.pk]),
        reverse("networks:calendar_all"),
        reverse("networks:calendar", args=[network.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_public_pages_show_nothing_personal(client, network, upcoming_forum, coordinator):
    representative_group = CommunityGroupFactory(
        dong=network.dong, contact_phone="010-9999-8888", contact_email="secret@example.com"
    )
    ForumRegistration.objects.create(forum=upcoming_forum, user=representative_group.representative)
    pages = [
        reverse("networks:list"),
        reverse("networks:detail", args=[network.pk]),
        reverse("networks:forum", args=[upcoming_forum.pk]),
        reverse("networks:group", args=[representative_group.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert url.startswith(reverse("networks:forum", args=[upcoming_forum.pk])) or representative_group.name in html
        for secret in [
            "010-9999-8888",
            "secret@example.com",
            representative_group.representative.email,
            "coordinator@",
        ]:
            assert secret not in html, (url, secret)
        assert representative_group.representative.name not in html
    assert coordinator.name in client.get(reverse("networks:detail", args=[network.pk])).content.decode()


@pytest.mark.django_db
def test_unknown_network_forum_and_group_are_404(client):
    for name in ["networks:detail", "networks:forum", "networks:group", "networks:calendar"]:
        assert client.get(reverse(name, args=[999999])).status_code == 404


# --- Registrations ------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_to_register(client, upcoming_forum):
    response = client.post(reverse("networks:forum_register", args=[upcoming_forum.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not ForumRegistration.objects.exists()


def test_registering_is_post_only(client, resident, upcoming_forum):
    client.force_login(resident)
    assert client.get(reverse("networks:forum_register", args=[upcoming_forum.pk])).status_code == 405


def test_a_resident_registers_through_the_forum_page(client, resident, upcoming_forum):
    client.force_login(resident)
    group = resident.represented_groups.get()
    response = client.post(reverse("networks:forum_register", args=[upcoming_forum.pk]), {"group": group.pk})
    assert response.status_code == 302
    assert ForumRegistration.objects.get(forum=upcoming_forum, user=resident).group == group


def test_a_resident_cannot_register_for_another_residents_group(client, resident, other_resident, upcoming_forum):
    client.force_login(resident)
    client.post(
        reverse("networks:forum_register", args=[upcoming_forum.pk]),
        {"group": other_resident.represented_groups.get().pk},
    )
    assert not ForumRegistration.objects.exists()


def test_a_full_forum_says_so_on_the_page(client, resident, other_resident, network):
    forum = Forum.objects.create(
        network=network,
        title="작은 모임",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        place="경로당",
        capacity=1,
    )
    services.register(forum=forum, user=other_resident)
    client.force_login(resident)
    response = client.post(reverse("networks:forum_register", args=[forum.pk]), follow=True)
    assert not ForumRegistration.objects.filter(user=resident).exists()
    assert any(message.level_tag == "error" for message in response.context["messages"])


@pytest.mark.parametrize("name", CAST)
def test_my_registrations_lists_only_my_own(as_member, name, upcoming_forum, other_resident):
    services.register(forum=upcoming_forum, user=other_resident)
    client, user = as_member(name)
    response = client.get(reverse("networks:my_registrations"))
    if user is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    shown = list(response.context["registrations"])
    assert all(registration.user == user for registration in shown)
    assert (len(shown) == 1) == (name == "other_resident")


@pytest.mark.parametrize("name", [name for name in CAST if name != "resident"])
def test_nobody_else_cancels_a_residents_registration(as_member, name, upcoming_forum, resident):
    registration = services.register(forum=upcoming_forum, user=resident)
    client, _user = as_member(name)
    response = client.post(reverse("networks:registration_cancel", args=[registration.pk]))
    assert response.status_code == (302 if name == "anonymous" else 404)
    registration.refresh_from_db()
    assert registration.cancelled_at is None


def test_a_resident_cancels_her_registration(client, resident, upcoming_forum):
    registration = services.register(forum=upcoming_forum, user=resident)
    client.force_login(resident)
    assert client.get(reverse("networks:registration_cancel", args=[registration.pk])).status_code == 405
    response = client.post(reverse("networks:registration_cancel", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.cancelled_at is not None


# --- Organising forums ------------------------------------------------------------------


def forum_post_data(**overrides):
    starts_at = timezone.localtime() + datetime.timedelta(days=10)
    data = {
        "title": "풍암호수 산책로 공론장",
        "agenda": "산책로 가로등",
        "starts_at": starts_at.strftime("%Y-%m-%dT19:00"),
        "ends_at": starts_at.strftime("%Y-%m-%dT21:00"),
        "place": "풍암동 행정복지센터",
        "capacity": "30",
        "open_to_all": "on",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("name", CAST)
def test_only_coordinators_mentors_and_staff_schedule_a_forum(as_member, name, network):
    client, user = as_member(name)
    url = reverse("networks:forum_create", args=[network.pk])
    assert client.get(url).status_code == expected_for_manager_page(name)
    response = client.post(url, forum_post_data())
    assert response.status_code == (302 if name == "anonymous" or name in MANAGERS else 403)
    created = Forum.objects.filter(network=network, title="풍암호수 산책로 공론장")
    assert created.exists() == (name in MANAGERS)
    if name in MANAGERS:
        assert created.get().organiser == user


def test_a_new_forum_in_the_past_is_refused_with_an_error_summary(client, coordinator, network):
    client.force_login(coordinator)
    response = client.post(
        reverse("networks:forum_create", args=[network.pk]), forum_post_data(starts_at="2020-01-01T10:00", ends_at="")
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors
    assert 'id="error-summary"' in response.content.decode()


@pytest.mark.parametrize("name", CAST)
def test_only_managers_edit_a_forum(as_member, name, upcoming_forum):
    client, _user = as_member(name)
    url = reverse("networks:forum_edit", args=[upcoming_forum.pk])
    assert client.get(url).status_code == expected_for_manager_page(name)
    client.post(url, forum_post_data(title="바뀐 제목"))
    upcoming_forum.refresh_from_db()
    assert (upcoming_forum.title == "바뀐 제목") == (name in MANAGERS)


@pytest.mark.parametrize("name", CAST)
def test_only_managers_record_attendance_and_minutes(as_member, name, started_forum, resident):
    registration = ForumRegistration.objects.create(forum=started_forum, user=resident)
    client, _user = as_member(name)
    url = reverse("networks:forum_record", args=[started_forum.pk])
    assert client.get(url).status_code == expected_for_manager_page(name)
    client.post(url, {"attended": [registration.pk], "walk_in_count": "4", "minutes": "가로등 두 곳 요청"})
    started_forum.refresh_from_db()
    assert (started_forum.minutes == "가로등 두 곳 요청") == (name in MANAGERS)


@pytest.mark.parametrize("name", CAST)
def test_only_managers_add_decisions(as_member, name, started_forum):
    client, _user = as_member(name)
    url = reverse("networks:decision_create", args=[started_forum.pk])
    assert client.get(url).status_code == (302 if name == "anonymous" else 405)
    data = {"text": "구청에 가로등 민원을 함께 낸다", "owner": "햇살마을 총무", "due_date": "2030-01-31"}
    response = client.post(url, data)
    assert response.status_code == (302 if name == "anonymous" or name in MANAGERS else 403)
    assert Decision.objects.filter(forum=started_forum).exists() == (name in MANAGERS)


def test_a_decision_without_text_is_shown_again_with_errors(client, coordinator, started_forum):
    client.force_login(coordinator)
    response = client.post(reverse("networks:decision_create", args=[started_forum.pk]), {"text": ""})
    assert response.status_code == 422
    assert "text" in response.context["decision_form"].errors


@pytest.mark.parametrize("name", CAST)
def test_only_managers_mark_a_decision_done(as_member, name, started_forum):
    decision = DecisionFactory(forum=started_forum)
    client, _user = as_member(name)
    client.post(reverse("networks:decision_done", args=[decision.pk]), {"done": "1"})
    decision.refresh_from_db()
    assert (decision.done_at is not None) == (name in MANAGERS)


# --- Regional members -----------------------------------------------------------------------


@pytest.mark.parametrize("name", CAST)
def test_only_managers_add_and_remove_groups_of_a_regional_network(as_member, name, regional_network):
    outsider = CommunityGroupFactory()
    client, _user = as_member(name)
    url = reverse("networks:members", args=[regional_network.pk])
    assert client.get(url).status_code == expected_for_manager_page(name)
    client.post(url, {"group": outsider.pk})
    added = NetworkMembership.objects.filter(network=regional_network, group=outsider)
    assert added.exists() == (name in MANAGERS)

    services.add_group_to_network(network=regional_network, group=outsider)
    client.post(reverse("networks:member_remove", args=[regional_network.pk, outsider.pk]))
    assert added.exists() == (name not in MANAGERS)


def test_a_dong_network_has_no_manual_members_page(client, staff, network):
    client.force_login(staff)
    assert client.get(reverse("networks:members", args=[network.pk])).status_code == 404


# --- Health ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CAST)
def test_only_staff_and_mentors_see_network_health(as_member, name, network):
    client, _user = as_member(name)
    response = client.get(reverse("networks:health"))
    if name == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if name in HEALTH_READERS else 404)


def test_a_group_page_lists_its_networks(client, regional_network, network):
    group = CommunityGroupFactory(dong=network.dong)
    services.add_group_to_network(network=regional_network, group=group)
    html = client.get(reverse("networks:group", args=[group.pk])).content.decode()
    assert network.name in html and regional_network.name in html
