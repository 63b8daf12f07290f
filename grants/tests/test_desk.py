"""The staff desk on the admin index and the bulk moves of the commonest steps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import services, workflow
from grants.models import Application, StatusChange
from grants.tests.helpers import assign_reviewer, make_in_review, reviewer_group
from tests.factories import ApplicationFactory, BudgetLineFactory, FieldEnvelopeFactory, GrantRoundFactory, UserFactory

pytestmark = pytest.mark.django_db


def _submitted(round_, days_ago, **kwargs):
    application = ApplicationFactory(round=round_, status=workflow.SUBMITTED, **kwargs)
    at = timezone.now() - datetime.timedelta(days=days_ago)
    Application.objects.filter(pk=application.pk).update(submitted_at=at)
    StatusChange.objects.create(application=application, from_status="draft", to_status="submitted", at=at)
    return application


def test_the_admin_index_leads_with_what_needs_doing_oldest_first(client, staff):
    round_ = GrantRoundFactory(min_reviews=2)
    _submitted(round_, 9)
    _submitted(round_, 2)
    reviewed = make_in_review(round=round_)
    envelope = FieldEnvelopeFactory(round=round_, field=reviewed.field, amount=50_000_000)
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(reviewer_group())
    assign_reviewer(reviewer, reviewed, by=staff)
    make_in_review(round=round_)  # no reviewer yet
    client.force_login(staff)

    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'data-testid="staff-desk"' in html
    desk = html[html.index('data-testid="staff-desk"') :]
    # Submitted waits longest (9 days), so it leads the table.
    assert desk.index('data-testid="desk-submitted"') < desk.index('data-testid="desk-in_review"')
    submitted_row = desk[desk.index('data-testid="desk-submitted"') :].split("</tr>")[0]
    assert "<td>2</td>" in submitted_row and "9 days" in submitted_row
    screening = desk[desk.index('data-testid="desk-screening"') :].split("</li>")[0]
    assert "<strong>2</strong>" in screening
    missing = desk[desk.index('data-testid="desk-reviews-missing"') :].split("</li>")[0]
    assert "<strong>2</strong>" in missing
    unassigned = desk[desk.index('data-testid="desk-unassigned"') :].split("</li>")[0]
    assert "<strong>1</strong>" in unassigned
    assert f"{envelope.amount:,} ₩" in desk


def test_a_reviewer_gets_no_staff_desk(client, staff):
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(reviewer_group())
    GrantRoundFactory()
    client.force_login(reviewer)
    assert 'data-testid="staff-desk"' not in client.get(reverse("admin:index")).content.decode()


def _screenable(round_):
    application = ApplicationFactory(round=round_, status=workflow.SCREENING, requested_amount=3_000_000)
    BudgetLineFactory(application=application, amount=3_000_000)
    BudgetLineFactory(application=application, amount=500_000, source="self")
    from grants.tests.factories import AttachmentFactory

    for kind in ["plan", "budget", "registration", "signatures"]:
        AttachmentFactory(application=application, kind=kind)
    return application


def test_bulk_moves_go_through_the_services_and_report_each_refusal(client, staff):
    round_ = GrantRoundFactory()
    fresh = _submitted(round_, 1)
    already = make_in_review(round=round_, title="이미 심사 중")
    ok = _screenable(round_)
    too_small = _screenable(round_)
    too_small.group.member_count = 2
    too_small.group.save()
    client.force_login(staff)
    changelist = reverse("admin:grants_application_changelist")

    response = client.post(
        changelist, {"action": "start_screening_selected", "_selected_action": [fresh.pk, already.pk]}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert Application.objects.get(pk=fresh.pk).status == workflow.SCREENING
    assert any("이미 심사 중" in m for m in messages), messages

    response = client.post(
        changelist, {"action": "send_to_review_selected", "_selected_action": [ok.pk, too_small.pk]}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert Application.objects.get(pk=ok.pk).status == workflow.IN_REVIEW
    assert Application.objects.get(pk=too_small.pk).status == workflow.SCREENING
    assert any(str(too_small) in m for m in messages), messages


def test_staff_ask_for_changes_straight_from_submitted(staff):
    round_ = GrantRoundFactory()
    application = _submitted(round_, 1)

    services.application_request_changes(application=application, note="서명부를 다시 올려 주세요", by=staff)

    assert Application.objects.get(pk=application.pk).status == workflow.CHANGES_REQUESTED
