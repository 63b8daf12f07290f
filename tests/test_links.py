"""Every link on the pages people start from opens: the mentor's group page, the resident's and
the staff's main pages. A link that answers 404, 500 or throws a logged-in person out is broken."""

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from tests.links import broken_links, page_links


def test_mentor_group_page_links_each_document_and_every_link_opens(client, world):
    client.force_login(world.mentor)
    page = reverse("mentors:group", args=[world.group.pk])
    download = reverse("grants:download_attachment", args=[world.application.pk, world.attachment.pk])

    assert download in page_links(client.get(page).content, page), "the document's name is not a link"
    assert not broken_links(client, page)


def test_mentor_reading_a_residents_document_is_access_logged(client, world):
    client.force_login(world.mentor)
    response = client.get(reverse("grants:download_attachment", args=[world.application.pk, world.attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AccessLog.objects.get(action=AccessLog.Action.DOWNLOAD)
    assert (entry.user, entry.subject, entry.person) == (
        world.mentor,
        world.attachment,
        world.application.group.representative,
    )


@pytest.mark.parametrize(
    "page",
    [
        lambda w: reverse("home"),
        lambda w: reverse("grants:my_applications"),
        lambda w: reverse("grants:application_detail", args=[w.application.pk]),
        lambda w: reverse("grants:group"),
        lambda w: reverse("mentors:group_visits_for_resident", args=[w.group.pk]),
        lambda w: reverse("networks:my_registrations"),
        lambda w: reverse("networks:list"),
        lambda w: reverse("networks:forum", args=[w.forum.pk]),
        lambda w: reverse("profile"),
    ],
    ids=["home", "my-applications", "application", "group", "visits", "my-forums", "networks", "forum", "profile"],
)
def test_every_link_on_the_residents_main_pages_opens(client, world, page):
    client.force_login(world.resident)
    assert not broken_links(client, page(world))


@pytest.mark.parametrize(
    "page",
    [
        lambda w: reverse("mentors:home"),
        lambda w: reverse("mentors:session", args=[w.session.pk]),
    ],
    ids=["mentor-home", "session"],
)
def test_every_link_on_the_mentors_main_pages_opens(client, world, page):
    client.force_login(world.mentor)
    assert not broken_links(client, page(world))


@pytest.mark.parametrize(
    "page",
    [
        lambda w: reverse("admin:index"),
        lambda w: reverse("admin:grants_application_changelist"),
        lambda w: reverse("admin:grants_application_change", args=[w.application.pk]),
        lambda w: reverse("admin:mentors_mentor_coverage"),
    ],
    ids=["admin-index", "applications", "application", "mentor-coverage"],
)
def test_every_link_on_the_staffs_main_pages_opens(client, world, page):
    client.force_login(world.staff)
    assert not broken_links(client, page(world))
