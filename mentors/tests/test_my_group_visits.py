import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_representative_is_taken_to_their_groups_visit_record(client, resident):
    client.force_login(resident)
    response = client.get(reverse("mentors:my_group_visits"))
    group = resident.represented_groups.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mentors:group_visits_for_resident", args=[group.pk])


def test_someone_without_a_group_is_told_to_register_one(client, mentor):
    client.force_login(mentor)
    response = client.get(reverse("mentors:my_group_visits"))
    assert response.status_code == 200
    assert reverse("grants:group") in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("mentors:my_group_visits"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
