"""A funded project from the award to the closed settlement, through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import AccessLog
from grants import services as grant_services
from grants.models import FieldEnvelope, GrantRound
from grants.tests.helpers import make_in_review
from projects import services, workflow
from projects.models import Expense, PlanVersion, Project, ProjectStatusChange
from projects.tests.helpers import TODAY, active_project, conditions, funded_project, pay, published_round
from tests.factories import BudgetLineFactory, FieldEnvelopeFactory, FieldFactory, GrantRoundFactory

pytestmark = pytest.mark.django_db


def expense(project, amount, *, source="subsidy", key="activity", **extra):
    category = services.categories_for(project.application.round)[key]
    values = {
        "spent_on": TODAY,
        "category": category,
        "source": source,
        "payee": "동네문구",
        "purpose": "활동 재료",
        "amount": amount,
        "method": "card",
        "evidence_kind": "card_slip",
    } | extra
    return services.expense_record(project=project, by=project.application.group.representative, **values)


def test_an_approval_after_publication_opens_its_project_once(staff):
    project = funded_project(staff=staff)
    assert project.status == workflow.AGREEMENT  # awarded what was asked: the plan is in force
    assert project.award == project.original_award == 1_000_000
    # The signal is idempotent: a second release returns the same project.
    assert services.project_open(application=project.application, by=staff) == project
    assert Project.objects.filter(application=project.application).count() == 1
    version = project.plan_versions.get()
    assert (version.number, version.status, version.subsidy_total, version.self_total) == (
        1,
        PlanVersion.Status.CONFIRMED,
        1_000_000,
        200_000,
    )
    assert [line.item for line in version.lines.all()] == ["활동 재료", "회의 다과", "자부담"]
    assert ProjectStatusChange.objects.filter(project=project, to_status=workflow.AGREEMENT).count() == 1


def test_approvals_before_publication_open_their_projects_when_results_are_published(staff):
    round_ = GrantRoundFactory()
    FieldEnvelopeFactory(round=round_, field=FieldFactory())
    approved = make_in_review(round=round_, field=round_.fields.first(), requested_amount=500_000)
    BudgetLineFactory(application=approved, amount=500_000)
    rejected = make_in_review(round=round_, field=round_.fields.first())
    grant_services.application_approve(application=approved, amount=500_000, by=staff)
    grant_services.application_reject(application=rejected, reason="예산 부족", by=staff)
    assert not Project.objects.exists()  # not visible to the resident yet, so no project either

    grant_services.round_publish_results(round_=round_, by=staff)

    assert list(Project.objects.values_list("application_id", flat=True)) == [approved.pk]


def test_a_reduced_award_is_adjusted_by_the_group_and_confirmed_by_staff(staff):
    project = funded_project(staff=staff, requested=1_000_000, award=800_000)
    assert project.status == workflow.PLANNING
    categories = services.categories_for(project.application.round)
    representative = project.application.group.representative
    lines = [
        {"category": categories["activity"], "item": "활동 재료", "source": "subsidy", "amount": 500_000},
        {"category": categories["meetings"], "item": "회의 다과", "source": "subsidy", "amount": 300_000},
        {"category": categories["other"], "item": "자부담", "source": "self", "amount": 80_000},
    ]
    with pytest.raises(ValidationError) as error:
        services.plan_submit(project=project, lines=[*lines[:1], lines[2]], by=representative)
    assert error.value.error_list[0].code == "subsidy_not_award"
    too_little_own = [*lines[:2], {**lines[2], "amount": 88_000 - 1}]
    with pytest.raises(ValidationError) as error:
        services.plan_submit(project=project, lines=too_little_own, by=representative)
    assert [e.code for e in error.value.error_list] == ["self_contribution_low"]

    version = services.plan_submit(
        project=project, lines=[*lines[:2], {**lines[2], "amount": 88_889}], by=representative
    )
    assert version.status == PlanVersion.Status.SUBMITTED
    services.plan_decide(version=version, approve=True, by=staff, note="확인")

    project.refresh_from_db()
    assert project.status == workflow.AGREEMENT
    statuses = dict(project.plan_versions.values_list("number", "status"))
    assert statuses == {1: PlanVersion.Status.SUPERSEDED, 2: PlanVersion.Status.CONFIRMED}  # every version kept


def test_the_agreement_records_who_accepted_which_conditions_and_staff_countersign(staff):
    project = funded_project(staff=staff)
    round_ = project.application.round
    old = conditions(round_, staff)
    new = services.conditions_publish(round_=round_, text="개정된 조건", by=staff)
    representative = project.application.group.representative
    values = {
        "self_contribution_confirmed": True,
        "bank_name": "광주은행",
        "account_holder": "햇살",
        "account_number": "123-456-789012",
        "by": representative,
    }
    with pytest.raises(ValidationError) as error:
        services.agreement_accept(project=project, conditions=old, **values)
    assert error.value.code == "stale"
    with pytest.raises(ValidationError):
        services.agreement_accept(project=project, conditions=new, **(values | {"self_contribution_confirmed": False}))

    agreement = services.agreement_accept(project=project, conditions=new, **values)
    assert (agreement.conditions.version, agreement.accepted_by) == (2, representative)
    services.agreement_countersign(project=project, by=staff)

    project.refresh_from_db()
    agreement.refresh_from_db()
    assert project.status == workflow.ACTIVE
    assert agreement.countersigned_by == staff and agreement.countersigned_at is not None
    change = project.status_changes.get(to_status=workflow.ACTIVE)
    assert (change.from_status, change.by) == (workflow.AGREEMENT, staff)


def test_the_bank_account_is_masked_and_every_staff_view_is_logged(staff, resident):
    project = active_project(staff=staff)
    assert services.masked_account_number(project.agreement.account_number) == "●●●●●●●●9012"
    with pytest.raises(services.PermissionDenied):
        services.bank_account_view(project=project, user=resident)
    assert services.bank_account_view(project=project, user=staff)["number"] == "1234-5678-9012"
    log = AccessLog.objects.get()
    assert (log.user, log.subject, log.person, log.action) == (
        staff,
        project.agreement,
        project.application.group.representative,
        "view",
    )


def test_disbursements_never_pass_the_award(staff):
    project = active_project(staff=staff)
    pay(project, 600_000, staff)
    with pytest.raises(services.OverAward):
        services.disbursement_request(project=project, amount=400_001, by=project.application.group.representative)
    pay(project, 400_000, staff)
    project.refresh_from_db()
    assert project.disbursed_total == 1_000_000
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(disbursed_total=F("disbursed_total") + 1)


def test_instalments_are_limited_by_the_rounds_rule(staff):
    project = active_project(staff=staff)
    pay(project, 100_000, staff)
    pay(project, 100_000, staff)
    with pytest.raises(ValidationError) as error:
        services.disbursement_request(project=project, amount=100_000, by=project.application.group.representative)
    assert error.value.code == "too_many"


def test_subsidy_spending_cannot_pass_what_was_disbursed(staff):
    project = active_project(staff=staff)
    pay(project, 300_000, staff)
    expense(project, 200_000)
    expense(project, 500_000, source="self")  # self-contribution is not limited by disbursement
    with pytest.raises(services.OverDisbursed) as error:
        expense(project, 100_001)
    assert "99,999" not in error.value.messages[0] and "100,000" in error.value.messages[0]
    project.refresh_from_db()
    assert (project.subsidy_spent, project.self_spent) == (200_000, 500_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(subsidy_spent=300_001)


def test_spending_rules_refuse_or_flag_in_their_own_words(staff):
    project = active_project(staff=staff)
    pay(project, 1_000_000, staff)
    rules = project.application.round.project_rules
    rules.period_start, rules.period_end = datetime.date(2026, 4, 1), datetime.date(2026, 11, 30)
    rules.instructor_hourly_cap = 50_000
    rules.save()
    with pytest.raises(ValidationError) as error:
        expense(project, 10_000, spent_on=datetime.date(2026, 3, 31))
    assert error.value.error_list[0].code == "before_period"
    flagged = expense(project, 200_000, key="instructor", hours=3)
    assert "50,000" in flagged.flags and "150,000" in flagged.flags
    category = services.categories_for(project.application.round)["other"]
    category.subsidy_allowed = False
    category.save()
    with pytest.raises(ValidationError) as error:
        expense(project, 10_000, key="other")
    assert error.value.error_list[0].code == "category_not_subsidy"
    assert expense(project, 10_000, key="other", source="self").flags == ""


def test_settlement_disallowed_spending_is_returned_with_interest(staff):
    project = active_project(staff=staff)
    representative = project.application.group.representative
    pay(project, 1_000_000, staff)
    kept = expense(project, 600_000)
    refused = expense(project, 250_000)
    own = expense(project, 200_000, source="self")
    services.settlement_submit(project=project, interest=1_234, by=representative)
    with pytest.raises(ValidationError):
        services.expense_review(expense=refused, accepted=False, by=staff, reason="")
    services.expense_review(expense=kept, accepted=True, by=staff)
    services.expense_review(expense=own, accepted=True, by=staff)
    with pytest.raises(ValidationError) as error:
        services.settlement_decide(project=project, by=staff)
    assert error.value.code == "expenses_pending"
    services.expense_review(expense=refused, accepted=False, by=staff, reason="영수증이 사업 기간 밖입니다")

    settlement = services.settlement_decide(project=project, by=staff)

    assert settlement.accepted_subsidy == 600_000
    assert settlement.return_amount == 1_000_000 - 600_000 + 1_234
    project.refresh_from_db()
    assert project.status == workflow.RETURN_DUE
    with pytest.raises(ValidationError):
        services.settlement_record_return(project=project, amount=401_233, returned_on=TODAY, by=staff)
    services.settlement_record_return(project=project, amount=401_234, returned_on=TODAY, by=staff)
    project.refresh_from_db()
    assert project.status == workflow.CLOSED
    assert list(project.status_changes.values_list("to_status", flat=True)) == [
        workflow.AGREEMENT,
        workflow.ACTIVE,
        workflow.SETTLEMENT_SUBMITTED,
        workflow.RETURN_DUE,
        workflow.CLOSED,
    ]


def test_corrections_send_a_disallowed_expense_back_to_review(staff):
    project = active_project(staff=staff)
    representative = project.application.group.representative
    pay(project, 500_000, staff)
    line = expense(project, 500_000)
    services.settlement_submit(project=project, interest=0, by=representative)
    services.expense_review(expense=line, accepted=False, by=staff, reason="영수증이 흐립니다")
    services.settlement_request_corrections(project=project, by=staff, note="영수증을 다시 올려 주세요")
    corrected = services.expense_update(expense=line, by=representative, answer="다시 찍었습니다")
    assert corrected.review == Expense.Review.PENDING and corrected.group_answer == "다시 찍었습니다"
    services.settlement_submit(project=project, interest=0, by=representative)
    services.expense_review(expense=line, accepted=True, by=staff)
    assert services.settlement_decide(project=project, by=staff).return_amount == 0
    project.refresh_from_db()
    assert project.status == workflow.CLOSED


def test_a_transition_the_workflow_does_not_allow_is_refused(staff):
    project = funded_project(staff=staff)
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(project=project, to_status=workflow.CLOSED, by=staff)
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(project=project, to_status=workflow.ACTIVE, by=staff, actor=workflow.RESIDENT)


def _totals(round_):
    round_.refresh_from_db()
    envelope = FieldEnvelope.objects.get(round=round_)
    return round_.awarded_total, envelope.awarded_total


def test_reducing_an_award_returns_money_to_the_round_and_the_field(staff):
    round_ = published_round()
    project = active_project(staff=staff, round_=round_)
    pay(project, 700_000, staff)
    expense(project, 300_000)
    assert _totals(round_) == (1_000_000, 1_000_000)
    with pytest.raises(ValidationError) as error:
        services.award_change(project=project, new_amount=200_000, reason="사업 축소", by=staff)
    assert error.value.code == "below_spent"

    change = services.award_change(project=project, new_amount=400_000, reason="사업 축소", by=staff)

    project.refresh_from_db()
    assert (project.award, project.recovery_due, change.recovery_added) == (400_000, 300_000, 300_000)
    assert _totals(round_) == (400_000, 400_000)
    assert project.application.__class__.objects.get(pk=project.application_id).awarded_amount == 400_000
    with pytest.raises(services.OverAward):
        services.disbursement_request(project=project, amount=1, by=project.application.group.representative)


def test_cancelling_an_award_releases_all_of_it_and_owes_back_what_was_paid(staff):
    round_ = published_round()
    project = active_project(staff=staff, round_=round_)
    pay(project, 500_000, staff)
    services.award_change(project=project, new_amount=0, reason="사업 포기", by=staff)
    project.refresh_from_db()
    assert (project.status, project.award, project.recovery_due) == (workflow.CANCELLED, 0, 500_000)
    assert _totals(round_) == (0, 0)
    assert GrantRound.objects.get(pk=round_.pk).remaining == round_.budget
    assert project.status_changes.last().note == "사업 포기"


def test_small_plan_changes_are_recorded_and_large_ones_wait_for_staff_with_a_reason(staff):
    project = active_project(staff=staff)  # activity 600,000 · meetings 400,000 · self 200,000
    representative = project.application.group.representative
    categories = services.categories_for(project.application.round)

    def lines(activity, meetings):
        return [
            {"category": categories["activity"], "item": "활동 재료", "source": "subsidy", "amount": activity},
            {"category": categories["meetings"], "item": "회의 다과", "source": "subsidy", "amount": meetings},
            {"category": categories["other"], "item": "자부담", "source": "self", "amount": 200_000},
        ]

    # 80,000 is exactly 20 % of meetings' 400,000: within the threshold, recorded at once.
    small = services.plan_submit(project=project, lines=lines(680_000, 320_000), by=representative)
    assert small.status == PlanVersion.Status.RECORDED
    assert services.plan_in_force(project) == small
    # 64,001 more out of meetings' 320,000 is over 20 %: a reason and staff's approval are needed.
    with pytest.raises(ValidationError) as error:
        services.plan_submit(project=project, lines=lines(744_001, 255_999), by=representative)
    assert error.value.error_list[0].code == "reason_required"
    large = services.plan_submit(project=project, lines=lines(744_001, 255_999), by=representative, reason="행사 추가")
    assert large.status == PlanVersion.Status.SUBMITTED
    assert services.plan_in_force(project) == small  # the recorded plan holds until staff decide
    services.plan_decide(version=large, approve=True, by=staff)
    assert services.plan_in_force(project).pk == large.pk
    assert list(project.plan_versions.values_list("status", flat=True)) == [
        PlanVersion.Status.SUPERSEDED,
        PlanVersion.Status.SUPERSEDED,
        PlanVersion.Status.CONFIRMED,
    ]
