import pytest
from django.conf import settings
from django.db.backends.postgresql.base import DatabaseWrapper

from portal import health
from tests.workers import celery_worker


@pytest.fixture(autouse=True)
def fresh_worker_answer():
    """Each test asks the worker itself; the per-process cache would carry one test's answer."""
    health.forget_worker_status()
    yield
    health.forget_worker_status()


@pytest.mark.django_db
def test_healthz_reports_database_and_redis_ok_and_no_worker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "worker": "down"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_healthz_reports_a_running_worker(client):
    with celery_worker(concurrency=1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "worker": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "down"
    assert response.json()["worker"] == "down"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    unreachable = DatabaseWrapper({**settings.DATABASES["default"], "NAME": "no_such_database"})
    monkeypatch.setattr(health, "connection", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert response.json()["redis"] == "ok"


def test_healthz_needs_no_login_and_does_not_redirect(client, db):
    response = client.get("/healthz", follow=False)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_worker_status_returns_with_the_first_answer_not_after_the_timeout():
    """With a worker up, a ping with a 120 s timeout must come back with the first reply.
    The deadline below is a hang detector (a quarter of the timeout), not a speed target."""
    import threading

    answers = []
    with celery_worker(concurrency=1):
        probe = threading.Thread(target=lambda: answers.append(health.worker_status(timeout=120)))
        probe.start()
        probe.join(timeout=30)
        assert not probe.is_alive(), "worker_status waited for the ping timeout although the worker answered"
    assert answers == ["ok"]


@pytest.mark.django_db
def test_the_worker_answer_is_remembered_for_a_few_seconds(monkeypatch):
    calls = []
    monkeypatch.setattr(health, "worker_status", lambda: calls.append(1) or health.DOWN)
    health.forget_worker_status()

    assert [health.cached_worker_status(ttl=60) for _ in range(5)] == [health.DOWN] * 5
    assert len(calls) == 1
    assert health.cached_worker_status(ttl=0) == health.DOWN
    assert len(calls) == 2
    health.forget_worker_status()
