import pytest
from django.conf import settings
from django.db.backends.postgresql.base import DatabaseWrapper

from portal import health
from tests.workers import celery_worker


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
