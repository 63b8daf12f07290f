"""The lock-out guards every way in (the admin's login too) and holds under concurrency."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import LoginAttempt
from accounts.services import LOCKOUT_FAILURES


def admin_login(client, email, password, ip="10.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": email, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_eight_wrong_passwords_then_the_right_one_do_not_open_the_admin(client, staff, password):
    for attempt in range(8):
        assert admin_login(client, "staff@example.com", "wrong", ip=f"10.0.0.{attempt}").status_code == 200
    response = admin_login(client, "staff@example.com", password, ip="10.9.9.9")
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "locked_out")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302
    assert LoginAttempt.objects.filter(email="staff@example.com", succeeded=False).count() == LOCKOUT_FAILURES


@pytest.mark.django_db
def test_failures_on_the_portal_login_lock_the_admin_login_too(client, staff, password):
    for _ in range(LOCKOUT_FAILURES):
        client.post(reverse("login"), {"username": "staff@example.com", "password": "wrong"})
    assert admin_login(client, "staff@example.com", password).context["form"].has_error("__all__", "locked_out")


@pytest.mark.django_db
def test_the_admin_login_still_admits_staff_and_refuses_residents(client, staff, resident, password):
    assert admin_login(client, "resident@example.com", password).status_code == 200
    assert "_auth_user_id" not in client.session
    assert admin_login(client, "staff@example.com", password).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", ["login", "admin:login"])
def test_thirty_parallel_wrong_attempts_evaluate_at_most_five_passwords(staff, route):
    """Real threads, each with its own PostgreSQL connection, released at one barrier."""
    barrier = threading.Barrier(30)
    statuses, errors = [], []

    def attempt(n):
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = client.post(
                reverse(route), {"username": "staff@example.com", "password": f"wrong-{n}"}, REMOTE_ADDR=f"10.0.1.{n}"
            )
            statuses.append(response.status_code)
        except Exception as error:  # surfaced below: a thread's failure must fail the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert statuses == [200] * 30
    assert LoginAttempt.objects.filter(email="staff@example.com", succeeded=False).count() == LOCKOUT_FAILURES
