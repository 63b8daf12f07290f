"""Email backends standing in for an SMTP server that misbehaves (the outside world)."""

import smtplib

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Accepts every message except those to an address containing "refuse"."""

    def send_messages(self, messages):
        for message in messages:
            if any("refuse" in address for address in message.to):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


def outbox():
    return getattr(mail, "outbox", [])


class TimeLimitBackend(EmailBackend):
    """Celery's soft time limit strikes while sending to an address containing "slow"."""

    def send_messages(self, messages):
        from celery.exceptions import SoftTimeLimitExceeded

        if any("slow" in address for message in messages for address in message.to):
            raise SoftTimeLimitExceeded()
        return super().send_messages(messages)
