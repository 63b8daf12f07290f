import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications import sending
from notifications.models import Email, EmailPreference
from notifications.rendering import unsubscribe_token
from notifications.services import queue_email
from notifications.sweep import sweep
from notifications.tests.conftest import TEST_KIND, batch_kind, bulk_users
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_email(**fields) -> Email:
    defaults = dict(recipient="someone@example.com", kind="test", subject="Hello", body_text="Hi", dedup_key="k")
    return Email.objects.create(**{**defaults, **fields})


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail


def test_the_outbox_row_is_not_created_when_the_causing_transaction_rolls_back(django_capture_on_commit_callbacks):
    from grants import workflow
    from grants.services import transition
    from tests.factories import ApplicationFactory

    application = ApplicationFactory()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        transition(application=application, to_status=workflow.SUBMITTED, by=application.group.representative)
        assert Email.objects.filter(kind="application_receipt").exists()
        raise RuntimeError("the submission failed after the email was queued")
    assert not Email.objects.exists()
    assert callbacks == []


def test_queue_email_keeps_one_row_per_dedup_key(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = queue_email(recipient="a@example.com", kind="x", subject="s", body_text="t", dedup_key="once")
        second = queue_email(recipient="a@example.com", kind="x", subject="s", body_text="t", dedup_key="once")
    assert first is not None and second is None
    assert Email.objects.count() == 1
    assert len(callbacks) == 1


def test_only_one_claim_of_a_row_succeeds():
    email = make_email()
    assert sending.claim_one(email.pk) is True
    assert sending.claim_one(email.pk) is False
    email.refresh_from_db()
    assert email.status == Email.Status.SENDING and email.attempts == 1 and email.claimed_at is not None


def test_a_sent_row_is_never_sent_again(locmem):
    email = make_email()
    assert sending.send_one(email.pk) == "sent"
    assert sending.send_one(email.pk) == "not-ready"
    assert sending.send_many([email.pk]) == {"sent": 0, "failed": 0, "skipped": 1}
    assert len(locmem.outbox) == 1
    assert locmem.outbox[0].extra_headers[sending.DEDUP_HEADER] == "k"
    email.refresh_from_db()
    assert email.status == Email.Status.SENT and email.sent_at is not None


def test_a_batch_marks_each_row_and_one_refused_recipient_does_not_stop_the_rest(settings):
    settings.EMAIL_BACKEND = "notifications.tests.backends.RefusingBackend"
    mail.outbox = []
    emails = [make_email(recipient=f"r{n}@example.com", dedup_key=f"b{n}") for n in range(4)]
    refused = make_email(recipient="refuse@example.com", dedup_key="refused")
    counts = sending.send_many([e.pk for e in emails] + [refused.pk])
    assert counts == {"sent": 4, "failed": 1, "skipped": 0}
    assert len(mail.outbox) == 4
    refused.refresh_from_db()
    assert refused.status == Email.Status.FAILED
    assert "SMTPRecipientsRefused" in refused.last_error


def test_a_batch_uses_one_connection_and_one_update_per_email(locmem, django_assert_num_queries):
    ids = [make_email(dedup_key=f"q{n}").pk for n in range(20)]
    # The claim: SELECT … FOR UPDATE and UPDATE in a transaction (a SAVEPOINT and RELEASE inside the
    # test's transaction; BEGIN/COMMIT are not counted in production). Then one UPDATE per email.
    with django_assert_num_queries(4 + 20):
        sending.send_many(ids)
    assert len(locmem.outbox) == 20


def test_the_sweep_retries_failed_rows_with_backoff_until_max_attempts(settings, empty_queue):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    now = timezone.now()
    email = make_email(status=Email.Status.FAILED, attempts=1, claimed_at=now)
    assert sweep(now=now, kinds=[]).retried_failed == 0  # backoff not over yet
    later = now + datetime.timedelta(minutes=3)
    assert sweep(now=later, kinds=[]).retried_failed == 1
    email.refresh_from_db()
    assert email.status == Email.Status.READY
    Email.objects.filter(pk=email.pk).update(status=Email.Status.FAILED, attempts=3)
    assert sweep(now=later + datetime.timedelta(days=1), kinds=[]).retried_failed == 0


def test_the_sweep_requeues_rows_stuck_in_sending_only_after_the_timeout(settings, empty_queue):
    now = timezone.now()
    email = make_email(status=Email.Status.SENDING, attempts=1, claimed_at=now - datetime.timedelta(minutes=5))
    assert sweep(now=now, kinds=[]).requeued_stuck == 0
    result = sweep(now=now + datetime.timedelta(minutes=6), kinds=[])
    assert result.requeued_stuck == 1 and result.enqueued == 1
    email.refresh_from_db()
    assert email.status == Email.Status.READY


def test_the_sweep_enqueues_ready_rows_whose_enqueue_was_lost_but_not_fresh_ones(empty_queue):
    now = timezone.now()
    old = make_email(dedup_key="old")
    Email.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(minutes=5))
    make_email(dedup_key="fresh")
    assert sweep(now=now, kinds=[]).enqueued == 1


def test_the_sweep_query_count_does_not_grow_with_the_number_of_reminders(django_assert_max_num_queries, empty_queue):
    def queries_for(count, prefix):
        users = bulk_users(count, prefix=prefix)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with batch_kind(users), CaptureQueriesContext(connection) as context:
            result = sweep(kinds=[TEST_KIND])
        assert result.created[TEST_KIND] == count
        Email.objects.all().delete()
        return len(context.captured_queries)

    small, large = queries_for(3, "small"), queries_for(60, "large")
    assert small == large, f"the sweep made {small} queries for 3 reminders but {large} for 60"
    users = bulk_users(10, prefix="bound")
    # stuck, failed, preferences, existing keys, SAVEPOINT, INSERT, RELEASE, new ids, waiting rows,
    # texts waiting for their delivery report
    with django_assert_max_num_queries(10), batch_kind(users):
        sweep(kinds=[TEST_KIND])


def test_a_recipient_who_switched_a_kind_off_gets_no_reminder_of_it(empty_queue):
    users = bulk_users(3)
    EmailPreference.objects.create(user=users[0], kind=TEST_KIND, enabled=False)
    with batch_kind(users):
        sweep(kinds=[TEST_KIND])
    assert set(Email.objects.values_list("user_id", flat=True)) == {users[1].pk, users[2].pk}


def test_an_essential_kind_ignores_preferences_and_carries_no_unsubscribe_link(empty_queue):
    users = bulk_users(1)
    EmailPreference.objects.create(user=users[0], kind=TEST_KIND, enabled=False)
    with batch_kind(users, essential=True):
        sweep(kinds=[TEST_KIND])
        email = Email.objects.get()
        assert "/notifications/unsubscribe/" not in email.body_text
        assert "List-Unsubscribe" not in sending.build_message(email).extra_headers


def test_a_reminder_is_written_in_the_recipients_language_with_portal_link_support_and_unsubscribe(
    settings, empty_queue
):
    settings.PORTAL_BASE_URL = "https://maeul.example"
    users = bulk_users(2)  # user 0 prefers English, user 1 Korean
    with batch_kind(users):
        sweep(kinds=[TEST_KIND])
        english = Email.objects.get(user=users[0])
        korean = Email.objects.get(user=users[1])
        assert english.body_text.startswith("Dear 주민0,")
        assert 'lang="en"' in english.body_html and 'lang="ko"' in korean.body_html
        for email in (english, korean):
            assert "https://maeul.example/" in email.body_text
            assert settings.SUPPORT_CONTACT["phone"] in email.body_text
            assert "https://maeul.example/notifications/unsubscribe/" in email.body_text
            assert email.body_html and "unsubscribe" in email.body_html
            header = sending.build_message(email).extra_headers["List-Unsubscribe"]
            assert header.startswith("<https://maeul.example/notifications/unsubscribe/")


def test_send_reminders_command_runs_the_sweep(empty_queue):
    users = bulk_users(2)
    with batch_kind(users):
        call_command("send_reminders", "--kind", TEST_KIND)
    assert Email.objects.count() == 2


def test_the_sweep_is_scheduled_in_django_celery_beat_every_five_minutes():
    task = PeriodicTask.objects.get(task="notifications.tasks.sweep_outbox")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (5, "minutes")


# --- Admin ---------------------------------------------------------------------------


def test_staff_see_and_filter_the_outbox_with_a_constant_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("admin:notifications_message_changelist")
    # The access log looks the listed rows' content type up once per process, then caches it.
    Email.objects.create(recipient="warm@example.com", kind="k", subject="s", body_text="t", dedup_key="warm")
    client.get(url)
    queries = []
    for count in (3, 30):
        Email.objects.all().delete()
        Email.objects.bulk_create(
            Email(recipient=f"r{n}@example.com", kind="k", subject="s", body_text="t", dedup_key=f"a{count}-{n}")
            for n in range(count)
        )
        with django_assert_max_num_queries(12) as captured:
            response = client.get(url, {"status__exact": "ready"})
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == count
        queries.append(len(captured))
    assert queries[0] == queries[1], f"the outbox list made {queries[0]} queries for 3 rows but {queries[1]} for 30"


@pytest.mark.parametrize("who", ["resident", "mentor", "anonymous"])
def test_only_staff_reach_the_outbox_admin(client, request, who):
    user = request.getfixturevalue(who)
    if who != "anonymous":
        client.force_login(user)
    response = client.get(reverse("admin:notifications_message_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_resend_a_failed_email_which_goes_back_to_ready_and_is_enqueued(
    client, staff, django_capture_on_commit_callbacks, empty_queue
):
    failed = make_email(dedup_key="failed", status=Email.Status.FAILED, attempts=5, last_error="550")
    sent = make_email(dedup_key="sent", status=Email.Status.SENT, sent_at=timezone.now())
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
        )
    assert response.status_code == 302
    assert len(callbacks) == 1
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == Email.Status.READY
    assert sent.status == Email.Status.SENT


# --- Unsubscribe ---------------------------------------------------------------------


@pytest.fixture
def optional_kind():
    user = UserFactory()
    with batch_kind([user]) as kind:
        yield user, kind


def test_the_unsubscribe_link_asks_first_and_changes_nothing_on_get(anonymous, optional_kind):
    user, kind = optional_kind
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user.pk, kind=kind)])
    response = anonymous.get(url)
    assert response.status_code == 200
    assert b'id="unsubscribe-confirm"' in response.content
    assert not EmailPreference.objects.exists()


def test_posting_the_unsubscribe_form_switches_the_kind_off_without_logging_in(anonymous, optional_kind):
    user, kind = optional_kind
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user.pk, kind=kind)])
    response = anonymous.post(url)
    assert response.status_code == 200
    assert b'id="unsubscribe-done"' in response.content
    assert EmailPreference.objects.get(user=user, kind=kind).enabled is False


def test_a_forged_unsubscribe_token_is_not_found(anonymous, optional_kind):
    user, kind = optional_kind
    token = unsubscribe_token(user_id=user.pk, kind=kind)
    response = anonymous.post(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert not EmailPreference.objects.exists()


def test_an_essential_kind_cannot_be_unsubscribed(anonymous, resident):
    token = unsubscribe_token(user_id=resident.pk, kind="draft_deadline")
    response = anonymous.post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 404
    assert not EmailPreference.objects.exists()


def test_the_unsubscribe_view_accepts_only_get_and_post(anonymous, optional_kind):
    user, kind = optional_kind
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user.pk, kind=kind)])
    assert anonymous.delete(url).status_code == 405


def test_a_batch_stopped_by_the_time_limit_gives_unattempted_rows_back_at_once(settings):
    from celery.exceptions import SoftTimeLimitExceeded

    settings.EMAIL_BACKEND = "notifications.tests.backends.TimeLimitBackend"
    first = make_email(recipient="a@example.com", dedup_key="t1")
    slow = make_email(recipient="slow@example.com", dedup_key="t2")
    rest = [make_email(recipient=f"r{n}@example.com", dedup_key=f"t{n + 3}") for n in range(2)]
    with pytest.raises(SoftTimeLimitExceeded):
        sending.send_many([first.pk, slow.pk, *(e.pk for e in rest)])
    statuses = dict(Email.objects.values_list("dedup_key", "status"))
    assert statuses == {"t1": "sent", "t2": "sending", "t3": "ready", "t4": "ready"}
    assert set(Email.objects.filter(status="ready").values_list("attempts", flat=True)) == {0}


@pytest.mark.django_db(transaction=True)
def test_the_sweep_schedule_survives_a_database_flush():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    assert PeriodicTask.objects.filter(task="notifications.tasks.sweep_outbox", enabled=True).exists()
