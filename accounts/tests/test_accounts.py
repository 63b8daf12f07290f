import pytest
from django.urls import reverse

from accounts.models import LoginAttempt, User
from notifications.models import Email

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "New.Person@Example.com",
    "name": "새주민",
    "phone": "010-9876-5432",
    "password1": "quiet-lantern-harbour-7",
    "password2": "quiet-lantern-harbour-7",
}


def login_post(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_sign_up_creates_the_account_logs_in_and_asks_for_the_group(client):
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("grants:group")
    user = User.objects.get(email="new.person@example.com")
    assert (user.name, user.phone) == ("새주민", "010-9876-5432")
    assert client.get(reverse("profile")).status_code == 200


def test_sign_up_asks_for_nothing_beyond_email_name_phone_and_password(client):
    form = client.get(reverse("signup")).context["form"]
    assert set(form.fields) == {"email", "name", "phone", "password1", "password2"}


def test_sign_up_refuses_an_email_already_used_in_any_case(client, resident):
    response = client.post(reverse("signup"), {**SIGNUP, "email": "RESIDENT@example.com"})
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert response.context["error_summary"][0]["id"] == "id_email"


def test_sign_up_refuses_mismatched_or_weak_passwords(client):
    assert client.post(reverse("signup"), {**SIGNUP, "password2": "other-thing-x-9"}).status_code == 400
    assert (
        client.post(reverse("signup"), {**SIGNUP, "password1": "12345678", "password2": "12345678"}).status_code == 400
    )
    assert not User.objects.exists()


def test_login_form_keeps_the_username_and_password_field_names(client):
    assert set(client.get(reverse("login")).context["form"].fields) == {"username", "password"}


def test_login_works_and_is_recorded(client, resident, password):
    assert login_post(client, "resident@example.com", password).status_code == 302
    assert LoginAttempt.objects.get().succeeded


def test_five_failures_lock_the_account_even_from_another_address(client, resident, password):
    for attempt in range(5):
        response = login_post(client, "resident@example.com", "wrong", ip=f"10.0.0.{attempt}")
        assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "locked_out")
    locked = login_post(client, "resident@example.com", password, ip="10.9.9.9")
    assert locked.status_code == 200
    assert locked.context["form"].has_error("__all__", "locked_out")
    assert "_auth_user_id" not in client.session


def test_one_mistyped_account_behind_a_shared_address_does_not_lock_the_office(client, resident, password):
    for _ in range(10):
        login_post(client, "nobody@example.com", "wrong", ip="10.1.1.1")
    assert login_post(client, "resident@example.com", password, ip="10.1.1.1").status_code == 302


def test_fifty_failures_from_one_address_lock_that_address(client, resident, password):
    from accounts.services import LOCKOUT_ADDRESS_FAILURES

    LoginAttempt.objects.bulk_create(
        LoginAttempt(email=f"nobody{n}@example.com", ip_address="10.1.1.1") for n in range(LOCKOUT_ADDRESS_FAILURES - 1)
    )
    assert login_post(client, "resident@example.com", password, ip="10.1.1.1").status_code == 302
    client.logout()
    login_post(client, "last-guess@example.com", "wrong", ip="10.1.1.1")
    response = login_post(client, "resident@example.com", password, ip="10.1.1.1")
    assert response.context["form"].has_error("__all__", "locked_out")
    assert login_post(client, "resident@example.com", password, ip="10.2.2.2").status_code == 302


def test_old_failures_do_not_lock(client, resident, password):
    from datetime import timedelta

    from django.utils import timezone

    long_ago = timezone.now() - timedelta(minutes=16)
    LoginAttempt.objects.bulk_create(
        LoginAttempt(email="resident@example.com", ip_address="10.0.0.1", at=long_ago) for _ in range(5)
    )
    assert login_post(client, "resident@example.com", password).status_code == 302


def test_logout_is_post_only(client, resident):
    client.force_login(resident)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_email_goes_to_the_outbox(client, resident):
    response = client.post(reverse("password_reset"), {"email": "resident@example.com"})
    assert response.status_code == 302
    email = Email.objects.get(kind="password_reset")
    assert email.recipient == "resident@example.com"
    assert "/accounts/reset/" in email.body_text


def test_password_reset_says_nothing_about_unknown_addresses(client):
    assert client.post(reverse("password_reset"), {"email": "ghost@example.com"}).status_code == 302
    assert not Email.objects.exists()


def test_profile_edits_name_phone_and_language(client, resident):
    client.force_login(resident)
    response = client.post(
        reverse("profile"), {"name": "김주민2", "phone": "010-1111-2222", "preferred_language": "en"}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.name, resident.phone, resident.preferred_language) == ("김주민2", "010-1111-2222", "en")


def test_profile_rejects_a_bad_phone_and_keeps_the_old_one(client, resident):
    client.force_login(resident)
    response = client.post(reverse("profile"), {"name": "x", "phone": "call me maybe", "preferred_language": "ko"})
    assert response.status_code == 400
    resident.refresh_from_db()
    assert resident.phone == "010-1234-5678"


def test_anonymous_is_sent_to_login_from_the_profile(anonymous):
    response = anonymous.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_reset_link_from_the_email_sets_a_new_password(client, resident):
    import re

    client.post(reverse("password_reset"), {"email": "resident@example.com"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", Email.objects.get(kind="password_reset").body_text)[1]
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "brand-new-meadow-lantern-3"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.url == reverse("password_reset_complete")
    resident.refresh_from_db()
    assert resident.check_password(new_password)


@pytest.mark.parametrize("typed", ["Resident@Example.com", "RESIDENT@EXAMPLE.COM", "  resident@example.com "])
def test_login_with_the_address_in_another_case_succeeds_and_is_not_a_failure(client, resident, password, typed):
    for attempt in range(4):
        login_post(client, "resident@example.com", "wrong", ip=f"10.0.0.{attempt}")
    response = login_post(client, typed, password)
    assert response.status_code == 302  # a fifth failure would have locked the account
    assert client.session["_auth_user_id"] == str(resident.pk)
    assert LoginAttempt.objects.filter(succeeded=False).count() == 4
    assert LoginAttempt.objects.get(succeeded=True).email == "resident@example.com"


def test_staff_log_in_to_the_admin_in_any_case(client, staff, password):
    response = client.post(reverse("admin:login"), {"username": "Staff@Example.COM", "password": password})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_password_reset_in_another_case_reaches_the_stored_address(client, resident):
    assert client.post(reverse("password_reset"), {"email": "Resident@EXAMPLE.com"}).status_code == 302
    assert Email.objects.get(kind="password_reset").recipient == "resident@example.com"


def test_an_address_is_stored_in_lower_case_whoever_creates_the_account(db):
    user = User.objects.create_user(email="Mixed.Case@Example.com", password="x-quiet-harbour-1", name="가")
    assert user.email == "mixed.case@example.com"
    assert User.objects.get_by_natural_key(" MIXED.case@example.com") == user
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(email="Mixed.Case@Example.com")
