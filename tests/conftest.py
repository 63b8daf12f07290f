import pytest

from tests.world import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    """The small complete portal of tests/world.py, its files under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()
