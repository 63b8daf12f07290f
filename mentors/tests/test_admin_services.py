"""The support team's admin goes through the services: a follow-up is marked done with who did
it (``services.mark_follow_up_done``), and a session's attendance stays the mentor's record."""

import pytest
from django.urls import reverse

from mentors.models import SessionInvitation
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def test_staff_mark_a_follow_up_done_in_the_admin_and_it_records_who(client, staff, follow_up):
    client.force_login(staff)
    url = reverse("admin:mentors_coachingvisit_change", args=[follow_up.visit_id])
    page = client.get(url)
    data = form_data(page.content, "coachingvisit_form", _save="Save")
    assert not [name for name in data if name.startswith("follow_ups-") and "done_at" in name]
    data["follow_ups-0-mark_done"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert follow_up.done_by == staff


def test_a_typed_done_date_without_who_is_ignored(client, staff, follow_up):
    client.force_login(staff)
    url = reverse("admin:mentors_coachingvisit_change", args=[follow_up.visit_id])
    data = form_data(client.get(url).content, "coachingvisit_form", _save="Save")
    data["follow_ups-0-done_at_0"], data["follow_ups-0-done_at_1"] = "2026-01-01", "10:00:00"
    assert client.post(url, data).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_at is None and follow_up.done_by is None


def test_session_attendance_is_read_only_in_the_admin(client, staff, session):
    client.force_login(staff)
    url = reverse("admin:mentors_educationsession_change", args=[session.pk])
    data = form_data(client.get(url).content, "educationsession_form", _save="Save")
    assert not [name for name in data if name.endswith("-attended") or name.endswith("-attendees")]
    data["invitations-0-attended"], data["invitations-0-attendees"] = "true", "9"
    assert client.post(url, data).status_code == 302
    invitation = SessionInvitation.objects.get(session=session)
    assert invitation.attended is None and invitation.attendees == 0
