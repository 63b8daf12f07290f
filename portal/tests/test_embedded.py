"""The embedded PostgreSQL and Redis really start, keep their data, and stop cleanly."""

import psycopg2
import pytest
import redis

from portal import embedded


@pytest.fixture
def var_dir(tmp_path_factory):
    # A short path: PostgreSQL's socket path must fit in 107 bytes.
    return tmp_path_factory.mktemp("ev")


def postgres_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def test_embedded_postgres_starts_keeps_data_and_stops(var_dir):
    server = embedded.start_postgres(var_dir)
    assert server.started_here
    with psycopg2.connect(postgres_dsn(server.url)) as connection, connection.cursor() as cursor:
        cursor.execute("CREATE TABLE kept (value text)")
        cursor.execute("INSERT INTO kept VALUES ('마을')")
    connection.close()
    server.close()
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(postgres_dsn(server.url), connect_timeout=2)

    again = embedded.start_postgres(var_dir)
    try:
        with psycopg2.connect(postgres_dsn(again.url)) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT value FROM kept")
            assert cursor.fetchone() == ("마을",)
        connection.close()
    finally:
        again.close()


def test_a_second_start_reuses_a_running_postgres_and_leaves_it_running(var_dir):
    first = embedded.start_postgres(var_dir)
    try:
        second = embedded.start_postgres(var_dir)
        assert not second.started_here
        second.close()
        with psycopg2.connect(postgres_dsn(first.url)) as connection:
            assert connection.status == psycopg2.extensions.STATUS_READY
        connection.close()
    finally:
        first.close()


def test_embedded_redis_starts_keeps_data_and_stops(var_dir):
    server = embedded.start_redis(var_dir)
    assert server.started_here
    client = redis.Redis.from_url(server.url)
    client.set("village", "햇살")
    server.close()
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(server.url, socket_connect_timeout=1).ping()

    again = embedded.start_redis(var_dir)
    try:
        assert redis.Redis.from_url(again.url).get("village").decode() == "햇살"
    finally:
        again.close()
