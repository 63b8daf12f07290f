"""Writes to accounts: sign-up, profile, the login attempt record and the portal's one access log."""

import datetime
import enum
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import AccessLog, LoginAttempt, PrivacyRequest, ThrottledRequest, User, normalise_email

LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = datetime.timedelta(minutes=15)
# An office, a community centre or a mobile carrier puts many people behind one address: one
# mistyped name there must not lock everybody out. The account is what a guesser attacks, so
# the account locks after LOCKOUT_FAILURES; the address only at a much higher count, to slow a
# sweep over many accounts.
LOCKOUT_ADDRESS_FAILURES = 50


class LoginOutcome(enum.Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    LOCKED_OUT = "locked_out"


def is_locked_out(*, email: str, ip_address: str | None) -> bool:
    """True when this account failed LOCKOUT_FAILURES times within the window, or this
    address LOCKOUT_ADDRESS_FAILURES times."""
    account, address = LoginAttempt.objects.failure_counts(
        email=normalise_email(email), ip_address=ip_address, since=timezone.now() - LOCKOUT_WINDOW
    )
    return account >= LOCKOUT_FAILURES or address >= LOCKOUT_ADDRESS_FAILURES


@transaction.atomic
def record_login_attempt(*, email: str, ip_address: str | None, succeeded: bool) -> LoginAttempt:
    return LoginAttempt.objects.create(email=normalise_email(email)[:254], ip_address=ip_address, succeeded=succeeded)


def attempt_login(*, email: str, ip_address: str | None, check_password: Callable[[], bool]) -> LoginOutcome:
    """The one way in, for the portal's login and the admin's: refuse a locked account or
    address without checking the password, else run ``check_password`` and record the result.

    The check, the password test and the record run under a PostgreSQL advisory lock on the
    account (held to the end of the transaction), so parallel attempts on one account are
    judged one after another: 30 at once evaluate at most LOCKOUT_FAILURES passwords. The
    address count is not serialised (that would queue every login from a shared office
    behind one lock); under a burst it may overshoot its high threshold by the burst's size.
    """
    key = normalise_email(email)[:254]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"login:{key}"])
        if is_locked_out(email=key, ip_address=ip_address):
            return LoginOutcome.LOCKED_OUT
        succeeded = check_password()
        record_login_attempt(email=key, ip_address=ip_address, succeeded=succeeded)
    if succeeded:
        return LoginOutcome.SUCCEEDED
    return LoginOutcome.LOCKED_OUT if is_locked_out(email=key, ip_address=ip_address) else LoginOutcome.FAILED


# Password reset links: a person who lost a password asks once or twice; an attacker who wants
# to flood someone's mailbox (or the outbox) asks hundreds of times.
RESET_PER_ADDRESS = 3
RESET_PER_IP = 20
RESET_WINDOW = datetime.timedelta(hours=1)
# Sign-up tells whether an address is in use (see docs/security.md); this bounds how fast one
# address (IP) can probe addresses through it.
SIGNUP_TAKEN_PER_IP = 10
SIGNUP_TAKEN_WINDOW = datetime.timedelta(hours=1)


def allow_request(
    *,
    kind: str,
    email: str,
    ip_address: str | None,
    per_address: int | None,
    per_ip: int | None,
    window: datetime.timedelta,
) -> bool:
    """Record one request of ``kind`` and return True, or return False (recording nothing) when
    this address already made ``per_address`` or this IP ``per_ip`` within ``window``.

    Counted under an advisory lock per kind and address, so parallel requests cannot all slip
    under the limit; the IP count is not serialised (see ``attempt_login``)."""
    email = normalise_email(email)[:254]
    since = timezone.now() - window
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"throttle:{kind}:{email}"])
        recent = ThrottledRequest.objects.filter(kind=kind, at__gte=since)
        if per_address is not None and email and recent.filter(email=email).count() >= per_address:
            return False
        if per_ip is not None and ip_address and recent.filter(ip_address=ip_address).count() >= per_ip:
            return False
        ThrottledRequest.objects.create(kind=kind, email=email, ip_address=ip_address)
    return True


def allow_password_reset(*, email: str, ip_address: str | None) -> bool:
    return allow_request(
        kind=ThrottledRequest.Kind.PASSWORD_RESET,
        email=email,
        ip_address=ip_address,
        per_address=RESET_PER_ADDRESS,
        per_ip=RESET_PER_IP,
        window=RESET_WINDOW,
    )


def allow_signup_with_taken_address(*, email: str, ip_address: str | None) -> bool:
    return allow_request(
        kind=ThrottledRequest.Kind.SIGNUP_TAKEN,
        email=email,
        ip_address=ip_address,
        per_address=None,
        per_ip=SIGNUP_TAKEN_PER_IP,
        window=SIGNUP_TAKEN_WINDOW,
    )


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


# --- the person's rights (PIPA §35–37) ---------------------------------------------------------


@transaction.atomic
def privacy_request_create(*, user: User, kind: str, message: str = "") -> PrivacyRequest:
    """Receive a request; its answer is due ``PrivacyRequest.ANSWER_DAYS`` days from today."""
    now = timezone.now()
    return PrivacyRequest.objects.create(
        user=user,
        kind=kind,
        message=message.strip()[:5000],
        created_at=now,
        due_on=timezone.localdate(now) + datetime.timedelta(days=PrivacyRequest.ANSWER_DAYS),
    )


class AlreadyAnswered(Exception):
    pass


@transaction.atomic
def privacy_request_answer(*, request: PrivacyRequest, by: User, status: str, answer: str) -> PrivacyRequest:
    """Record staff's answer (done or refused, with the reason) once, and carry it out:
    an accepted deletion erases the person through every app's eraser (``accounts.personal_data``),
    an accepted suspension stops all non-essential processing (``processing_suspended_at``).
    The person is told by email, whatever the answer."""
    from accounts import personal_data

    locked = PrivacyRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if locked.status != PrivacyRequest.Status.OPEN:
        raise AlreadyAnswered
    if status not in (PrivacyRequest.Status.DONE, PrivacyRequest.Status.REFUSED):
        raise ValueError(status)
    person = locked.user
    recipient, language = person.email, person.preferred_language
    locked.status, locked.answer = status, answer.strip()
    locked.answered_at, locked.answered_by = timezone.now(), by
    locked.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    _tell_the_person(request=locked, recipient=recipient, language=language)
    if status == PrivacyRequest.Status.DONE:
        if locked.kind == PrivacyRequest.Kind.SUSPENSION:
            User.objects.filter(pk=person.pk).update(processing_suspended_at=locked.answered_at)
        elif locked.kind == PrivacyRequest.Kind.DELETION:
            for erase in reversed(personal_data.ERASERS):  # the highest app first, the account last
                erase(person)
    return locked


def _tell_the_person(*, request: PrivacyRequest, recipient: str, language: str) -> None:
    from django.template import loader
    from django.utils import translation

    from notifications.services import queue_email

    with translation.override(language or "ko"):
        context = {"request": request}
        subject = "".join(loader.render_to_string("accounts/email/privacy_answer_subject.txt", context).splitlines())
        body = loader.render_to_string("accounts/email/privacy_answer.txt", context)
    queue_email(
        recipient=recipient,
        user=request.user,
        kind="privacy_answer",
        subject=subject,
        body_text=body,
        dedup_key=f"privacy-answer:request:{request.pk}",
        related=request,
    )
