"""A real Celery worker in a subprocess, pointed at the test database and the test Redis."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

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
