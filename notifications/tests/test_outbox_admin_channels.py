"""Staff see every channel in the outbox admin: channel, provider id, delivery result, fallback."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message

pytestmark = pytest.mark.django_db

URL = reverse("admin:notifications_message_changelist")


def make(**fields):
    defaults = dict(recipient="010-1111-2222", kind="k", subject="s", body_text="t")
    return Message.objects.create(**{**defaults, **fields})


def test_staff_filter_the_outbox_by_channel_and_delivery_result_and_see_the_fallback(client, staff):
    now = timezone.now()
    alimtalk = make(
        channel="alimtalk",
        template_code="MAEUL_X",
        dedup_key="a",
        status="sent",
        sent_at=now,
        provider_message_id="M4VALIMTALK",
        delivery="undelivered",
        delivery_code="3104",
    )
    fallback = make(
        channel="sms",
        dedup_key="a|fallback",
        fallback_of=alimtalk,
        status="sent",
        sent_at=now,
        provider_message_id="M4VSMS",
        delivery="delivered",
        delivery_code="4000",
    )
    make(channel="email", recipient="r@example.com", dedup_key="e")
    client.force_login(staff)

    listed = client.get(URL, {"channel__exact": "sms"}).context["cl"].result_list
    assert [row.pk for row in listed] == [fallback.pk]
    listed = client.get(URL, {"delivery__exact": "undelivered"}).context["cl"].result_list
    assert [row.pk for row in listed] == [alimtalk.pk]
    assert [row.pk for row in client.get(URL, {"q": "M4VSMS"}).context["cl"].result_list] == [fallback.pk]

    page = client.get(reverse("admin:notifications_message_change", args=[fallback.pk])).content.decode()
    assert "M4VSMS" in page and "4000" in page
    page = client.get(reverse("admin:notifications_message_change", args=[alimtalk.pk])).content.decode()
    assert "3104" in page and "MAEUL_X" in page


def test_staff_resend_a_failed_text_which_goes_back_to_ready(client, staff, django_capture_on_commit_callbacks):
    failed = make(channel="sms", dedup_key="f", status="failed", attempts=5, last_error="HTTP 500")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(URL, {"action": "resend", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    assert len(callbacks) == 1
    failed.refresh_from_db()
    assert failed.status == Message.Status.READY


def test_the_outbox_list_query_count_does_not_grow_with_fallbacks(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    counts = []
    for n in (2, 20):
        Message.objects.all().delete()
        for i in range(n):
            original = make(channel="alimtalk", template_code="T", dedup_key=f"{n}-{i}", delivery="undelivered")
            make(channel="sms", dedup_key=f"{n}-{i}|fallback", fallback_of=original)
        with django_assert_max_num_queries(12) as captured:
            assert client.get(URL).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
