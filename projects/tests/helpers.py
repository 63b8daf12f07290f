"""Shared set-ups: a funded project reached the way the portal reaches it (approval of an
application in review in a round whose results are published, through grants' services)."""

import datetime

from django.utils import timezone

from grants import services as grant_services
from grants.models import BudgetLine
from grants.tests.helpers import make_in_review
from projects import services
from projects.models import Project
from tests.factories import BudgetLineFactory, FieldEnvelopeFactory, FieldFactory, GrantRoundFactory

TODAY = datetime.date(2026, 5, 10)


def published_round(**kwargs):
    round_ = GrantRoundFactory(
        opens_at=timezone.now() - datetime.timedelta(days=90),
        closes_at=timezone.now() - datetime.timedelta(days=60),
        results_published_at=timezone.now() - datetime.timedelta(days=30),
        **kwargs,
    )
    FieldEnvelopeFactory(round=round_, field=FieldFactory(), amount=None)
    return round_


def funded_project(*, staff, group=None, round_=None, requested=1_000_000, own=200_000, award=None) -> Project:
    """An approved application's project (opened by ``decision_released``)."""
    round_ = round_ or published_round()
    kwargs = {"group": group} if group is not None else {}
    application = make_in_review(round=round_, field=round_.fields.first(), requested_amount=requested, **kwargs)
    BudgetLineFactory(
        application=application, category=BudgetLine.Category.ACTIVITY, item="활동 재료", amount=requested * 6 // 10
    )
    BudgetLineFactory(
        application=application,
        category=BudgetLine.Category.MEETINGS,
        item="회의 다과",
        amount=requested - requested * 6 // 10,
    )
    BudgetLineFactory(
        application=application, category=BudgetLine.Category.OTHER, item="자부담", amount=own, source="self"
    )
    grant_services.application_approve(application=application, amount=award or requested, by=staff)
    return Project.objects.get(application=application)


def conditions(round_, staff):
    return services.current_conditions(round_) or services.conditions_publish(
        round_=round_, text="1. 보조금은 사업 목적에만 씁니다.\n2. 모든 지출에 증빙을 붙입니다.", by=staff
    )


def active_project(*, staff, **kwargs) -> Project:
    """A project whose agreement is accepted and countersigned."""
    project = funded_project(staff=staff, **kwargs)
    round_ = project.application.round
    representative = project.application.group.representative
    services.agreement_accept(
        project=project,
        conditions=conditions(round_, staff),
        self_contribution_confirmed=True,
        bank_name="광주은행",
        account_holder="햇살마을공동체",
        account_number="1234-5678-9012",
        by=representative,
    )
    services.agreement_countersign(project=project, by=staff)
    project.refresh_from_db()
    return project


def pay(project, amount, staff):
    request = services.disbursement_request(project=project, amount=amount, by=project.application.group.representative)
    return services.disbursement_pay(disbursement=request, by=staff, paid_on=TODAY)
