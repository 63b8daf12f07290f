"""Texts and emails through a real Celery worker, real Redis, the local SMTP sink and the local
SOLAPI fake. "Exactly once" is counted at the outside world: the SMTP sink per dedup header,
the fake per outbox row it accepted."""

import datetime
import os
import signal
import time

import pytest
from django.db.models import Count
from django.utils import timezone

from notifications.models import Message
from notifications.services import set_channel
from notifications.sweep import sweep
from notifications.tests.conftest import TEXT_KIND, bulk_users, text_kind
from tests.workers import celery_worker, wait_until_idle

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def with_phones(users):
    for n, user in enumerate(users):
        user.phone = f"010-7{n:03d}-{n:04d}"
        user.save(update_fields=["phone"])
    return users


def wait_until(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            statuses = dict(Message.objects.values_list("channel", "status").annotate(n=Count("id")).order_by())
            raise AssertionError(f"{what} did not happen in time: {statuses}")
        time.sleep(0.2)


def all_sent():
    return not Message.objects.exclude(status=Message.Status.SENT).exists()


def test_every_channel_goes_out_through_a_real_worker_exactly_once_and_undelivered_alimtalk_once_by_sms(
    smtp_sink, fake_solapi, empty_queue, settings
):
    users = with_phones(bulk_users(260, prefix="texts"))
    for user in users[:40]:
        set_channel(user=user, channel="sms")
    for user in users[40:60]:
        set_channel(user=user, channel="email")
    undeliverable = users[60:90]
    fake_solapi.undeliverable.update(user.phone.replace("-", "") for user in undeliverable)

    with text_kind(users):
        result = sweep(kinds=[TEXT_KIND])
    assert result.created == {TEXT_KIND: 260 + 240}
    env = {**smtp_sink.env(), **fake_solapi.env()}
    with celery_worker(extra_env=env) as worker:
        assert fake_solapi.wait_for(240, timeout=120), f"only {fake_solapi.total} of 240 texts arrived"
        assert smtp_sink.wait_for(260, timeout=120), f"only {smtp_sink.total} of 260 emails arrived"
        wait_until(all_sent, timeout=30, what="every row sent")
        # The delivery reports come in; 30 알림톡 could not be delivered and fall back to SMS.
        settings.NOTIFICATIONS_REPORT_AFTER_SECONDS = 0
        reports = sweep(kinds=[]).reports
        assert reports == {"delivered": 210, "undelivered": 30, "pending": 0, "fallbacks": 30}
        assert sweep(kinds=[]).reports["fallbacks"] == 0
        assert fake_solapi.wait_for(270, timeout=60), f"only {fake_solapi.total} of 270 texts arrived"
        wait_until(all_sent, timeout=30, what="every fallback sent")
        wait_until_idle(worker)  # a duplicate would have arrived by now; none may

    assert smtp_sink.total == 260
    assert set(smtp_sink.counts.values()) == {1}
    texts = Message.objects.texts()
    assert texts.count() == 270
    assert fake_solapi.total == 270
    assert set(fake_solapi.accepted.values()) == {1}
    assert set(fake_solapi.accepted) == {str(pk) for pk in texts.values_list("pk", flat=True)}
    by_type = {kind: len(fake_solapi.of_type(kind)) for kind in ("ATA", "SMS", "LMS")}
    assert by_type["ATA"] == 200
    assert by_type["SMS"] + by_type["LMS"] == 70  # 40 chose text messages, 30 fell back
    fallen_back = {row.user_id for row in texts.filter(fallback_of__isnull=False)}
    assert fallen_back == {user.pk for user in undeliverable}


def test_a_worker_killed_mid_batch_of_texts_loses_none_and_doubles_none(fake_solapi, empty_queue, settings):
    """As the email test does with SMTP: the fake holds every request once 60 texts were accepted
    (held requests are never accepted), we SIGKILL the worker, a sweep re-queues the rows it had
    claimed and a new worker finishes. Killed in the window after the provider accepted a text and
    before ``sent`` committed, that text would be sent twice (``notifications.sending``)."""
    users = with_phones(bulk_users(200, prefix="kill"))
    for user in users:
        set_channel(user=user, channel="sms")
    with text_kind(users):
        sweep(kinds=[TEXT_KIND])
    Message.objects.emails().delete()  # this test is about texts
    fake_solapi.hold_after = 60
    env = {**fake_solapi.env(), "SOLAPI_TIMEOUT_SECONDS": "60"}

    with celery_worker(concurrency=2, extra_env=env) as worker:
        # Both processes held (nothing accepted in flight) and every accepted text committed ``sent``.
        wait_until(
            lambda: (
                fake_solapi.held >= 2
                and Message.objects.filter(status=Message.Status.SENT).count() == fake_solapi.total
            ),
            timeout=60,
            what="both worker processes held with every accepted text marked sent",
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    accepted_before_kill = fake_solapi.total
    assert Message.objects.filter(status=Message.Status.SENT).count() == accepted_before_kill
    stuck = Message.objects.filter(status=Message.Status.SENDING).count()
    assert stuck > 0, "the kill should have left claimed rows behind"
    fake_solapi.hold_after = None
    fake_solapi.release()

    settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS = 1
    settings.NOTIFICATIONS_READY_GRACE_SECONDS = 0
    # This step is about time: the claimed rows must be older than the (one-second) timeout.
    wait_until(
        lambda: (
            not Message.objects.filter(
                status=Message.Status.SENDING, claimed_at__gt=timezone.now() - datetime.timedelta(seconds=1)
            ).exists()
        ),
        timeout=10,
        what="every stuck claim older than the sending timeout",
    )
    assert sweep(kinds=[]).requeued_stuck == stuck
    with celery_worker(extra_env=fake_solapi.env()) as worker:
        assert fake_solapi.wait_for(200, timeout=90), f"only {fake_solapi.total} of 200 arrived"
        wait_until(all_sent, timeout=30, what="every text sent")
        wait_until_idle(worker)  # then a second send of any row would have arrived

    assert fake_solapi.total == 200
    assert len(fake_solapi.accepted) == 200
    assert set(fake_solapi.accepted.values()) == {1}
