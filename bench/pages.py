"""Time the busiest pages against whatever database DATABASE_URL names (seed it first).

    make services                                   # in one shell (or let portal.dev start them)
    .venv/bin/python -m portal.dev manage seed_demo --groups 10000
    .venv/bin/python -m portal.dev manage shell -c "exec(open('bench/pages.py').read())"

Prints, per page, the median and worst of several requests in milliseconds and the number of
database queries. Requests go through Django's test client in-process: no network at all.
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from grants.models import Application, GrantRound
from mentors.models import Assignment

REPEATS = 7


def measure(client, path):
    timings, queries = [], 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(captured)
    return statistics.median(timings), max(timings), queries


def client_for(email):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=email))
    return client


def run():
    open_round = GrantRound.objects.open_now().first()
    busiest_mentor = (
        Assignment.objects.filter(round=open_round)
        .values("mentor__user__email")
        .order_by()
        .annotate()
        .first()["mentor__user__email"]
    )
    application = Application.objects.filter(round=open_round, status="in_review").first()
    pages = [
        ("anonymous", None, "/"),
        ("anonymous", None, "/networks/"),
        ("resident1", "resident1@example.com", "/my/applications/"),
        ("mentor", busiest_mentor, "/mentors/"),
        ("staff", "staff@example.com", "/admin/"),
        ("staff", "staff@example.com", f"/admin/grants/application/?round__id__exact={open_round.pk}"),
        ("staff", "staff@example.com", f"/admin/grants/application/{application.pk}/change/"),
    ]
    print(f"{Application.objects.count():,} applications, {User.objects.count():,} users")
    print(f"{'who':10} {'page':60} {'median ms':>9} {'worst ms':>9} {'queries':>8}")
    for who, email, path in pages:
        client = client_for(email) if email else Client(HTTP_HOST="127.0.0.1")
        median, worst, queries = measure(client, path)
        print(f"{who:10} {path:60} {median:9.1f} {worst:9.1f} {queries:8d}")


run()
