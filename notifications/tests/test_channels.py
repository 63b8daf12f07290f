"""Channels in the outbox: which rows a notice becomes, decided by ``notifications.policy``."""

import pytest

from notifications import policy
from notifications.models import ChannelPreference, Email, EmailPreference, Message
from notifications.services import queue_notice, set_channel
from notifications.sweep import sweep
from notifications.tests.conftest import TEXT_KIND, text_kind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def channels_of(user):
    return sorted(Message.objects.filter(user=user).values_list("channel", flat=True))


def test_an_essential_notice_reaches_a_person_with_a_mobile_number_by_kakaotalk_and_email(empty_queue):
    user = UserFactory(phone="010-2222-3333")
    with text_kind([user]):
        sweep(kinds=[TEXT_KIND])
    assert channels_of(user) == ["alimtalk", "email"]
    text = Message.objects.get(user=user, channel="alimtalk")
    assert text.recipient == "010-2222-3333"
    assert text.template_code == "MAEUL_TEST_KO"
    assert text.body_text.startswith(f"[마을공동체 포털] {user.name}님, 시험 알림입니다.")
    assert text.body_text.endswith(f"/my/test/{user.pk}/")
    assert text.variables == {"name": user.name, "url": f"http://127.0.0.1:8000/my/test/{user.pk}/"}
    assert text.dedup_key == f"test:text:user:{user.pk}|text"


def test_an_english_speaker_gets_the_english_template(empty_queue):
    user = UserFactory(preferred_language="en")
    with text_kind([user]):
        sweep(kinds=[TEXT_KIND])
    text = Message.objects.get(user=user, channel="alimtalk")
    assert text.template_code == "MAEUL_TEST_EN"
    assert text.body_text.startswith(f"[Maeul Portal] {user.name}, this is a test notice.")


def test_the_chosen_channel_decides_kakaotalk_text_message_or_email_only(empty_queue):
    kakao, sms, email_only = UserFactory(), UserFactory(), UserFactory()
    set_channel(user=sms, channel="sms")
    set_channel(user=email_only, channel="email")
    with text_kind([kakao, sms, email_only]):
        sweep(kinds=[TEXT_KIND])
    assert channels_of(kakao) == ["alimtalk", "email"]
    assert channels_of(sms) == ["email", "sms"]
    assert channels_of(email_only) == ["email"]
    assert Message.objects.get(user=sms, channel="sms").template_code == ""


def test_without_a_mobile_number_only_email_goes_out(empty_queue):
    landline, none = UserFactory(phone="062-360-7000"), UserFactory(phone="")
    set_channel(user=landline, channel="alimtalk")
    with text_kind([landline, none]):
        sweep(kinds=[TEXT_KIND])
    assert channels_of(landline) == ["email"]
    assert channels_of(none) == ["email"]


def test_a_resident_without_text_consent_gets_no_non_essential_text_but_still_the_email(empty_queue):
    user = UserFactory()
    with text_kind([user], essential=False):
        sweep(kinds=[TEXT_KIND])
    assert channels_of(user) == ["email"]


def test_a_resident_who_consented_gets_the_non_essential_text_with_a_way_to_stop_it(empty_queue):
    user = UserFactory()
    user.notices_consent = True  # the flag accounts exposes (issue 11b owns its meaning)
    with text_kind([user], essential=False):
        sweep(kinds=[TEXT_KIND])
    assert channels_of(user) == ["alimtalk", "email"]


def test_an_essential_notice_reaches_a_resident_without_consent_on_kakaotalk_too(empty_queue):
    user = UserFactory()
    assert not policy.has_text_consent(user)
    with text_kind([user], essential=True):
        sweep(kinds=[TEXT_KIND])
    assert channels_of(user) == ["alimtalk", "email"]


def test_a_kind_switched_off_goes_out_on_no_channel(empty_queue):
    user = UserFactory()
    user.notices_consent = True
    EmailPreference.objects.create(user=user, kind=TEXT_KIND, enabled=False)
    with text_kind([user], essential=False):
        sweep(kinds=[TEXT_KIND])
    assert channels_of(user) == []


def test_changing_the_channel_between_two_sweeps_sends_no_second_text(empty_queue):
    user = UserFactory()
    with text_kind([user]):
        sweep(kinds=[TEXT_KIND])
        set_channel(user=user, channel="sms")
        sweep(kinds=[TEXT_KIND])
    assert channels_of(user) == ["alimtalk", "email"]


def test_email_objects_see_only_emails(empty_queue):
    user = UserFactory()
    with text_kind([user]):
        sweep(kinds=[TEXT_KIND])
    assert Message.objects.filter(user=user).count() == 2
    assert list(Email.objects.filter(user=user).values_list("channel", flat=True)) == ["email"]
    assert Message.objects.emails().count() == 1
    assert Message.objects.texts().count() == 1


def test_queue_notice_writes_one_row_per_channel_once_and_sends_after_commit(
    django_capture_on_commit_callbacks, empty_queue
):
    user = UserFactory()
    with text_kind([]) as kind, django_capture_on_commit_callbacks() as callbacks:
        first = queue_notice(
            user=user,
            kind=kind,
            dedup_key="notice:1",
            subject="Notice",
            template="notifications/email/test_reminder",
            link="/my/",
        )
        again = queue_notice(
            user=user,
            kind=kind,
            dedup_key="notice:1",
            subject="Notice",
            template="notifications/email/test_reminder",
            link="/my/",
        )
    assert sorted(row.channel for row in first) == ["alimtalk", "email"]
    assert again == []
    assert len(callbacks) == 1
    assert ChannelPreference.objects.count() == 0
