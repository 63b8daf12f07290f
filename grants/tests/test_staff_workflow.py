"""Every staff move the workflow allows succeeds and is recorded; every other move is refused."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from grants import services, workflow
from grants.models import Application, EligibilityOverride, StatusChange
from grants.tests.factories import AttachmentFactory
from notifications.models import Email
from tests.factories import ApplicationFactory, BudgetLineFactory, FieldEnvelopeFactory, GrantRoundFactory

STATUSES = list(workflow.PHASES)
ACTORS = [workflow.STAFF, workflow.RESIDENT]


@pytest.mark.parametrize(
    ("from_status", "to_status", "actor"),
    [(f, t, a) for f, t in itertools.product(STATUSES, STATUSES) for a in ACTORS if f != t],
)
@pytest.mark.django_db
def test_each_transition_is_allowed_or_refused_as_the_workflow_says(staff, from_status, to_status, actor):
    application = ApplicationFactory(status=from_status)
    allowed = workflow.is_allowed(from_status, to_status, actor)

    if allowed:
        services.transition(application=application, to_status=to_status, by=staff, actor=actor, note="확인")
        application.refresh_from_db()
        assert application.status == to_status
        change = StatusChange.objects.get(application=application)
        assert (change.from_status, change.to_status, change.by, change.note) == (from_status, to_status, staff, "확인")
    else:
        with pytest.raises(services.TransitionNotAllowed):
            services.transition(application=application, to_status=to_status, by=staff, actor=actor)
        application.refresh_from_db()
        assert application.status == from_status
        assert not StatusChange.objects.filter(application=application).exists()


@pytest.mark.parametrize("from_status", STATUSES)
@pytest.mark.django_db
def test_decision_services_follow_the_workflow(staff, from_status):
    round_ = GrantRoundFactory()
    application = ApplicationFactory(round=round_, status=from_status, requested_amount=2_000_000)
    FieldEnvelopeFactory(round=round_, field=application.field)
    calls = {
        workflow.APPROVED: lambda: services.application_approve(application=application, amount=1_500_000, by=staff),
        workflow.REJECTED: lambda: services.application_reject(application=application, reason="예산 초과", by=staff),
        workflow.CHANGES_REQUESTED: lambda: services.application_request_changes(
            application=application, note="예산서를 고쳐 주세요", by=staff
        ),
    }
    for to_status, call in calls.items():
        application.refresh_from_db()
        if workflow.is_allowed(application.status, to_status, workflow.STAFF):
            with transaction.atomic():
                sid = transaction.savepoint()
                call()
                assert Application.objects.get(pk=application.pk).status == to_status
                assert StatusChange.objects.filter(application=application, to_status=to_status).exists()
                transaction.savepoint_rollback(sid)
        else:
            with pytest.raises(ValidationError):
                call()
            assert Application.objects.get(pk=application.pk).status == from_status


@pytest.mark.django_db
def test_approval_records_the_award_and_reserves_the_budget(staff):
    round_ = GrantRoundFactory(budget=10_000_000)
    application = ApplicationFactory(round=round_, status=workflow.IN_REVIEW, requested_amount=3_000_000)
    envelope = FieldEnvelopeFactory(round=round_, field=application.field, amount=5_000_000)

    services.application_approve(application=application, amount=2_500_000, by=staff, note="우수")

    application.refresh_from_db()
    round_.refresh_from_db()
    envelope.refresh_from_db()
    assert (application.status, application.awarded_amount) == (workflow.APPROVED, 2_500_000)
    assert application.decided_at is not None
    assert round_.awarded_total == envelope.awarded_total == 2_500_000


@pytest.mark.parametrize("amount", [0, 3_000_001])
@pytest.mark.django_db
def test_approval_refuses_an_amount_above_the_request_or_not_positive(staff, amount):
    application = ApplicationFactory(status=workflow.IN_REVIEW, requested_amount=3_000_000)

    with pytest.raises(services.NotApprovable):
        services.application_approve(application=application, amount=amount, by=staff)

    application.round.refresh_from_db()
    assert application.round.awarded_total == 0


@pytest.mark.django_db
def test_rejection_needs_a_reason(staff):
    application = ApplicationFactory(status=workflow.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.application_reject(application=application, reason="  ", by=staff)


@pytest.mark.django_db
def test_resident_email_is_queued_only_when_the_transition_commits(staff, django_capture_on_commit_callbacks):
    application = ApplicationFactory(status=workflow.IN_REVIEW)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.application_request_changes(application=application, note="서명부 보완", by=staff)
        raise RuntimeError("the surrounding request failed")
    assert not Email.objects.exists()
    assert not StatusChange.objects.exists()

    with django_capture_on_commit_callbacks() as callbacks:
        services.application_request_changes(application=application, note="서명부 보완", by=staff)
        assert callbacks == [], "the email must not be sent before the commit"
    assert len(callbacks) == 1
    email = Email.objects.get()
    assert email.recipient == application.group.representative.email
    assert email.kind == "application_decision"


def _screenable(**kwargs):
    application = ApplicationFactory(status=workflow.SCREENING, requested_amount=3_000_000, **kwargs)
    BudgetLineFactory(application=application, amount=3_000_000)
    BudgetLineFactory(application=application, amount=500_000, source="self")
    for kind in ["plan", "budget", "registration", "signatures"]:
        AttachmentFactory(application=application, kind=kind)
    return application


@pytest.mark.django_db
def test_screening_passes_an_eligible_application_to_review(staff):
    application = _screenable()

    services.screening_pass(application=application, by=staff)

    assert Application.objects.get(pk=application.pk).status == workflow.IN_REVIEW


@pytest.mark.django_db
def test_screening_refuses_a_failing_check_until_staff_override_it_with_a_reason(staff):
    application = _screenable()
    application.group.member_count = 3
    application.group.save()

    with pytest.raises(ValidationError):
        services.screening_pass(application=application, by=staff)
    with pytest.raises(ValidationError):
        services.eligibility_override_set(
            application=application, criterion=EligibilityOverride.Check.GROUP_SIZE, passed=True, reason="", by=staff
        )
    services.eligibility_override_set(
        application=application,
        criterion=EligibilityOverride.Check.GROUP_SIZE,
        passed=True,
        reason="명부 보완 확인(8명)",
        by=staff,
    )
    services.screening_pass(application=application, by=staff)

    assert Application.objects.get(pk=application.pk).status == workflow.IN_REVIEW
