import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The default PBKDF2 costs ~0.5 s per user on this machine; tests need no real hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
