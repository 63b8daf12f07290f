"""Every resident-side view against the cast: the group's representative, another resident,
a mentor (assigned or not), staff, and anonymous visitors."""

import pytest
from django.urls import reverse

from grants.models import Application
from tests.factories import AssignmentFactory, MentorFactory

pytestmark = pytest.mark.django_db

READ_STEPS = ["apply_project", "apply_budget", "apply_documents", "apply_consent", "apply_review"]
OWNER_GET_VIEWS = ["application_detail", "withdraw", *READ_STEPS]
OWNER_POST_VIEWS = ["withdraw", *READ_STEPS]


@pytest.fixture
def attachment(complete_draft):
    return complete_draft.attachments.get()


def download_url(attachment):
    return reverse("grants:download_attachment", args=[attachment.application_id, attachment.pk])


@pytest.mark.parametrize("view", OWNER_GET_VIEWS)
def test_the_representative_opens_every_page_of_the_application(client, resident, draft, view):
    client.force_login(resident)
    assert client.get(reverse(f"grants:{view}", args=[draft.pk])).status_code == 200


@pytest.mark.parametrize("view", OWNER_GET_VIEWS)
@pytest.mark.parametrize("who", ["other_resident", "mentor", "staff"])
def test_anyone_else_gets_404_on_the_residents_pages(client, draft, view, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(f"grants:{view}", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("view", OWNER_POST_VIEWS)
def test_another_resident_cannot_post_to_the_application(client, other_resident, draft, view):
    client.force_login(other_resident)
    assert client.post(reverse(f"grants:{view}", args=[draft.pk]), {"title": "hijack"}).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "골목 화단 가꾸기" and draft.status == Application.Status.DRAFT


@pytest.mark.parametrize("view", ["my_applications", "group"])
def test_anonymous_is_sent_to_login_from_my_pages(anonymous, view):
    response = anonymous.get(reverse(f"grants:{view}"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("view", [*OWNER_GET_VIEWS])
def test_anonymous_is_sent_to_login_from_application_pages(anonymous, draft, view):
    response = anonymous.get(reverse(f"grants:{view}", args=[draft.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_anonymous_cannot_start_or_download(anonymous, open_round, attachment):
    assert anonymous.post(reverse("grants:start_application", args=[open_round.pk])).status_code == 302
    response = anonymous.get(download_url(attachment))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_representative_downloads_the_file_as_an_attachment(client, resident, attachment):
    client.force_login(resident)
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_resident_gets_404_on_the_file(client, other_resident, attachment):
    client.force_login(other_resident)
    assert client.get(download_url(attachment)).status_code == 404


def test_a_mentor_not_assigned_to_the_group_gets_404_on_the_file(client, mentor, attachment):
    client.force_login(mentor)
    assert client.get(download_url(attachment)).status_code == 404


def test_the_groups_mentor_downloads_the_file(client, mentor, attachment):
    application = attachment.application
    AssignmentFactory(mentor=mentor.mentor_profile, group=application.group, round=application.round)
    client.force_login(mentor)
    assert client.get(download_url(attachment)).status_code == 200


def test_another_groups_mentor_gets_404_on_the_file(client, other_mentor, other_resident, attachment, open_round):
    AssignmentFactory(
        mentor=other_mentor.mentor_profile, group=other_resident.represented_groups.get(), round=open_round
    )
    client.force_login(other_mentor)
    assert client.get(download_url(attachment)).status_code == 404


def test_staff_download_the_file(client, staff, attachment):
    client.force_login(staff)
    assert client.get(download_url(attachment)).status_code == 200


def test_a_file_id_under_another_application_is_404(client, other_resident, attachment, open_round):
    from tests.factories import ApplicationFactory

    theirs = ApplicationFactory(group=other_resident.represented_groups.get(), round=open_round)
    client.force_login(other_resident)
    url = reverse("grants:download_attachment", args=[theirs.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_another_resident_cannot_delete_the_file(client, other_resident, attachment):
    client.force_login(other_resident)
    url = reverse("grants:delete_attachment", args=[attachment.application_id, attachment.pk])
    assert client.post(url).status_code == 404
    assert attachment.application.attachments.count() == 1


def test_mutating_views_refuse_get(client, resident, attachment, open_round):
    client.force_login(resident)
    url = reverse("grants:delete_attachment", args=[attachment.application_id, attachment.pk])
    assert client.get(url).status_code == 405
    assert client.get(reverse("grants:start_application", args=[open_round.pk])).status_code == 405


def test_mutating_views_need_the_csrf_token(resident, draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.post(reverse("grants:withdraw", args=[draft.pk])).status_code == 403


def test_my_applications_lists_only_my_groups(client, other_resident, draft):
    client.force_login(other_resident)
    response = client.get(reverse("grants:my_applications"))
    assert list(response.context["applications"]) == []


def test_a_mentor_without_group_sees_no_applications(client, draft):
    user = MentorFactory().user
    client.force_login(user)
    assert list(client.get(reverse("grants:my_applications")).context["applications"]) == []


def test_the_group_page_edits_only_my_own_group(client, other_resident, resident):
    client.force_login(other_resident)
    response = client.get(reverse("grants:group"))
    assert response.context["group"].representative == other_resident
