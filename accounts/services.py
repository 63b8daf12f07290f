"""Writes to accounts: sign-up, profile and the login attempt record."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import LoginAttempt, User, normalise_email

LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = datetime.timedelta(minutes=15)


def is_locked_out(*, email: str, ip_address: str | None) -> bool:
    """True when this account or this address failed LOCKOUT_FAILURES times within the window."""
    account, address = LoginAttempt.objects.failure_counts(
        email=normalise_email(email), ip_address=ip_address, since=timezone.now() - LOCKOUT_WINDOW
    )
    return account >= LOCKOUT_FAILURES or address >= LOCKOUT_FAILURES


@transaction.atomic
def record_login_attempt(*, email: str, ip_address: str | None, succeeded: bool) -> LoginAttempt:
    return LoginAttempt.objects.create(email=normalise_email(email)[:254], ip_address=ip_address, succeeded=succeeded)


@transaction.atomic
def sign_up(*, email: str, name: str, phone: str, password: str, preferred_language: str = "ko") -> User:
    """Create a resident's account. Only what the programme needs: no registration number."""
    return User.objects.create_user(
        email=email, name=name, phone=phone, password=password, preferred_language=preferred_language
    )


@transaction.atomic
def update_profile(*, user: User, name: str, phone: str, preferred_language: str) -> User:
    user.name = name
    user.phone = phone
    user.preferred_language = preferred_language
    user.save(update_fields=["name", "phone", "preferred_language"])
    return user
