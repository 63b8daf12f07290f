"""Line breaks and control characters in an application's title never reach an email header:
the receipt still goes out (it used to fail with BadHeaderError and was lost to retries)."""

import pytest

from notifications import sending
from notifications.models import Email
from notifications.tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = "골목 화단\r\n가꾸기\nBcc: everyone@example.com\x1b\u2028끝"


def test_a_title_with_line_breaks_still_gets_its_receipt_over_smtp(settings, draft, complete_draft, resident):
    from grants import services

    complete_draft.title = HOSTILE_TITLE
    complete_draft.save(update_fields=["title"])
    services.submit_application(application=complete_draft, by=resident)
    receipt = Email.objects.get(kind="application_receipt")
    assert "\n" not in receipt.subject and "\r" not in receipt.subject and "\x1b" not in receipt.subject
    assert "골목 화단 가꾸기 Bcc: everyone@example.com" in receipt.subject

    with SmtpSink(keep_messages=True) as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        assert sending.send_one(receipt.pk) == "sent"
        assert sink.wait_for(1, timeout=10)
    message = sink.messages[0]
    assert message["Bcc"] is None
    assert "골목 화단 가꾸기" in message["Subject"]
    receipt.refresh_from_db()
    assert receipt.status == Email.Status.SENT


def test_a_row_queued_with_a_line_break_before_the_fix_still_sends(settings, resident):
    """Rows already in the outbox (written by older code or straight into the table) send too."""
    email = Email.objects.create(
        recipient=resident.email, kind="application_receipt", subject="접수\r\n안내", body_text="본문", dedup_key="old"
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sending.send_one(email.pk) == "sent"
