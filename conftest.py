"""Project-wide pytest fixtures: the cast of users and a real headless Chromium.

Tests run against the real PostgreSQL and Redis that ``make test`` starts (or that
DATABASE_URL / REDIS_URL name), and need every Debian package in ``debian-packages.txt``
(``make install`` brings them): without one the run stops before the first test, naming it.
No test is ever skipped for a missing system package.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import PASSWORD, CommunityGroupFactory, MentorFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from
# the test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"


def missing_system_needs() -> list[str]:
    """What this machine lacks of debian-packages.txt (bin/system-packages is the one check),
    and Chromium at CHROMIUM_PATH."""
    check = subprocess.run([ROOT / "bin" / "system-packages", "--check"], capture_output=True, text=True, check=False)
    missing = [f"Debian package {name}" for name in check.stdout.split()]
    if check.returncode and not missing:
        missing.append(check.stderr.strip() or f"bin/system-packages --check exited {check.returncode}")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing.append(f"Chromium at {CHROMIUM} (CHROMIUM_PATH)")
    return missing


def pytest_configure(config):
    missing = missing_system_needs()
    if missing:
        raise pytest.UsageError(
            f"Missing: {', '.join(missing)}. `make test` installs the Debian packages "
            "(as root; otherwise it prints the one command to run)."
        )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs about half a second a user here; test users need no real hashing.
    Logins still check the password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_public_cache():
    """Each test starts with nothing cached: the database rolls back between tests, a Redis
    cache would not (``portal.public_cache``)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test's uploads and exports go to its own temporary MEDIA_ROOT, never the developer's
    ``.var/media``; ``tests.workers.celery_worker`` hands it to the worker subprocess too."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def resident(db):
    """A group representative with a group of her own."""
    user = UserFactory(email="resident@example.com", name="김주민")
    CommunityGroupFactory(representative=user, name="햇살마을공동체")
    return user


@pytest.fixture
def other_resident(db):
    user = UserFactory(email="other@example.com", name="박이웃")
    CommunityGroupFactory(representative=user, name="달빛아파트공동체")
    return user


@pytest.fixture
def mentor(db):
    return MentorFactory(user=UserFactory(email="mentor@example.com", name="이멘토")).user


@pytest.fixture
def other_mentor(db):
    return MentorFactory(user=UserFactory(email="mentor2@example.com", name="최멘토")).user


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", name="정주무관", is_staff=True, is_superuser=True)


@pytest.fixture
def anonymous(client):
    return client


# --- Browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def phone_page(browser):
    """A Korean phone-sized (375 px) page."""
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="ko-KR", timezone_id="Asia/Seoul", device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR", timezone_id="Asia/Seoul")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot under test-artifacts/<test name>/<step>.png."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, step: str):
        path = folder / f"{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
