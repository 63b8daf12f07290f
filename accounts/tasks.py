from celery import shared_task

from accounts import retention


@shared_task(acks_late=True)
def apply_retention() -> int:
    """Destroy or anonymise personal data past its retention period (see ``accounts.retention``);
    return how many records were touched. Scheduled daily by django-celery-beat."""
    return sum(record.count for record in retention.apply_all())
