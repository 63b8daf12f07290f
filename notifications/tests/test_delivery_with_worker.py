"""Delivery through a real Celery worker subprocess, real Redis and a local SMTP sink.

Every test counts what the SMTP server actually received per ``X-Maeul-Dedup`` header, so
"exactly once" is measured at the outside world, not inferred from our own status column.
"""

import datetime
import os
import signal
import subprocess
import threading
import time

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from notifications.models import Email
from notifications.sweep import sweep
from notifications.tasks import sweep_outbox
from notifications.tests.conftest import batch_kind, bulk_users, use_broker
from portal.embedded import _free_port, _redis_answers, _wait_until, redis_server_binary
from tests.workers import celery_worker, wait_for, wait_until_idle

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_until_all_sent(count: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while Email.objects.filter(status=Email.Status.SENT).count() < count:
        if time.monotonic() > deadline:
            statuses = dict(Email.objects.values_list("status").annotate(n=Count("id")).order_by())
            raise AssertionError(f"not all {count} emails were sent in time: {statuses}")
        time.sleep(0.2)


def test_500_due_reminders_go_out_through_a_real_worker_each_exactly_once(smtp_sink, empty_queue):
    users = bulk_users(500)
    with batch_kind(users) as kind:
        result = sweep(kinds=[kind])
    assert result.created == {kind: 500}
    assert result.enqueued == 500

    with celery_worker(extra_env=smtp_sink.env()):
        assert smtp_sink.wait_for(500, timeout=120), f"only {smtp_sink.total} of 500 arrived"
        wait_until_all_sent(500, timeout=30)

    assert smtp_sink.total == 500
    assert len(smtp_sink.counts) == 500
    assert set(smtp_sink.counts.values()) == {1}
    assert set(smtp_sink.counts) == set(Email.objects.values_list("dedup_key", flat=True))


def test_two_sweeps_at_once_create_and_send_each_reminder_once(smtp_sink, empty_queue):
    users = bulk_users(120)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run_sweep():
        try:
            results.append(sweep(kinds=["test_batch"]))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    with batch_kind(users, barrier=barrier):
        threads = [threading.Thread(target=run_sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors
    assert Email.objects.count() == 120
    assert all(result.errors == [] for result in results)

    with celery_worker(extra_env=smtp_sink.env()) as worker:
        assert smtp_sink.wait_for(120, timeout=60)
        wait_until_all_sent(120, timeout=30)
        # A duplicate enqueue from the second sweep would be handled by now; none may have sent anything.
        wait_until_idle(worker)
    assert smtp_sink.total == 120
    assert set(smtp_sink.counts.values()) == {1}


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(smtp_sink, empty_queue, settings):
    """SIGKILL a worker in the middle of a batch; a new worker and a sweep finish the job.

    The sink holds every connection at ``RCPT`` once 60 messages have arrived, so at the moment
    of the kill each worker process is either waiting at ``RCPT`` (no content transmitted; its row
    is ``sending``) or idle. We wait until both worker processes are held and every accepted
    message is committed ``sent`` (so none is between DATA and its commit). That keeps the kill out of the one window
    exactly-once cannot cover (SMTP accepted, ``sent`` not yet committed: see
    ``notifications.sending``), so here we can assert *exactly* once. Killed there instead, the
    one in-flight email per worker process would be sent twice; it could never be lost.
    """
    users = bulk_users(200)
    with batch_kind(users) as kind:
        sweep(kinds=[kind])
    smtp_sink.hold_after = 60

    with celery_worker(concurrency=2, extra_env=smtp_sink.env()) as worker:
        wait_for(
            lambda: smtp_sink.held >= 2 and Email.objects.filter(status=Email.Status.SENT).count() == smtp_sink.total,
            timeout=60,
            what="both worker processes held at RCPT with every accepted message marked sent",
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    delivered_before_kill = smtp_sink.total
    assert Email.objects.filter(status=Email.Status.SENT).count() == delivered_before_kill
    stuck = Email.objects.filter(status=Email.Status.SENDING).count()
    assert stuck > 0, "the kill should have left claimed rows behind"
    smtp_sink.hold_after = None
    smtp_sink.release()

    settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = 1
    # Chunks the dead worker had prefetched are still ``ready``; let this sweep enqueue them now.
    settings.NOTIFICATIONS_READY_GRACE_SECONDS = 0
    # This step is about time: the claimed rows must be older than the (one-second) timeout.
    wait_for(
        lambda: (
            not Email.objects.filter(
                status=Email.Status.SENDING, claimed_at__gt=timezone.now() - datetime.timedelta(seconds=1)
            ).exists()
        ),
        timeout=10,
        what="every stuck claim to be older than the sending timeout",
    )
    # Sweep before the new worker starts: with a one-second timeout the sweep would otherwise
    # also re-queue rows the new, live worker is sending (why the real timeout exceeds the time limit).
    result = sweep(kinds=[])
    assert result.requeued_stuck == stuck
    with celery_worker(extra_env=smtp_sink.env()) as worker:
        assert smtp_sink.wait_for(200, timeout=90), f"only {smtp_sink.total} of 200 arrived"
        wait_until_all_sent(200, timeout=30)
        wait_until_idle(worker)  # then a second send of any row would have arrived

    assert smtp_sink.total == 200
    assert len(smtp_sink.counts) == 200
    assert set(smtp_sink.counts.values()) == {1}


@pytest.fixture
def own_redis(tmp_path):
    """A separate Redis on a free port, that the test can stop and start again."""
    port = _free_port()
    command = [str(redis_server_binary()), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(tmp_path)]
    command += ["--save", "", "--appendonly", "yes"]
    processes = []

    def start():
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
        processes.append(process)
        _wait_until(lambda: _redis_answers(port), what="test redis", timeout=20)

    def stop():
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)

    start()
    yield type(
        "OwnRedis", (), {"url": f"redis://127.0.0.1:{port}/0", "start": staticmethod(start), "stop": staticmethod(stop)}
    )
    stop()


def test_a_submission_succeeds_at_once_while_redis_is_down_and_its_receipt_goes_out_later(own_redis, smtp_sink):
    from grants import workflow
    from grants.services import transition
    from tests.factories import ApplicationFactory

    application = ApplicationFactory()
    with use_broker(own_redis.url):
        own_redis.stop()
        started = time.monotonic()
        transition(
            application=application,
            to_status=workflow.SUBMITTED,
            by=application.group.representative,
            actor=workflow.RESIDENT,
        )
        elapsed = time.monotonic() - started
        application.refresh_from_db()
        assert application.status == workflow.SUBMITTED
        assert elapsed < 1.5, f"the submission waited {elapsed:.1f}s for Redis"
        receipt = Email.objects.get(kind="application_receipt")
        assert receipt.status == Email.Status.READY

        own_redis.start()
        # The sweep runs as beat would run it: the ``sweep_outbox`` task, inside the worker.
        worker_env = {**smtp_sink.env(), "REDIS_URL": own_redis.url, "NOTIFICATIONS_READY_GRACE_SECONDS": "0"}
        with celery_worker(extra_env=worker_env):
            sweep_outbox.delay()
            assert smtp_sink.wait_for(1, timeout=30)
            wait_until_all_sent(1, timeout=10)

    receipt.refresh_from_db()
    assert receipt.status == Email.Status.SENT
    assert smtp_sink.counts == {receipt.dedup_key: 1}
