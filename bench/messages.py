"""Benchmark: N 알림톡 (default 10,000) from the sweep through a real Celery worker to the local
SOLAPI fake (``notifications/tests/fake_solapi.py``, a real HTTP server on 127.0.0.1 checking
every request's HMAC signature), counting what the fake accepted per outbox row; then the
delivery reports, with a tenth of the recipients having no KakaoTalk, so their 알림톡 falls
back to one SMS each.

    .venv/bin/python -m bench.messages [--count 10000] [--concurrency 2]

Like ``bench/reminders.py`` it uses the worktree's embedded PostgreSQL and Redis (database 5),
a throwaway database ``maeul_bench`` dropped at the end, and timeouts on every wait. The
deadline kind also makes one email per resident; those rows are deleted before the worker
starts, so the figures are the phone channel's alone (emails: ``bench/reminders.py``).
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# Run as a script, bench/ would come first on the path and bench/http.py would hide the standard library's.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BASE_DIR / "bench"]
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from bench.reminders import BENCH_DATABASE, create_world, recreate_database, wait_for, with_database  # noqa: E402

SEND_TIMEOUT_SECONDS = 900
UNDELIVERABLE_EVERY = 10


def phone(n: int) -> str:
    return f"010-{n // 10000:04d}-{n % 10000:04d}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    from notifications.tests.fake_solapi import FakeSolapi
    from portal.dev import servers

    with servers(), FakeSolapi() as fake:
        admin_url = with_database(os.environ["DATABASE_URL"], "postgres")
        recreate_database(admin_url, BENCH_DATABASE)
        os.environ["DATABASE_URL"] = with_database(os.environ["DATABASE_URL"], BENCH_DATABASE)
        os.environ["REDIS_URL"] = with_database(os.environ["REDIS_URL"], "5")
        os.environ.update(fake.env())
        os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
        try:
            return run(args, fake)
        finally:
            from django.db import connections

            connections.close_all()
            recreate_database(admin_url, BENCH_DATABASE, drop_only=True)


def calibrate_send_queries(sample: int) -> tuple[float, float]:
    """The worker's code path in-process on ``sample`` extra 알림톡 rows: (queries, seconds) per text."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import conf, sending
    from notifications.models import Message

    connection.queries_log.clear()  # a full log (9,000 entries) would make the count read 0
    rows = Message.objects.bulk_create(
        Message(
            channel="alimtalk",
            recipient=phone(n),
            kind="bench",
            subject="s",
            body_text="[마을공동체 포털] 시험",
            template_code="MAEUL_BENCH",
            dedup_key=f"bench:{n}",
        )
        for n in range(sample)
    )
    ids = [row.pk for row in rows]
    size = conf.get("BATCH_SIZE")
    started = time.monotonic()
    with CaptureQueriesContext(connection) as context:
        for start in range(0, len(ids), size):
            sending.send_many(ids[start : start + size])
    return len(context.captured_queries) / sample, (time.monotonic() - started) / sample


def run(args, fake) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count

    from accounts.models import User
    from notifications.models import Message
    from notifications.services import enqueue_batches
    from notifications.sweep import sweep
    from portal.celery import app as celery_app
    from tests.workers import celery_worker

    for name, value in fake.settings().items():
        setattr(settings, name, value)
    settings.NOTIFICATIONS_REPORT_AFTER_SECONDS = 0
    logging.getLogger("notifications").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    create_world(args.count)
    users = list(User.objects.order_by("pk"))
    for n, user in enumerate(users):
        user.phone = phone(n)
    User.objects.bulk_update(users, ["phone"], batch_size=1000)
    fake.undeliverable.update(phone(n).replace("-", "") for n in range(0, len(users), UNDELIVERABLE_EVERY))
    celery_app.control.purge()

    started = time.monotonic()
    result = sweep(kinds=["draft_deadline"])
    swept = time.monotonic() - started
    Message.objects.emails().delete()
    celery_app.control.purge()
    texts = list(Message.objects.texts().values_list("pk", flat=True))
    print(f"sweep: {result.created.get('draft_deadline', 0)} rows (emails and 알림톡) in {swept:.1f}s")

    with celery_worker(concurrency=args.concurrency, extra_env=dict(os.environ)):
        started = time.monotonic()
        enqueue_batches(texts)
        wait_for(lambda: fake.total >= len(texts), timeout=SEND_TIMEOUT_SECONDS, what="every 알림톡 at the provider")
        sending = time.monotonic() - started
        wait_for(
            lambda: not Message.objects.exclude(status=Message.Status.SENT).exists(),
            timeout=60,
            what="every row marked sent",
        )
        started = time.monotonic()
        reports = sweep(kinds=[]).reports
        while reports.get("delivered", 0) + reports.get("undelivered", 0) < len(texts):
            more = sweep(kinds=[]).reports
            if not more.get("delivered") and not more.get("undelivered"):
                break
            reports = {key: reports.get(key, 0) + more.get(key, 0) for key in set(reports) | set(more)}
        polled = time.monotonic() - started
        fallbacks = reports.get("fallbacks", 0)
        wait_for(lambda: fake.total >= len(texts) + fallbacks, timeout=SEND_TIMEOUT_SECONDS, what="every fallback")
        wait_for(
            lambda: not Message.objects.exclude(status=Message.Status.SENT).exists(),
            timeout=60,
            what="every fallback marked sent",
        )

    statuses = {
        f"{channel}/{status}": n
        for channel, status, n in Message.objects.values_list("channel", "status").annotate(n=Count("id")).order_by()
    }
    doubled = sum(1 for count in fake.accepted.values() if count > 1)
    accepted = fake.total
    ok = accepted == len(texts) + fallbacks and doubled == 0 and fallbacks == len(fake.undeliverable)
    queries, seconds = calibrate_send_queries(500)
    print(f"sending: {len(texts)} 알림톡 accepted by the provider in {sending:.1f}s = {len(texts) / sending:.0f}/s")
    print(f"reports: {reports} in {polled:.1f}s ({len(texts) / polled:.0f} reports/s, one GET each)")
    print(f"rows: {statuses}; provider accepted {accepted} messages, {doubled} doubled")
    print(f"queries per text sent: {queries:.3f}; in-process send path: {1 / seconds:.0f} texts/s (one process)")
    print("RESULT:", "every text exactly once, every undelivered 알림톡 one SMS" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
