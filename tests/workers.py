"""A real Celery worker in a subprocess, pointed at the test database and the test Redis."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from amqp.exceptions import ChannelError
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    """The URL of the database pytest-django created, so the worker sees the test's rows."""
    settings = connection.settings_dict
    host = settings["HOST"] or ""
    from urllib.parse import quote

    port = f":{settings['PORT']}" if settings["PORT"] else ""
    auth = settings["USER"] + (f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{quote(host, safe='')}{port}/{settings['NAME']}"


@contextmanager
def celery_worker(*, concurrency: int = 2, extra_env: dict | None = None, queues: str | None = None):
    """Start ``celery worker`` and wait until it answers a ping; stop it on exit.

    Yields the ``subprocess.Popen`` so a test can kill it (SIGKILL) mid-batch.
    """
    hostname = f"test-{os.getpid()}-{time.monotonic_ns()}@localhost"
    env = {
        **os.environ,
        "DATABASE_URL": test_database_url(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),  # the test's temporary one (root conftest)
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "-l",
        "warning",
        "--concurrency",
        str(concurrency),
        "-n",
        hostname,
        "--without-mingle",
        "--without-gossip",
    ]
    if queues:
        command += ["-Q", queues]
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
    process.hostname = hostname
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[hostname], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not start")
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(condition, *, timeout: float, what: str, poll: float = 0.05) -> None:
    """Wait until ``condition()`` is true; fail naming ``what`` after ``timeout`` seconds.
    The waits of the real-worker tests: on the condition itself, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(poll)


def _queue_size(name: str) -> int:
    with celery_app.connection_for_read() as connection:
        try:
            return connection.default_channel.queue_declare(queue=name, passive=True).message_count
        except ChannelError:  # Redis keeps no key for an empty queue
            return 0


def _worker_is_idle(hostname: str) -> bool:
    if _queue_size(celery_app.conf.task_default_queue):
        return False
    inspect = celery_app.control.inspect(destination=[hostname], timeout=1.0)
    active, reserved = inspect.active(), inspect.reserved()
    if not active or not reserved or hostname not in active or hostname not in reserved:
        return False  # no answer yet
    return not active[hostname] and not reserved[hostname]


def wait_until_idle(worker, *, timeout: float = 30) -> None:
    """Wait until the queue is empty and ``worker`` (from ``celery_worker``) holds no task, twice
    in a row: every message sent before this call has then been handled, so a test can assert
    that something (a duplicate) did *not* happen."""
    seen_idle = []

    def idle_twice() -> bool:
        seen_idle.append(_worker_is_idle(worker.hostname))
        return seen_idle[-2:] == [True, True]

    wait_for(idle_twice, timeout=timeout, what="the worker to finish every queued task", poll=0.2)
