"""Production settings refuse an unsafe configuration and pass the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="maeul.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_checks_with_no_warning():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-0123456789-abcdefghij",
        DJANGO_ALLOWED_HOSTS="maeul.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_settings_are_flagged_by_the_deploy_checks():
    """The deploy check is a real gate: the convenient development settings fail it."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


@pytest.mark.parametrize("value, expected", [("false", False), ("0", False), ("true", True), ("", True)])
def test_debug_flag_reads_the_environment(value, expected):
    from portal.settings import env_bool

    os.environ["_MAEUL_TEST_FLAG"] = value
    try:
        assert env_bool("_MAEUL_TEST_FLAG", True) is expected
    finally:
        del os.environ["_MAEUL_TEST_FLAG"]


def test_korean_is_the_default_language_in_seoul_time():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "ko"
    assert settings.TIME_ZONE == "Asia/Seoul"
    assert settings.USE_TZ is True
    assert [code for code, _name in settings.LANGUAGES] == ["ko", "en"]


def test_production_keeps_database_connections_and_development_does_not():
    script = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    production = run_manage(
        "shell",
        "--no-imports",
        "-c",
        script,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-0123456789-abcdefghij",
        DJANGO_ALLOWED_HOSTS="maeul.example",
    )
    development = run_manage("shell", "--no-imports", "-c", script)
    assert production.stdout.split() == ["60", "True"], production.stderr
    assert development.stdout.split() == ["0", "True"], development.stderr


LINKS_SCRIPT = """
import datetime
from django.utils import timezone
from networks.ical import forums_calendar
from networks.models import Forum, Network
from notifications.rendering import unsubscribe_url

now = timezone.now()
forum = Forum(pk=7, title="f", place="p", agenda="a", starts_at=now, updated_at=now, network=Network(name="n"))
print(unsubscribe_url(user_id=1, kind="deadline"))
print([line for line in forums_calendar([forum], name="n").decode().splitlines() if line.startswith("URL")][0])
"""


@pytest.mark.parametrize(
    "address, base",
    [
        ("127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("9000", "http://127.0.0.1:9000"),
        ("", "http://127.0.0.1:8000"),
    ],
)
def test_in_development_links_in_emails_and_calendars_follow_the_web_address(address, base):
    result = run_manage("shell", "-c", LINKS_SCRIPT, MAEUL_WEB_ADDRESS=address, PORTAL_BASE_URL="")
    assert result.returncode == 0, result.stderr
    unsubscribe, calendar_url = result.stdout.splitlines()[-2:]
    assert unsubscribe.startswith(f"{base}/notifications/unsubscribe/")
    assert calendar_url == f"URL:{base}/networks/forums/7/"


def test_an_explicit_portal_base_url_wins_over_the_web_address():
    result = run_manage(
        "shell", "-c", LINKS_SCRIPT, MAEUL_WEB_ADDRESS="127.0.0.1:8123", PORTAL_BASE_URL="https://maeul.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "URL:https://maeul.example/networks/forums/7/"
