import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants.tests.conftest import tiny_image
from mentors.models import VisitPhoto

PNG = tiny_image("PNG")


@pytest.fixture
def photo(client, mentor, assignment, media_root):
    client.force_login(mentor)
    upload = SimpleUploadedFile("마을.png", PNG, content_type="image/png")
    client.post(
        reverse("mentors:visit_create", args=[assignment.group_id]),
        {
            "date": timezone.localdate(),
            "kind": "coaching",
            "duration_minutes": 60,
            "photos": [upload],
            "followups-TOTAL_FORMS": 0,
            "followups-INITIAL_FORMS": 0,
        },
    )
    client.logout()
    return VisitPhoto.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("resident", 404), ("other_resident", 404), ("mentor", 200), ("other_mentor", 404), ("staff", 200)],
)
def test_only_the_groups_mentor_and_staff_open_a_visit_photo(client, request, photo, who, status):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("mentors:photo", args=[photo.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_anonymous_visitor_cannot_open_a_visit_photo(client, photo):
    response = client.get(reverse("mentors:photo", args=[photo.pk]))
    assert response.status_code == 302
