"""The development launcher behind ``make run`` and ``make test``.

    python -m portal.dev run            # servers, migrate, demo data, web + worker + beat
    python -m portal.dev test [ARGS]    # servers, lint, checks, pytest ARGS
    python -m portal.dev shell-env      # print DATABASE_URL/REDIS_URL lines to export
    python -m portal.dev manage ARGS    # manage.py ARGS with the servers up

PostgreSQL and Redis are started from wheels (``portal/embedded.py``) unless
``DATABASE_URL`` / ``REDIS_URL`` name servers to use. Everything this launcher starts
is stopped when it exits, including on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

from portal import embedded

PYTHON = sys.executable
WEB_ADDRESS = os.environ.get("MAEUL_WEB_ADDRESS", "127.0.0.1:8000")


@contextmanager
def servers():
    """Make sure DATABASE_URL and REDIS_URL point at running servers for the block."""
    started = []
    try:
        if not os.environ.get("DATABASE_URL"):
            postgres = embedded.start_postgres()
            started.append(postgres)
            os.environ["DATABASE_URL"] = postgres.url
            print(f"[dev] PostgreSQL {'started' if postgres.started_here else 'reused'}: {postgres.url}")
        if not os.environ.get("REDIS_URL"):
            redis = embedded.start_redis()
            started.append(redis)
            os.environ["REDIS_URL"] = redis.url
            print(f"[dev] Redis {'started' if redis.started_here else 'reused'}: {redis.url}")
        yield
    finally:
        for server in reversed(started):
            server.close()
        if started:
            print("[dev] embedded servers stopped", flush=True)


def manage(*args: str, check: bool = True) -> int:
    return subprocess.run([PYTHON, "manage.py", *args], check=check).returncode


def _pipe_with_prefix(process: subprocess.Popen, prefix: str) -> None:
    for line in iter(process.stdout.readline, b""):
        sys.stdout.write(f"{prefix} | {line.decode(errors='replace')}")
        sys.stdout.flush()


def run() -> int:
    with servers():
        manage("migrate", "--noinput")
        manage("seed_demo", "--if-empty")
        commands = {
            "web   ": [PYTHON, "manage.py", "runserver", "--noreload", WEB_ADDRESS],
            "worker": [PYTHON, "-m", "celery", "-A", "portal", "worker", "-l", "info", "--concurrency", "2"],
            "beat  ": [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "-l",
                "info",
                "--scheduler",
                "django_celery_beat.schedulers:DatabaseScheduler",
            ],
        }
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        processes = {}
        for name, command in commands.items():
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
            processes[name] = process
            threading.Thread(target=_pipe_with_prefix, args=(process, name), daemon=True).start()
        _print_welcome()
        try:
            while all(p.poll() is None for p in processes.values()):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            _stop_all(processes)
    return 0


def _raise_keyboard_interrupt(*_args) -> None:
    raise KeyboardInterrupt


def _stop_all(processes: dict) -> None:
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    print("[dev] web, worker and beat stopped", flush=True)


def _print_welcome() -> None:
    password = os.environ.get("DEMO_PASSWORD") or _saved_demo_password()
    print(
        "\n"
        f"[dev] Maeul Portal:   http://{WEB_ADDRESS}/\n"
        f"[dev] Admin:          http://{WEB_ADDRESS}/admin/\n"
        f"[dev] Health:         http://{WEB_ADDRESS}/healthz\n"
        "[dev] Demo logins:    staff@example.com, mentor1@example.com … mentor6@example.com,\n"
        "[dev]                 resident1@example.com … (every demo account)\n"
        f"[dev] Demo password:  {password}\n"
        "[dev] Ctrl-C stops everything.\n",
        flush=True,
    )


def _saved_demo_password() -> str:
    path = embedded.VAR_DIR / "demo-password"
    return path.read_text().strip() if path.exists() else "(set DEMO_PASSWORD)"


def test(pytest_args: list[str]) -> int:
    steps = [
        [PYTHON, "-m", "ruff", "check", "."],
        [PYTHON, "-m", "ruff", "format", "--check", "."],
    ]
    for step in steps:
        if subprocess.run(step).returncode:
            return 1
    with servers():
        for args in (["makemigrations", "--check", "--dry-run"], ["check", "--fail-level", "WARNING"]):
            if manage(*args, check=False):
                return 1
        return subprocess.run([PYTHON, "-m", "pytest", *pytest_args]).returncode


def shell_env() -> int:
    with servers():
        print(f"export DATABASE_URL='{os.environ['DATABASE_URL']}'")
        print(f"export REDIS_URL='{os.environ['REDIS_URL']}'")
        print("[dev] servers stay up while this runs; Ctrl-C stops them.", file=sys.stderr)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def main(argv: list[str]) -> int:
    # A shell that starts us in the background without job control leaves SIGINT ignored;
    # Ctrl-C (and SIGTERM) must always stop everything we start.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    command, rest = (argv[0], argv[1:]) if argv else ("run", [])
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    if command == "shell-env":
        return shell_env()
    if command == "manage":
        with servers():
            return manage(*rest, check=False)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
