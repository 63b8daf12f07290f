"""알림톡 and SMS through SOLAPI's protocol, against the local fake (``fake_solapi.py``)."""

import datetime
import json

import pytest
from django.utils import timezone

from notifications import conf, sending, texts
from notifications.delivery import fall_back, poll_reports
from notifications.models import Message
from notifications.providers import ProviderError, SolapiProvider, auth_header
from notifications.sweep import sweep
from notifications.tests.conftest import TEXT_KIND, sample_text_template, text_kind
from notifications.tests.fake_solapi import API_KEY, PF_ID, SENDER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queued_texts(users, **kind_options):
    with text_kind(users, **kind_options):
        sweep(kinds=[TEXT_KIND])
    return list(Message.objects.texts().order_by("pk"))


def later(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_an_alimtalk_goes_to_solapi_with_its_template_variables_and_channel(fake_solapi, empty_queue):
    user = UserFactory(phone="+82 10-3333-4444")
    fake_solapi.templates = {"MAEUL_TEST_KO": sample_text_template().texts["ko"]}
    [row] = queued_texts([user])
    assert sending.send_many([row.pk]) == {"sent": 1, "failed": 0, "skipped": 0}

    [message] = fake_solapi.messages
    assert message["type"] == "ATA"
    assert message["to"] == "01033334444"
    assert message["from"] == SENDER
    assert message["kakaoOptions"]["pfId"] == PF_ID
    assert message["kakaoOptions"]["templateId"] == "MAEUL_TEST_KO"
    assert message["kakaoOptions"]["variables"]["#{name}"] == user.name
    assert message["kakaoOptions"]["disableSms"] is True
    row.refresh_from_db()
    assert row.status == Message.Status.SENT
    assert row.provider_message_id == message["messageId"]
    assert row.delivery == Message.Delivery.PENDING


def test_the_delivery_report_is_polled_and_stored_on_the_row(fake_solapi, empty_queue):
    [row] = queued_texts([UserFactory()])
    sending.send_many([row.pk])
    assert poll_reports(now=timezone.now()) == {"delivered": 0, "undelivered": 0, "pending": 0, "fallbacks": 0}
    counts = poll_reports(now=later(conf.get("REPORT_AFTER_SECONDS") + 1))
    assert counts["delivered"] == 1
    row.refresh_from_db()
    assert (row.delivery, row.delivery_code) == (Message.Delivery.DELIVERED, "4000")
    assert row.delivered_at is not None


def test_an_undelivered_alimtalk_falls_back_to_exactly_one_sms_with_the_same_words(fake_solapi, empty_queue):
    user = UserFactory(phone="010-5555-6666")
    fake_solapi.undeliverable.add("01055556666")
    [alimtalk] = queued_texts([user])
    sending.send_many([alimtalk.pk])
    counts = poll_reports(now=later(3600))
    assert counts == {"delivered": 0, "undelivered": 1, "pending": 0, "fallbacks": 1}
    # A second poll, a repeated fallback and a sweep make no second SMS.
    assert poll_reports(now=later(3600))["fallbacks"] == 0
    assert fall_back(alimtalk_ids=[alimtalk.pk]) == []
    sweep(kinds=[TEXT_KIND], now=later(3600))
    fallback = Message.objects.get(fallback_of=alimtalk)
    assert fallback.channel == Message.Channel.SMS
    assert fallback.body_text == alimtalk.body_text
    sending.send_many([fallback.pk, fallback.pk])
    sending.send_many([fallback.pk])

    assert [m["type"] for m in fake_solapi.messages] == ["ATA", texts.sms_type(alimtalk.body_text)]
    assert fake_solapi.accepted[str(fallback.pk)] == 1
    alimtalk.refresh_from_db()
    assert (alimtalk.delivery, alimtalk.delivery_code) == (Message.Delivery.UNDELIVERED, "3104")
    assert Message.objects.texts().count() == 2


def test_an_alimtalk_the_provider_refuses_falls_back_at_once(fake_solapi, empty_queue):
    fake_solapi.templates = {"MAEUL_TEST_KO": "[마을공동체 포털] 다른 문구로 등록된 템플릿 #{name}"}
    [alimtalk] = queued_texts([UserFactory()])
    sending.send_many([alimtalk.pk])
    alimtalk.refresh_from_db()
    assert alimtalk.status == Message.Status.SENT
    assert (alimtalk.delivery, alimtalk.delivery_code) == (Message.Delivery.UNDELIVERED, "3046")
    fallback = Message.objects.get(fallback_of=alimtalk)
    sending.send_many([fallback.pk])
    assert [m["type"] for m in fake_solapi.messages] != []
    assert fake_solapi.of_type("ATA") == []
    assert fake_solapi.accepted[str(fallback.pk)] == 1


def test_a_text_over_90_bytes_goes_as_lms_with_a_title(fake_solapi, empty_queue):
    user = UserFactory(name="김" * 30)
    from notifications.services import set_channel

    set_channel(user=user, channel="sms")
    [row] = queued_texts([user])
    sending.send_many([row.pk])
    [message] = fake_solapi.messages
    assert message["type"] == "LMS"
    assert message["subject"]
    assert "kakaoOptions" not in message


def test_a_provider_that_times_out_is_retried_with_backoff_and_sends_once(fake_solapi, empty_queue):
    [row] = queued_texts([UserFactory()])
    fake_solapi.stall(1)
    assert sending.send_many([row.pk])["failed"] == 1
    row.refresh_from_db()
    assert row.status == Message.Status.FAILED
    assert "timed out" in row.last_error or "timeout" in row.last_error.lower()

    # Not before the backoff has passed …
    assert sweep(kinds=[], now=timezone.now()).retried_failed == 0
    # … then it goes back to ready and out once.
    assert sweep(kinds=[], now=later(conf.retry_delay(1).total_seconds() + 1)).retried_failed == 1
    assert sending.send_many([row.pk])["sent"] == 1
    assert fake_solapi.accepted[str(row.pk)] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Message.Status.SENT, 2)


def test_a_provider_error_fails_the_row_for_a_later_retry(fake_solapi, empty_queue):
    [row] = queued_texts([UserFactory()])
    fake_solapi.fail_next(1)
    assert sending.send_many([row.pk])["failed"] == 1
    row.refresh_from_db()
    assert "HTTP 500" in row.last_error
    assert fake_solapi.total == 0


def test_a_wrong_secret_is_refused_by_the_provider_signature_check(fake_solapi):
    provider = SolapiProvider(
        api_key=API_KEY, api_secret="wrong", sender=SENDER, pf_id=PF_ID, base_url=fake_solapi.url, timeout=2
    )
    with pytest.raises(ProviderError, match="SignatureDoesNotMatch"):
        provider.reports(["M4VX"])
    assert fake_solapi.auth_failures == 1


def test_the_authorization_header_is_the_documented_hmac_sha256_signature():
    header = auth_header(api_key="KEY", api_secret="SECRET", date="2026-12-02T10:00:00+00:00", salt="abcdef0123456789")
    # hmac-sha256("SECRET", "2026-12-02T10:00:00+00:00abcdef0123456789"), computed independently:
    import hashlib
    import hmac

    expected = hmac.new(b"SECRET", b"2026-12-02T10:00:00+00:00abcdef0123456789", hashlib.sha256).hexdigest()
    assert header == (
        f"HMAC-SHA256 apiKey=KEY, date=2026-12-02T10:00:00+00:00, salt=abcdef0123456789, signature={expected}"
    )


def test_without_configuration_texts_are_written_to_the_development_file(settings, tmp_path, empty_queue):
    settings.SOLAPI_API_KEY = ""
    settings.NOTIFICATIONS_TEXT_FILE = str(tmp_path / "texts.jsonl")
    [row] = queued_texts([UserFactory()])
    assert sending.send_many([row.pk])["sent"] == 1
    [line] = (tmp_path / "texts.jsonl").read_text(encoding="utf-8").splitlines()
    written = json.loads(line)
    assert written["to"] == row.recipient
    assert written["text"] == row.body_text
    assert written["templateId"] == "MAEUL_TEST_KO"
