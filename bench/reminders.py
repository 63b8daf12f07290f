"""Benchmark: N deadline reminders (default 10,000) from the sweep through a real Celery worker
to a local SMTP sink, counting what the sink received per dedup key.

    .venv/bin/python bench/reminders.py [--count 10000] [--concurrency 2]

Everything stays on this machine: the worktree's embedded PostgreSQL (unix socket) and Redis
(127.0.0.1, its database 5, so test queues are untouched), an aiosmtpd sink on 127.0.0.1, and a
throwaway database ``maeul_bench`` that is dropped at the end. Every wait has a timeout, so the
bench stops by itself.
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

BENCH_DATABASE = "maeul_bench"
SEND_TIMEOUT_SECONDS = 900


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(admin_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    connection.close()


def create_world(count: int):
    """``count`` residents, each representing a group with a draft in a round closing in 2 days."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from grants.models import Application, Field, GrantRound
    from networks.models import CommunityGroup, District, Dong

    district = District.objects.create(name="서구", city="광주광역시", code="gwangju-seogu")
    dong = Dong.objects.create(district=district, name="풍암동", code="D0001")
    field = Field.objects.create(name="돌봄·교육")
    now = timezone.now()
    grant_round = GrantRound.objects.create(
        district=district,
        year=now.year,
        title=f"{now.year} 마을공동체 공모사업",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=2, hours=6),
        budget=360_000_000,
    )
    unusable = make_password(None)  # they never log in; no hashing per user
    users = User.objects.bulk_create(
        User(
            email=f"resident{n}@example.com",
            name=f"주민{n}",
            password=unusable,
            preferred_language="ko" if n % 5 else "en",
        )
        for n in range(count)
    )
    groups = CommunityGroup.objects.bulk_create(
        CommunityGroup(name=f"마을공동체{n}", dong=dong, representative=user, member_count=8)
        for n, user in enumerate(users)
    )
    Application.objects.bulk_create(
        Application(
            group=group, round=grant_round, field=field, title=f"골목 화단 가꾸기 {n}", created_by=group.representative
        )
        for n, group in enumerate(groups)
    )


def wait_for(check, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f}s")
        time.sleep(0.2)


def calibrate_send_queries(sample: int) -> tuple[float, float]:
    """Run the worker's code path in-process on ``sample`` extra rows; return (queries, seconds) per email."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import conf, sending
    from notifications.models import Email

    rows = Email.objects.bulk_create(
        Email(recipient=f"sample{n}@example.com", kind="bench", subject="s", body_text="t", dedup_key=f"bench:{n}")
        for n in range(sample)
    )
    ids = [row.pk for row in rows]
    size = conf.get("BATCH_SIZE")
    started = time.monotonic()
    with CaptureQueriesContext(connection) as context:
        for start in range(0, len(ids), size):
            sending.send_many(ids[start : start + size])
    return len(context.captured_queries) / sample, (time.monotonic() - started) / sample


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    from notifications.tests.smtp import SmtpSink
    from portal.dev import servers

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    with servers(), SmtpSink() as sink:
        admin_url = with_database(os.environ["DATABASE_URL"], "postgres")
        recreate_database(admin_url, BENCH_DATABASE)
        os.environ["DATABASE_URL"] = with_database(os.environ["DATABASE_URL"], BENCH_DATABASE)
        os.environ["REDIS_URL"] = with_database(os.environ["REDIS_URL"], "5")
        os.environ.update(sink.env())
        os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
        try:
            return run(args, sink)
        finally:
            from django.db import connections

            connections.close_all()
            recreate_database(admin_url, BENCH_DATABASE, drop_only=True)


def run(args, sink) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import Email
    from notifications.sweep import sweep
    from portal.celery import app as celery_app
    from tests.workers import celery_worker

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    create_world(args.count)
    print(f"world: {args.count} drafts in a round closing in 2 days ({time.monotonic() - started:.1f}s)")
    celery_app.control.purge()

    with celery_worker(concurrency=args.concurrency, extra_env=dict(os.environ)):
        started = time.monotonic()
        with CaptureQueriesContext(connection) as sweep_queries:
            result = sweep(kinds=["draft_deadline"])
        swept = time.monotonic() - started
        created = result.created.get("draft_deadline", 0)
        print(
            f"sweep: {created} rows created and {result.enqueued} enqueued in {swept:.1f}s "
            f"({created / swept:.0f} rows/s, {len(sweep_queries.captured_queries)} queries)"
        )
        wait_for(lambda: sink.total >= created, timeout=SEND_TIMEOUT_SECONDS, what="the sink to receive every email")
        delivered = time.monotonic() - started
        wait_for(
            lambda: Email.objects.filter(status=Email.Status.SENT).count() >= created,
            timeout=60,
            what="every row to be marked sent",
        )

    duplicates = sum(1 for count in sink.counts.values() if count > 1)
    received, distinct = sink.total, len(sink.counts)
    statuses = dict(Email.objects.values_list("status").annotate(n=django.db.models.Count("id")).order_by())
    send_queries, send_seconds = calibrate_send_queries(500)
    sweep_per_email = len(sweep_queries.captured_queries) / max(created, 1)
    print(f"delivered: {received} messages, {distinct} distinct keys, {duplicates} duplicated; rows {statuses}")
    print(
        f"throughput: {created / delivered:.0f} emails/s end to end (sweep start to last message accepted, "
        f"{delivered:.1f}s; worker concurrency {args.concurrency})"
    )
    print(
        f"queries per email: sweep {sweep_per_email:.3f} + sending {send_queries:.3f} "
        f"= {sweep_per_email + send_queries:.3f}"
    )
    print(
        f"sending phase alone: {created / (delivered - swept):.0f} emails/s "
        f"(last enqueue to last message accepted, {delivered - swept:.1f}s)"
    )
    print(f"in-process check of the send path (one process, 500 emails): {1 / send_seconds:.0f} emails/s")
    ok = received == created == distinct and duplicates == 0
    print("RESULT:", "every email exactly once" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
