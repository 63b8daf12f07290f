import threading
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model

from notifications.reminders import ReminderDue, ReminderKind, register, unregister
from notifications.tests.smtp import SmtpSink
from portal.celery import app as celery_app

TEST_KIND = "test_batch"


def bulk_users(count: int, *, prefix: str = "batch") -> list:
    """Many users at once: one INSERT, no password hashing (they never log in)."""
    User = get_user_model()
    users = [
        User(
            email=f"{prefix}{n}@example.com", name=f"주민{n}", password="!", preferred_language="ko" if n % 2 else "en"
        )
        for n in range(count)
    ]
    return User.objects.bulk_create(users)


@contextmanager
def batch_kind(users, *, essential: bool = False, barrier: threading.Barrier | None = None):
    """Register a reminder kind that is due for every user in ``users`` (one email each)."""

    def collect(now):
        dues = [
            ReminderDue(
                user=user,
                dedup_key=f"test:batch:user:{user.pk}",
                subject="Test reminder %(n)s",
                subject_params={"n": user.pk},
                template="notifications/email/test_reminder",
            )
            for user in users
        ]
        if barrier is not None:
            barrier.wait(timeout=30)  # both sweeps have collected before either inserts
        return dues

    register(ReminderKind(name=TEST_KIND, label="Test batch", essential=essential, collect=collect))
    try:
        yield TEST_KIND
    finally:
        unregister(TEST_KIND)


@pytest.fixture
def smtp_sink():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def empty_queue():
    """Drop Celery messages left in this worktree's Redis by earlier tests."""
    celery_app.control.purge()
    yield
    celery_app.control.purge()


@contextmanager
def use_broker(url: str):
    """Point this process's Celery app at another Redis for the block."""
    from django.conf import settings

    previous = celery_app.conf.broker_url, settings.CELERY_BROKER_URL

    def reset_pools():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    celery_app.conf.broker_url = settings.CELERY_BROKER_URL = url
    reset_pools()
    try:
        yield
    finally:
        celery_app.conf.broker_url, settings.CELERY_BROKER_URL = previous
        reset_pools()


TEXT_KIND = "test_text"


def sample_text_template():
    from notifications.texts import TextTemplate

    return TextTemplate(
        codes={"ko": "MAEUL_TEST_KO", "en": "MAEUL_TEST_EN"},
        texts={
            "ko": "[마을공동체 포털] #{name}님, 시험 알림입니다.\n#{url}",
            "en": "[Maeul Portal] #{name}, this is a test notice.\n#{url}",
        },
    )


@contextmanager
def text_kind(users, *, essential: bool = True, name: str = TEXT_KIND):
    """Register a kind that may go by email, 알림톡 and SMS and is due for every user in ``users``."""
    from notifications.reminders import EMAIL_AND_TEXT

    def collect(now):
        return [
            ReminderDue(
                user=user,
                dedup_key=f"test:text:user:{user.pk}",
                subject="Test notice %(n)s",
                subject_params={"n": user.pk},
                template="notifications/email/test_reminder",
                link=f"/my/test/{user.pk}/",
            )
            for user in users
        ]

    register(
        ReminderKind(
            name=name,
            label="Test text",
            essential=essential,
            collect=collect,
            channels=EMAIL_AND_TEXT,
            text=sample_text_template(),
        )
    )
    try:
        yield name
    finally:
        unregister(name)


@pytest.fixture
def fake_solapi(settings):
    """A local SOLAPI on 127.0.0.1, configured for this process (``.env()`` for a worker)."""
    from notifications.tests.fake_solapi import FakeSolapi

    with FakeSolapi() as fake:
        for name, value in fake.settings().items():
            setattr(settings, name, value)
        settings.SOLAPI_TIMEOUT_SECONDS = 2
        yield fake
