"""The admin is a client of the services: a forum's capacity, attendance and a decision's
"done" go through ``networks.services`` or are read-only. Posted the way a browser posts the
admin's change form (every field, inlines included)."""

import pytest
from django.urls import reverse

from networks.models import Decision, Forum, ForumRegistration
from networks.tests.factories import DecisionFactory, ForumRegistrationFactory
from tests.factories import ForumFactory, UserFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def _change_page(client, forum):
    url = reverse("admin:networks_forum_change", args=[forum.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, response


@pytest.fixture
def full_forum(network):
    forum = ForumFactory(network=network, capacity=20)
    for _ in range(3):
        ForumRegistrationFactory(forum=forum, user=UserFactory())
    return forum


def test_staff_cannot_lower_a_forum_capacity_below_its_registrations(client, staff, full_forum):
    client.force_login(staff)
    url, page = _change_page(client, full_forum)
    data = form_data(page.content, "forum_form", _save="Save")
    data["capacity"] = "2"
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["capacity"]] == ["capacity_below_registrations"]
    full_forum.refresh_from_db()
    assert full_forum.capacity == 20

    data["capacity"] = "3"
    assert client.post(url, data).status_code == 302
    full_forum.refresh_from_db()
    assert full_forum.capacity == 3


def test_attendance_cannot_be_typed_into_the_registration_inline(client, staff, full_forum):
    client.force_login(staff)
    url, page = _change_page(client, full_forum)
    data = form_data(page.content, "forum_form", _save="Save")
    assert not [name for name in data if name.startswith("registrations-") and name.endswith("-attended")]
    data["registrations-0-attended"] = "true"  # a crafted post changes nothing either
    assert client.post(url, data).status_code == 302
    assert not ForumRegistration.objects.filter(forum=full_forum, attended__isnull=False).exists()


def test_a_decision_is_marked_done_through_the_service_not_typed(client, staff, started_forum):
    decision = DecisionFactory(forum=started_forum)
    client.force_login(staff)
    url, page = _change_page(client, started_forum)
    data = form_data(page.content, "forum_form", _save="Save")
    assert not [name for name in data if name.startswith("decisions-") and "done_at" in name]
    assert client.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert decision.done_at is None

    changelist = reverse("admin:networks_decision_changelist")
    response = client.post(changelist, {"action": "mark_done", "_selected_action": [decision.pk]})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.done_at is not None


def test_a_decision_cannot_be_added_to_a_forum_that_has_not_started(client, staff, upcoming_forum):
    client.force_login(staff)
    url, page = _change_page(client, upcoming_forum)
    data = form_data(page.content, "forum_form", _save="Save")
    data.update({"decisions-TOTAL_FORMS": "1", "decisions-0-text": "미리 정한 결정", "decisions-0-owner": "총무"})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert not Decision.objects.filter(forum=upcoming_forum).exists()
    assert Forum.objects.filter(pk=upcoming_forum.pk).exists()
