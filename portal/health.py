"""Liveness of the parts the portal needs: the database, Redis and a Celery worker."""

import redis
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app

OK, DOWN = "ok", "down"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return OK
    except Exception:
        return DOWN


def redis_status() -> str:
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        return OK
    except Exception:
        return DOWN


def worker_status(timeout: float = 1.0) -> str:
    try:
        replies = celery_app.control.ping(timeout=timeout)
    except Exception:
        return DOWN
    return OK if replies else DOWN


def report() -> dict[str, str]:
    status = {"database": database_status(), "redis": redis_status()}
    status["worker"] = worker_status() if status["redis"] == OK else DOWN
    return status
