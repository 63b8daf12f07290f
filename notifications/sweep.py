"""The sweep: run every few minutes by Celery beat (``notifications.tasks.sweep_outbox``) or by
hand (``manage.py send_reminders``). It makes the outbox converge, whatever happened before:

1. rows stuck in ``sending`` (their worker died) go back to ``ready``;
2. ``failed`` rows are retried with backoff until ``NOTIFICATIONS_MAX_ATTEMPTS``;
3. every registered reminder kind's due reminders become rows (one per ``dedup_key``);
4. every ``ready`` row whose enqueue may have been lost (Redis down) is enqueued again;
5. texts the provider accepted get their delivery result (``notifications.delivery``), and an
   undelivered 알림톡 its one SMS fallback.

Two sweeps at once are harmless: inserts use ``ON CONFLICT DO NOTHING`` on the unique
``dedup_key`` and sending claims each row with a conditional update.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from notifications import conf, policy
from notifications.delivery import poll_reports
from notifications.models import ChannelPreference, EmailPreference, Message
from notifications.reminders import ReminderDue, ReminderKind, registry
from notifications.rendering import render_email, text_dedup_key, text_row_fields
from notifications.services import enqueue_batches

logger = logging.getLogger(__name__)

LOOKUP_CHUNK = 1000
INSERT_CHUNK = 500


@dataclass
class SweepResult:
    requeued_stuck: int = 0
    retried_failed: int = 0
    created: dict = field(default_factory=dict)
    enqueued: int = 0
    errors: list = field(default_factory=list)
    reports: dict = field(default_factory=dict)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


def sweep(*, now=None, kinds=None) -> SweepResult:
    """Run the four steps above and return what was done. ``kinds`` limits step 3 to some names."""
    now = now or timezone.now()
    result = SweepResult()
    to_enqueue = []

    stuck = requeue_stuck(now=now)
    result.requeued_stuck = len(stuck)
    to_enqueue += stuck

    retried = retry_failed(now=now)
    result.retried_failed = len(retried)
    to_enqueue += retried

    for kind in sorted(registry.values(), key=lambda k: k.name):
        if kind.collect is None or (kinds is not None and kind.name not in kinds):
            continue
        try:
            created_ids = create_reminders(kind=kind, now=now)
        except Exception as error:  # one broken kind must not stop the others' deadlines
            logger.exception("Reminder kind %s failed", kind.name)
            result.errors.append(f"{kind.name}: {error}")
            continue
        result.created[kind.name] = len(created_ids)
        to_enqueue += created_ids

    waiting = Message.objects.waiting(created_before=now - conf.ready_grace()).order_by("pk")
    to_enqueue += list(waiting.values_list("pk", flat=True))
    ids = list(dict.fromkeys(to_enqueue))
    result.enqueued = enqueue_batches(ids) if ids else 0
    try:
        result.reports = poll_reports(now=now)
    except Exception as error:  # reports can wait for the next sweep; reminders cannot
        logger.exception("Polling delivery reports failed")
        result.errors.append(f"delivery reports: {error}")
    return result


def requeue_stuck(*, now) -> list[int]:
    """``sending → ready`` for rows claimed longer ago than the sending timeout (dead worker)."""
    before = now - conf.sending_timeout()
    ids = list(Message.objects.stuck_sending(before=before).values_list("pk", flat=True))
    if not ids:
        return []
    Message.objects.filter(pk__in=ids).stuck_sending(before=before).update(status=Message.Status.READY)
    logger.warning("Re-queued %s outbox messages stuck in sending", len(ids))
    return ids


def retry_failed(*, now) -> list[int]:
    """``failed → ready`` for rows with attempts left whose backoff has passed."""
    candidates = Message.objects.filter(
        status=Message.Status.FAILED, attempts__lt=conf.get("MAX_ATTEMPTS")
    ).values_list("pk", "attempts", "claimed_at")
    ids = [
        pk
        for pk, attempts, claimed_at in candidates
        if claimed_at is None or claimed_at <= now - conf.retry_delay(attempts)
    ]
    if ids:
        Message.objects.filter(pk__in=ids, status=Message.Status.FAILED).update(status=Message.Status.READY)
    return ids


def create_reminders(*, kind: ReminderKind, now) -> list[int]:
    """Turn ``kind``'s due reminders into outbox rows, one per channel ``notifications.policy``
    gives each person; return the ids of rows now ``ready``.

    Queries: one for the switched-off preferences, one for the channel preferences (kinds with
    a text), one per thousand keys to skip existing rows before rendering, one per five hundred
    inserts, one per thousand keys to read the new ids back; plus whatever ``kind.collect``
    needs (each kind keeps that constant).
    """
    due_by_key: dict[str, ReminderDue] = {}
    for due in kind.collect(now):
        due_by_key.setdefault(due.dedup_key, due)
    if not due_by_key:
        return []
    disabled = set()
    if not kind.essential:
        disabled = set(EmailPreference.objects.filter(kind=kind.name, enabled=False).values_list("user_id", flat=True))
    preferences = {}
    if kind.texts:
        user_ids = {due.user.pk for due in due_by_key.values()}
        preferences = {
            preference.user_id: preference
            for chunk in _chunks(sorted(user_ids), LOOKUP_CHUNK)
            for preference in ChannelPreference.objects.filter(user_id__in=chunk)
        }
    wanted: dict[str, tuple[str, ReminderDue]] = {}  # outbox key → (channel, due)
    for key, due in due_by_key.items():
        channels = policy.channels_for(
            user=due.user,
            kind=kind,
            preference=preferences.get(due.user.pk),
            kind_enabled=due.user.pk not in disabled,
        )
        for channel in channels:
            wanted[key if channel == Message.Channel.EMAIL else text_dedup_key(key)] = (channel, due)
    existing = set()
    for chunk in _chunks(list(wanted), LOOKUP_CHUNK):
        existing.update(Message.objects.filter(dedup_key__in=chunk).values_list("dedup_key", flat=True))
    new_keys = [key for key in wanted if key not in existing]
    if not new_keys:
        return []
    rows = [_row(kind, *wanted[key]) for key in new_keys]
    with transaction.atomic():
        Message.objects.bulk_create(rows, batch_size=INSERT_CHUNK, ignore_conflicts=True)
    ids = []
    for chunk in _chunks(new_keys, LOOKUP_CHUNK):
        ids += Message.objects.filter(dedup_key__in=chunk, status=Message.Status.READY).values_list("pk", flat=True)
    return sorted(ids)


def _row(kind: ReminderKind, channel: str, due: ReminderDue) -> Message:
    subject, text, html = render_email(
        user=due.user,
        kind=kind.name,
        subject=due.subject,
        subject_params=due.subject_params,
        template=due.template,
        context=due.context,
    )
    if channel == Message.Channel.EMAIL:
        row = Message(
            channel=channel,
            recipient=due.user.email,
            user=due.user,
            kind=kind.name,
            subject=subject,
            body_text=text,
            body_html=html,
            dedup_key=due.dedup_key,
        )
    else:
        row = Message(
            **text_row_fields(
                user=due.user,
                kind=kind.name,
                channel=channel,
                dedup_key=due.dedup_key,
                subject=subject,
                link=due.link,
                variables=due.text_variables,
            )
        )
    if due.related is not None:
        row.related_type = ContentType.objects.get_for_model(due.related)
        row.related_id = due.related.pk
    return row


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
