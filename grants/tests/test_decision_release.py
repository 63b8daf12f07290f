"""Decisions are saved, not sent: the resident's pages, the decision email and the public
results reveal nothing until staff publish the round's results, and then all three agree."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services, workflow
from grants.models import GrantRound
from notifications.models import Email
from tests.factories import ApplicationFactory, FieldEnvelopeFactory, GrantRoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round():
    now = timezone.now()
    round_ = GrantRoundFactory(opens_at=now - datetime.timedelta(days=60), closes_at=now - datetime.timedelta(days=5))
    return round_


@pytest.fixture
def decided(closed_round, resident, staff):
    """The resident's application approved, another group's rejected, one still in review."""
    group = resident.represented_groups.get()
    mine = ApplicationFactory(
        group=group, round=closed_round, status=workflow.IN_REVIEW, title="마을 책방", requested_amount=4_000_000
    )
    FieldEnvelopeFactory(round=closed_round, field=mine.field)
    services.application_approve(application=mine, amount=3_500_000, by=staff, note="예산 조정 후 선정")
    theirs = ApplicationFactory(round=closed_round, status=workflow.IN_REVIEW, title="떨어진 사업")
    services.application_reject(application=theirs, reason="사업 내용이 공모 취지와 다릅니다", by=staff)
    pending = ApplicationFactory(round=closed_round, status=workflow.IN_REVIEW, title="아직 심사 중")
    return mine, theirs, pending


def _resident_pages(client, application) -> str:
    detail = client.get(reverse("grants:application_detail", args=[application.pk])).content.decode()
    listing = client.get(reverse("grants:my_applications")).content.decode()
    return detail + listing


def _decision_emails(*applications):
    recipients = [a.group.representative.email for a in applications]
    return Email.objects.filter(kind="application_decision", recipient__in=recipients)


def test_nothing_is_revealed_before_publication_and_everything_agrees_after(client, resident, staff, decided):
    mine, theirs, pending = decided
    client.force_login(resident)

    page = _resident_pages(client, mine)
    assert "심사 중" in page
    assert "선정되었습니다" not in page and "status-approved" not in page
    assert "예산 조정 후 선정" not in page, "the decision note is part of the decision"
    assert not _decision_emails(mine, theirs).exists()
    results = client.get(reverse("grants:round_results", args=[mine.round_id])).content.decode()
    assert "마을 책방" not in results and "3,500,000" not in results

    services.round_publish_results(round_=mine.round, by=staff)

    page = _resident_pages(client, mine)
    assert "선정되었습니다" in page and "status-approved" in page
    assert "예산 조정 후 선정" in page
    mine_email = _decision_emails(mine).get()
    assert "마을 책방" in mine_email.subject and "선정되었습니다" in mine_email.body_text
    theirs_email = _decision_emails(theirs).get()
    assert "미선정" in theirs_email.body_text and "공모 취지와 다릅니다" in theirs_email.body_text
    results = client.get(reverse("grants:round_results", args=[mine.round_id])).content.decode()
    assert "마을 책방" in results and "떨어진 사업" not in results and "아직 심사 중" not in results
    assert not _decision_emails(pending).exists()


def test_a_decision_after_publication_is_emailed_at_once_and_only_once(staff, decided):
    mine, theirs, pending = decided
    services.round_publish_results(round_=mine.round, by=staff)

    services.application_reject(application=pending, reason="예산 소진", by=staff)

    assert _decision_emails(pending).count() == 1
    assert _decision_emails(mine, theirs).count() == 2


def test_the_publish_page_confirms_what_goes_out_and_publishes_on_post(client, staff, decided):
    mine, _theirs, _pending = decided
    round_ = mine.round
    client.force_login(staff)
    change = client.get(reverse("admin:grants_grantround_change", args=[round_.pk])).content.decode()
    url = reverse("admin:grants_grantround_publish", args=[round_.pk])
    assert url in change

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 approval will be shown" in page and "1 rejection will be shown" in page
    assert "2 decision emails will be sent" in page
    assert "1 application is not decided yet" in page
    assert not GrantRound.objects.get(pk=round_.pk).results_published

    response = client.post(url)

    assert response.status_code == 302
    assert GrantRound.objects.get(pk=round_.pk).results_published
    assert Email.objects.filter(kind="application_decision").count() == 2
    assert client.post(url).status_code == 302  # a second click publishes nothing more
    assert Email.objects.filter(kind="application_decision").count() == 2


def test_a_reviewer_cannot_publish(client, decided):
    from grants.tests.helpers import reviewer_group
    from tests.factories import UserFactory

    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(reviewer_group())
    client.force_login(reviewer)
    url = reverse("admin:grants_grantround_publish", args=[decided[0].round_id])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not GrantRound.objects.get(pk=decided[0].round_id).results_published
