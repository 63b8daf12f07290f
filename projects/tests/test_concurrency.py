"""Many staff at once against the real PostgreSQL: awards and disbursements stay whole."""

from functools import partial

import pytest
from django.db.models import Sum

from grants import services as grant_services
from grants import workflow as grant_workflow
from grants.models import Application, FieldEnvelope
from grants.tests.helpers import in_review_applications
from grants.tests.test_budget_concurrency import run_at_once
from projects import services
from projects.models import Disbursement, Project
from projects.tests.helpers import TODAY, active_project, published_round

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_disbursement_approvals_never_exceed_the_award(staff):
    project = active_project(staff=staff, requested=1_000_000)
    rules = project.application.round.project_rules
    rules.max_instalments = THREADS
    rules.save()
    representative = project.application.group.representative
    requests = [
        services.disbursement_request(project=project, amount=150_000, by=representative) for _ in range(THREADS)
    ]

    results = run_at_once(
        [partial(services.disbursement_pay, disbursement=r, by=staff, paid_on=TODAY) for r in requests]
    )

    paid = [r for r in results if isinstance(r, Disbursement)]
    refused = [r for r in results if isinstance(r, services.OverAward)]
    assert (len(paid), len(refused)) == (6, 14), results
    project.refresh_from_db()
    paid_sum = Disbursement.objects.filter(project=project, status="paid").aggregate(t=Sum("amount"))["t"]
    assert project.disbursed_total == paid_sum == 900_000 <= project.award


def _sum_of_awards(round_, field=None):
    projects = Project.objects.filter(application__round=round_)
    approved = Application.objects.filter(round=round_, status=grant_workflow.APPROVED).exclude(project__isnull=False)
    if field is not None:
        projects, approved = projects.filter(application__field=field), approved.filter(field=field)
    return (projects.aggregate(t=Sum("award"))["t"] or 0) + (approved.aggregate(t=Sum("awarded_amount"))["t"] or 0)


@pytest.mark.django_db(transaction=True)
def test_award_reductions_and_cancellations_racing_with_approvals_keep_the_totals_right(staff):
    round_ = published_round(budget=20_000_000)
    field = round_.fields.first()
    FieldEnvelope.objects.filter(round=round_, field=field).update(amount=12_000_000)
    funded = [active_project(staff=staff, round_=round_, requested=1_000_000) for _ in range(10)]
    waiting = in_review_applications(round_=round_, field=field, count=10, requested=1_000_000)
    assert FieldEnvelope.objects.get(round=round_, field=field).awarded_total == 10_000_000

    calls = [
        partial(services.award_change, project=p, new_amount=0 if i % 2 else 400_000, reason="사업 변경", by=staff)
        for i, p in enumerate(funded)
    ] + [partial(grant_services.application_approve, application=a, amount=1_000_000, by=staff) for a in waiting]
    results = run_at_once(calls)

    errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, grant_services.BudgetExceeded)]
    assert not errors, errors
    round_.refresh_from_db()
    envelope = FieldEnvelope.objects.get(round=round_, field=field)
    assert round_.awarded_total == _sum_of_awards(round_) <= round_.budget
    assert envelope.awarded_total == _sum_of_awards(round_, field) <= envelope.amount
    # 5 cancelled (0) + 5 reduced (400,000) free 8,000,000 of the envelope's 12,000,000 − 10,000,000 used.
    assert Application.objects.filter(pk__in=[a.pk for a in waiting], status=grant_workflow.APPROVED).count() >= 2
