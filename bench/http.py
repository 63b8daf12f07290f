"""Load-test the portal over HTTP, as an operator would, against the practical limit.

    make bench GROUPS=10000                       # seed (once) and measure every page
    .venv/bin/python -m bench.http --groups 300   # the same without make (run as a module:
                                                  # a script named http.py would hide the stdlib)
    make bench GROUPS=100000 ARGS="--duration 10 --only admin"

What it does, every step bounded in count and time, loopback only:
1. starts (or reuses) the checkout's embedded PostgreSQL and Redis (``portal.dev.servers``);
2. creates the database ``maeul_bench_<GROUPS>`` once: migrate, ``seed_demo --groups N``,
   ``ANALYZE`` (``--reseed`` rebuilds it); later runs at the same scale reuse it;
3. serves the portal with production settings (``DJANGO_DEBUG=false``, persistent database
   connections, WhiteNoise's manifest storage after ``collectstatic``) under gunicorn, sync,
   ``--workers`` processes, through ``portal.settings_bench`` which adds only the bare reference
   view ``/__bench__/bare`` (one ``SELECT 1``; never in the production URLs); starts one Celery
   worker so ``/healthz`` has someone to ask;
4. makes one session per role (anonymous, resident1, the busiest mentor, staff) in the bench
   database (``bench/bench_setup.py``);
5. for each page, alternates wrk runs of the bare view and of the page (bare, page, bare), so
   machine noise hits both; prints requests/s, p50/p95/p99 and the ratio to the mean of the two
   bare runs around it; a page that answers anything but 2xx fails the run;
6. a deadline-day write mix (``--mix``): residents saving their project step and browsing
   staff/public pages at the same time; error rate and p95.

It prints a Markdown table (with the load average and the command) to paste into
``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LUA = ROOT / "bench" / "wrk_report.lua"
STARTUP_TIMEOUT = 90


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def database_exists(admin_url: str, name: str) -> bool:
    import psycopg2

    with psycopg2.connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    connection.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str, timeout: int = 1800) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout)


def prepare_database(groups: int, reseed: bool) -> str:
    admin_url = os.environ["DATABASE_URL"]
    name = f"maeul_bench_{groups}"
    url = with_database(admin_url, name)
    if reseed or not database_exists(admin_url, name):
        recreate_database(admin_url, name)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true"}
        manage(env, "migrate", "--noinput", "-v", "0")
        started = time.perf_counter()
        manage(env, "seed_demo", "--groups", str(groups))
        print(f"[bench] seeded {groups} groups in {time.perf_counter() - started:.1f} s", flush=True)
        import psycopg2

        connection = psycopg2.connect(url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        connection.close()
    else:
        print(f"[bench] reusing database {name} (migrating it to this checkout)", flush=True)
        manage({**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true"}, "migrate", "--noinput", "-v", "0")
    return url


def production_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "portal.settings_bench",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(ROOT / ".var" / "bench-static"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def wait_until_serving(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            # base is always http://127.0.0.1:<port>, built by this script
            request = urllib.request.Request(base + "/__bench__/bare", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("[bench] gunicorn did not answer in time")


def wrk(url: str, *, cookie: str, duration: int, connections: int, threads: int) -> dict:
    env = {**os.environ, "WRK_COOKIE": cookie}
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(LUA),
        url,
    ]
    output = subprocess.run(command, env=env, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    result = json.loads(line)
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    return result


def measure(base: str, pages: list[dict], roles: dict, args) -> list[dict]:
    rows = []
    bare_url = base + "/__bench__/bare"
    options = {"duration": args.duration, "connections": args.connections, "threads": min(2, args.connections)}
    previous_bare = wrk(bare_url, cookie="", **options)
    for page in pages:
        result = wrk(base + page["path"], cookie=roles[page["role"]], **options)
        next_bare = wrk(bare_url, cookie="", **options)
        if result["not_ok"] or result["errors"]:
            raise SystemExit(f"[bench] {page['path']} answered {result['not_ok']} non-2xx, {result['errors']} errors")
        bare_rps = (previous_bare["rps"] + next_bare["rps"]) / 2
        rows.append({**page, **result, "bare_rps": bare_rps, "ratio": result["rps"] / bare_rps})
        print(
            f"[bench] {page['name']:<40} {result['rps']:8.1f} rps  p95 {result['p95_ms']:7.1f} ms"
            f"  ratio {result['rps'] / bare_rps:.3f}",
            flush=True,
        )
        previous_bare = next_bare
    return rows


def write_mix(base: str, roles: dict, pages: list[dict], args) -> dict:
    """Residents save their project step while others browse: POSTs with a real CSRF token."""
    import http.cookiejar
    import threading
    import urllib.parse

    resident_step = next((p for p in pages if p["name"] == "/my/applications/<id>/project/"), None)
    if resident_step is None:
        return {}
    browse = [p for p in pages if p["role"] in ("anonymous", "staff") and p["path"] != "/healthz"]
    stop_at = time.monotonic() + args.duration
    results = {"writes": 0, "reads": 0, "errors": 0, "latencies": []}
    lock = threading.Lock()

    def opener(cookie):
        jar = http.cookiejar.CookieJar()
        handler = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        handler.addheaders = [("X-Forwarded-Proto", "https"), ("Cookie", cookie), ("Accept-Language", "ko")]
        return handler

    def record(started, ok, kind):
        with lock:
            results[kind] += 1
            results["latencies"].append((time.perf_counter() - started) * 1000)
            if not ok:
                results["errors"] += 1

    def writer():
        client = opener(roles["resident"])
        url = base + resident_step["path"]
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                page = client.open(url, timeout=10).read().decode()
                fields = dict(re.findall(r'name="([^"]+)"[^>]*?value="([^"]*)"', page))
                for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
                    fields[name] = text
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
                fields["csrfmiddlewaretoken"] = token
                body = urllib.parse.urlencode(fields).encode()
                request = urllib.request.Request(url, data=body, headers={"Referer": "https://127.0.0.1" + url})  # noqa: S310
                status = client.open(request, timeout=10).status
                record(started, status in (200, 302), "writes")
            except Exception:
                record(started, False, "writes")

    def reader(index):
        while time.monotonic() < stop_at:
            page = browse[index % len(browse)]
            index += 1
            client = opener(roles[page["role"]])
            started = time.perf_counter()
            try:
                status = client.open(base + page["path"], timeout=10).status
                record(started, status == 200, "reads")
            except Exception:
                record(started, False, "reads")

    threads = [threading.Thread(target=writer) for _ in range(args.mix_writers)]
    threads += [threading.Thread(target=reader, args=(n,)) for n in range(args.mix_readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + 30)
    latencies = sorted(results["latencies"]) or [0.0]
    total = results["writes"] + results["reads"]
    return {
        "writes": results["writes"],
        "reads": results["reads"],
        "error_rate": results["errors"] / total if total else 0.0,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
    }


def markdown(rows: list[dict], mix: dict, args, groups: int, load: tuple) -> str:
    lines = [
        f"`{' '.join(['bench/http.py', *sys.argv[1:]])}` · {groups:,} groups · gunicorn sync ×{args.workers}"
        f" · wrk {args.connections} connections × {args.duration} s · load average before"
        f" {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "",
        "| page | role | rps | p50 ms | p95 ms | p99 ms | bare rps | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['role']} | {row['rps']:.1f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f}"
            f" | {row['p99_ms']:.1f} | {row['bare_rps']:.1f} | {row['ratio']:.3f} |"
        )
    if mix:
        lines += [
            "",
            f"Write mix ({args.mix_writers} residents saving, {args.mix_readers} browsing, {args.duration} s):"
            f" {mix['writes']} saves, {mix['reads']} reads, error rate {mix['error_rate']:.2%},"
            f" p95 {mix['p95_ms']:.0f} ms.",
        ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=int(os.environ.get("GROUPS") or 10000))
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--only", default="", help="only pages whose kind or name contains this")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--mix", action="store_true", help="also run the deadline-day write mix")
    parser.add_argument("--mix-writers", type=int, default=20)
    parser.add_argument("--mix-readers", type=int, default=8)
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("[bench] wrk is missing: make install brings it (debian-packages.txt)")

    sys.path.insert(0, str(ROOT))
    from portal import dev

    with dev.servers():
        database_url = prepare_database(args.groups, args.reseed)
        env = production_env(database_url)
        manage(env, "collectstatic", "--noinput", "-v", "0")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        processes = [
            subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers)]
                + ["--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"],
                cwd=ROOT,
                env=env,
            ),
            subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "portal", "worker", "-l", "warning", "--concurrency", "1"],
                cwd=ROOT,
                env=env,
            ),
        ]
        try:
            wait_until_serving(base, time.monotonic() + STARTUP_TIMEOUT)
            setup = json.loads(
                subprocess.run(
                    [PYTHON, "-m", "bench.bench_setup"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
                ).stdout
            )
            pages = [p for p in setup["pages"] if args.only in p["kind"] or args.only in p["name"]]
            load = os.getloadavg()
            rows = measure(base, pages, setup["roles"], args)
            mix = write_mix(base, setup["roles"], setup["pages"], args) if args.mix else {}
            table = markdown(rows, mix, args, setup["groups"], load)
            print("\n" + table)
            if args.markdown:
                args.markdown.write_text(table + "\n")
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
