"""One rule for reading a resident's document (grants.access.can_read_document), on both
routes that serve one: the resident's download route and the admin's. Every read is logged."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from grants.tests.factories import AttachmentFactory
from grants.tests.helpers import make_in_review, reviewer_group
from tests.factories import AssignmentFactory, GrantRoundFactory, UserFactory


def resident_url(attachment):
    return reverse("grants:download_attachment", args=[attachment.application_id, attachment.pk])


def admin_url(attachment):
    return reverse("admin:grants_attachment_download", args=[attachment.pk])


@pytest.fixture
def attachment(resident, media_root):
    return AttachmentFactory(application=make_in_review(group=resident.represented_groups.get()))


@pytest.fixture
def bare_staff(db):
    """A staff account with no permission at all."""
    return UserFactory(email="bare-staff@example.com", is_staff=True)


@pytest.fixture
def reviewer(db):
    user = UserFactory(email="reviewer@example.com", is_staff=True)
    user.groups.add(reviewer_group())
    return user


@pytest.fixture
def document_clerk(db):
    """A staff member (not a superuser) given the document permission."""
    user = UserFactory(email="clerk@example.com", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_attachment"), Permission.objects.get(codename="view_application")
    )
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bare_staff", "reviewer", "other_resident", "other_mentor"])
def test_nobody_without_the_right_reads_a_document_on_either_route(client, request, attachment, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    assert client.get(resident_url(attachment)).status_code == 404
    response = client.get(admin_url(attachment))
    if user.is_staff:
        assert response.status_code == 403
    else:  # the admin sends anyone who is not staff to its login
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "document_clerk"])
@pytest.mark.parametrize("route", [resident_url, admin_url])
def test_staff_with_the_permission_read_a_document_and_the_read_is_logged(client, request, attachment, who, route):
    reader = request.getfixturevalue(who)
    client.force_login(reader)

    response = client.get(route(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    row = AccessLog.objects.get()
    assert (row.user, row.action, row.subject, row.person_id) == (
        reader,
        AccessLog.Action.DOWNLOAD,
        attachment,
        attachment.application.group.representative_id,
    )


@pytest.mark.django_db
def test_the_representative_reads_their_own_upload_without_a_log_row(client, resident, attachment):
    client.force_login(resident)

    assert client.get(resident_url(attachment)).status_code == 200
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_the_groups_current_mentor_reads_its_documents_and_is_logged(client, mentor, attachment):
    AssignmentFactory(
        mentor=mentor.mentor_profile, group=attachment.application.group, round=attachment.application.round
    )
    client.force_login(mentor)

    assert client.get(resident_url(attachment)).status_code == 200
    assert AccessLog.objects.get().user == mentor


@pytest.mark.django_db
def test_a_mentor_assigned_only_in_an_earlier_round_cannot_read_the_groups_documents(client, mentor, attachment):
    group = attachment.application.group
    last_year = GrantRoundFactory(
        year=2025,
        opens_at=timezone.now() - datetime.timedelta(days=400),
        closes_at=timezone.now() - datetime.timedelta(days=330),
    )
    AssignmentFactory(mentor=mentor.mentor_profile, group=group, round=last_year)
    earlier = AttachmentFactory(application=make_in_review(group=group, round=last_year))
    client.force_login(mentor)

    assert client.get(resident_url(attachment)).status_code == 404
    assert client.get(resident_url(earlier)).status_code == 404
    assert not AccessLog.objects.exists()
