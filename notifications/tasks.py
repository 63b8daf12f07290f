from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone

from notifications.models import Email


@shared_task(acks_late=True)
def send_email(email_id: int) -> str:
    """Claim the row (ready → sending must change exactly one row), then send it."""
    claimed = Email.objects.filter(pk=email_id, status=Email.Status.READY).update(
        status=Email.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if claimed != 1:
        return "not-ready"
    email = Email.objects.get(pk=email_id)
    message = EmailMultiAlternatives(email.subject, email.body_text, to=[email.recipient])
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as error:
        Email.objects.filter(pk=email_id).update(status=Email.Status.FAILED, last_error=str(error)[:2000])
        raise
    Email.objects.filter(pk=email_id).update(status=Email.Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"
