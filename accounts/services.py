"""Writes to accounts: sign-up, profile, the login attempt record and the portal's one access log."""

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from accounts.models import AccessLog, LoginAttempt, User, normalise_email

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


def _access_row(*, user, action: str, subject, person, detail: str) -> AccessLog:
    row = AccessLog(user=user, action=action, detail=(detail or "")[:500])
    if isinstance(person, int):
        row.person_id = person
    else:
        row.person = person
    if subject is not None:
        row.subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        row.subject_id = subject.pk
        row.subject_label = str(subject)[:200]
    return row


def access_record(
    *, user, action: str, subject: models.Model | None = None, person: User | int | None = None, detail: str = ""
) -> AccessLog:
    """Write one access-log row: ``user`` did ``action`` (an ``AccessLog.Action``) to ``subject``
    (any saved model instance: an application, an attachment, a photo, a group…), which holds
    ``person``'s data (the user it is about, or their id, when there is one). The one way every app logs a
    read of personal data. ``ContentType`` lookups are cached, so this is one INSERT."""
    row = _access_row(user=user, action=action, subject=subject, person=person, detail=detail)
    row.save()
    return row


def access_record_many(
    *, user, action: str, entries: Iterable[tuple[models.Model | None, User | int | None]], detail: str = ""
) -> list[AccessLog]:
    """One access-log row per ``(subject, person)`` in ``entries``, in a single INSERT: what a list
    page or a bulk action showed to ``user``."""
    rows = [
        _access_row(user=user, action=action, subject=subject, person=person, detail=detail)
        for subject, person in entries
    ]
    return AccessLog.objects.bulk_create(rows) if rows else []
