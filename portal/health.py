"""Liveness of the parts the portal needs: the database, Redis and a Celery worker."""

import threading
import time

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


_redis_clients: dict[str, redis.Redis] = {}


def _redis_client() -> redis.Redis:
    """One client (and so one connection pool) per process and URL: a probe every second must
    not open a new TCP connection each time."""
    url = settings.REDIS_URL
    if url not in _redis_clients:
        _redis_clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return _redis_clients[url]


def redis_status() -> str:
    try:
        _redis_client().ping()
        return OK
    except Exception:
        return DOWN


# The worker's answer is kept this long per process: a probe every second from an
# orchestrator (or a load test) must not broadcast a ping per request.
WORKER_STATUS_TTL = 5.0
_worker_cache = {"status": None, "at": 0.0}
_worker_lock = threading.Lock()


def worker_status(timeout: float = 1.0) -> str:
    """``ok`` as soon as one worker answers a ping (``limit=1``: no waiting out the timeout),
    ``down`` when none answers within ``timeout``."""
    try:
        replies = celery_app.control.ping(timeout=timeout, limit=1)
    except Exception:
        return DOWN
    return OK if replies else DOWN


def cached_worker_status(*, ttl: float = WORKER_STATUS_TTL) -> str:
    """``worker_status`` remembered for ``ttl`` seconds in this process."""
    with _worker_lock:
        if _worker_cache["status"] is not None and time.monotonic() - _worker_cache["at"] < ttl:
            return _worker_cache["status"]
        status = worker_status()
        _worker_cache.update(status=status, at=time.monotonic())
        return status


def forget_worker_status() -> None:
    with _worker_lock:
        _worker_cache.update(status=None, at=0.0)


def report() -> dict[str, str]:
    status = {"database": database_status(), "redis": redis_status()}
    status["worker"] = cached_worker_status() if status["redis"] == OK else DOWN
    return status
