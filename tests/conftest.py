import pytest

from tests.world import build_world


@pytest.fixture
def world(db, media_root):
    """The small complete portal of tests/world.py, its files under the test's temporary MEDIA_ROOT
    (the root conftest's ``media_root``)."""
    return build_world()
