"""After the provider accepted a text: its delivery result, and the SMS that replaces an
알림톡 that could not be delivered.

The result arrives by polling (``poll_reports``, run by the sweep): every text still waiting
for its report after ``NOTIFICATIONS_REPORT_AFTER_SECONDS`` is asked about, and its row records
the provider's status code, message and time. An 알림톡 that the provider refused or reported
undelivered gets exactly one SMS/LMS with the same words (``fall_back``): the fallback row's
key is ``<key>|fallback`` and its ``fallback_of`` is one-to-one, so neither a second report,
two sweeps at once nor a retried task can make a second one.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from notifications import conf
from notifications.models import Message
from notifications.providers import ProviderError, get_provider
from notifications.rendering import fallback_dedup_key

logger = logging.getLogger(__name__)


def fall_back(*, alimtalk_ids) -> list[int]:
    """Create the SMS/LMS for each undelivered 알림톡 of ``alimtalk_ids`` that has none yet and
    enqueue it after commit; return the new rows' ids."""
    from notifications.services import enqueue_batches

    originals = list(
        Message.objects.filter(
            pk__in=list(alimtalk_ids),
            channel=Message.Channel.ALIMTALK,
            delivery=Message.Delivery.UNDELIVERED,
            fallback__isnull=True,
        )
    )
    if not originals:
        return []
    rows = [
        Message(
            channel=Message.Channel.SMS,
            recipient=original.recipient,
            user_id=original.user_id,
            kind=original.kind,
            subject=original.subject,
            body_text=original.body_text,
            dedup_key=fallback_dedup_key(original.dedup_key),
            related_type_id=original.related_type_id,
            related_id=original.related_id,
            fallback_of=original,
        )
        for original in originals
    ]
    with transaction.atomic():
        Message.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(
            Message.objects.filter(fallback_of__in=originals, status=Message.Status.READY, attempts=0).values_list(
                "pk", flat=True
            )
        )
    if ids:
        logger.info("%s undelivered KakaoTalk notifications fall back to text messages", len(ids))
        transaction.on_commit(lambda: enqueue_batches(ids))
    return ids


def report_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=conf.get("REPORT_AFTER_SECONDS"))


def poll_reports(*, now=None, limit: int = 500) -> dict:
    """Ask the provider about texts still waiting for their delivery result; record each answer.

    Returns counts ``{"delivered", "undelivered", "pending", "fallbacks"}``. A provider that
    cannot be reached changes nothing (the next sweep asks again).
    """
    now = now or timezone.now()
    waiting = dict(
        Message.objects.awaiting_delivery_report(sent_before=now - report_after())
        .exclude(provider_message_id="")
        .order_by("sent_at")
        .values_list("provider_message_id", "pk")[:limit]
    )
    counts = {"delivered": 0, "undelivered": 0, "pending": 0, "fallbacks": 0}
    if not waiting:
        return counts
    provider = get_provider()
    try:
        reports = provider.reports(list(waiting))
    except ProviderError as error:
        logger.warning("Could not fetch delivery reports: %s", error)
        return counts
    finally:
        provider.close()
    undelivered = []
    for report in reports:
        pk = waiting.get(report.message_id)
        if pk is None:
            continue
        if not report.final:
            counts["pending"] += 1
            continue
        result = Message.Delivery.DELIVERED if report.delivered else Message.Delivery.UNDELIVERED
        changed = Message.objects.filter(pk=pk, delivery=Message.Delivery.PENDING).update(
            delivery=result, delivery_code=report.code, delivery_message=report.text[:255], delivered_at=now
        )
        if changed:
            counts[result] += 1
            if result == Message.Delivery.UNDELIVERED:
                undelivered.append(pk)
    if undelivered:
        counts["fallbacks"] = len(fall_back(alimtalk_ids=undelivered))
    return counts
