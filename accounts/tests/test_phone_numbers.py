"""Mobile numbers are stored in one spelling (010-1234-5678) wherever people type them."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.forms import form_data

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "phone@example.com", "name": "새주민", "password1": "quiet-lantern-harbour-7"}


@pytest.mark.parametrize("typed", ["+82 10-9876-5432", "01098765432", "010 9876 5432", "0082-10-9876-5432"])
def test_sign_up_stores_any_spelling_of_a_mobile_number_normalised(client, typed):
    response = client.post(reverse("signup"), {**SIGNUP, "password2": SIGNUP["password1"], "phone": typed})
    assert response.status_code == 302
    assert User.objects.get(email="phone@example.com").phone == "010-9876-5432"


@pytest.mark.parametrize("typed", ["062-360-7000", "011-123-4567", "010-12-34"])
def test_sign_up_refuses_a_number_that_is_not_a_mobile_one_with_a_korean_message(client, typed):
    with translation.override("ko"):
        response = client.post(
            reverse("signup"),
            {**SIGNUP, "password2": SIGNUP["password1"], "phone": typed},
            HTTP_ACCEPT_LANGUAGE="ko",
        )
    assert response.status_code == 400
    assert "010" in response.context["form"].errors["phone"][0]
    assert "휴대전화" in response.content.decode()
    assert not User.objects.filter(email="phone@example.com").exists()


def test_the_profile_normalises_the_mobile_number(client, resident):
    client.force_login(resident)
    page = client.get(reverse("profile"))
    response = client.post(reverse("profile"), form_data(page.content, phone="+821055556666"))
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "010-5555-6666"


def test_the_group_contact_normalises_a_mobile_number_and_keeps_a_landline(client, resident):
    client.force_login(resident)
    group = resident.represented_groups.get()
    page = client.get(reverse("grants:group"))
    assert client.post(reverse("grants:group"), form_data(page.content, contact_phone="01077778888")).status_code == 302
    group.refresh_from_db()
    assert group.contact_phone == "010-7777-8888"
    page = client.get(reverse("grants:group"))
    assert (
        client.post(reverse("grants:group"), form_data(page.content, contact_phone="062-360-7000")).status_code == 302
    )
    group.refresh_from_db()
    assert group.contact_phone == "062-360-7000"
