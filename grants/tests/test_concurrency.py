"""Double clicks and two tabs, for real: parallel requests on separate database connections."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from grants.models import Application, StatusChange
from notifications.models import Email

pytestmark = pytest.mark.django_db(transaction=True)


def in_parallel(count: int, work) -> list:
    """Run ``work`` in ``count`` threads released at once; each thread has its own connection."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def logged_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_parallel_starts_create_one_application_and_all_land_on_it(resident, open_round):
    clients = [logged_in_client(resident) for _ in range(4)]
    url = reverse("grants:start_application", args=[open_round.pk])
    iterator = iter(clients)
    lock = threading.Lock()

    def start():
        with lock:
            client = next(iterator)
        return client.post(url)

    responses = in_parallel(4, start)
    application = Application.objects.get()
    assert {response.status_code for response in responses} == {302}
    assert {response.url for response in responses} == {reverse("grants:apply_project", args=[application.pk])}


def test_parallel_submissions_submit_once_and_send_one_receipt(resident, complete_draft):
    clients = [logged_in_client(resident) for _ in range(3)]
    url = reverse("grants:apply_review", args=[complete_draft.pk])
    iterator = iter(clients)
    lock = threading.Lock()

    def submit():
        with lock:
            client = next(iterator)
        return client.post(url)

    responses = in_parallel(3, submit)
    assert {response.status_code for response in responses} == {302}
    assert {response.url for response in responses} == {reverse("grants:application_detail", args=[complete_draft.pk])}
    complete_draft.refresh_from_db()
    assert complete_draft.status == "submitted"
    assert StatusChange.objects.filter(application=complete_draft).count() == 1
    assert Email.objects.filter(kind="application_receipt").count() == 1
