"""The 2025 round's funded projects at every stage, built through ``projects.services`` so
every invariant the portal keeps holds in the demo too (``portal.demo`` calls ``seed``).

Stages, by the order of the groups: most projects settled and closed (some returned unspent
subsidy, some had expenses disallowed), a few waiting for the return, for staff's review of
the settlement, for the group's corrections, still spending after the deadline, a reduced
award with money to recover, an agreement waiting to be countersigned, and one cancelled.
"""

import base64
import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum

from grants import services as grant_services
from grants.models import Application, GrantRound
from projects import rules, services, workflow
from projects.models import Expense, Project

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
CONDITIONS = """1. 보조금은 승인된 사업계획서의 목적과 예산 항목에 맞게만 씁니다.
2. 보조금은 공동체 명의의 통장과 보조금 카드로만 집행하며, 현금 사용은 최소화합니다.
3. 모든 지출에는 카드전표·세금계산서·영수증 등 증빙을 붙입니다.
4. 인건비·임대료·공과금 등은 보조금으로 쓸 수 없습니다.
5. 강사비는 시간당 5만 원, 식비는 1인당 1만 원을 넘지 않습니다.
6. 사업이 끝나면 14일 안에 정산서를 제출하고, 남은 보조금과 이자를 반납합니다.
7. 항목 간 20%를 넘는 예산 변경은 구청의 사전 승인을 받습니다."""
PAYEES = ["동네문구", "햇살분식", "서구인쇄소", "마을꽃집", "광주철물", "이웃카페", "새싹마트"]


def _stage(index: int, total: int) -> str:
    """Which stage the ``index``-th project (0-based) is left at."""
    tail = [
        "cancelled",
        "agreement",
        "reduced",
        "overdue",
        "overdue",
        "corrections",
        "submitted",
        "submitted",
        "submitted",
        "return_due",
        "return_due",
    ]
    from_end = total - 1 - index
    return tail[from_end] if from_end < len(tail) else "closed"


def seed(*, round_: GrantRound, staff, seed: int = 2025) -> int:
    """Open and advance the round's projects; returns how many were created (0 when done)."""
    if Project.objects.filter(application__round=round_).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data)
    project_rules = rules.rules_for(round_)
    project_rules.period_start, project_rules.period_end = datetime.date(2025, 4, 1), datetime.date(2025, 11, 30)
    project_rules.instructor_hourly_cap, project_rules.meal_per_person_cap = 50_000, 10_000
    project_rules.save()
    categories = services.categories_for(round_)
    codes = {"activity": "307-02", "materials": "210-01", "publicity": "210-02", "instructor": "301-11"}
    for key, code in codes.items():
        categories[key].subsidy_code = code
        categories[key].save(update_fields=["subsidy_code"])
    conditions = services.current_conditions(round_) or services.conditions_publish(
        round_=round_, text=CONDITIONS, by=staff
    )
    if round_.results_published_at is None:
        grant_services.round_publish_results(round_=round_, by=staff)  # opens every funded project
    approved = Application.objects.filter(round=round_, status="approved").select_related("group__representative")
    for application in approved.order_by("pk"):
        services.project_open(application=application, by=staff)
    projects = list(Project.objects.filter(application__round=round_).order_by("application__pk"))
    with connection.cursor() as cursor:  # fresh tables: give the planner statistics (see STYLE.md)
        cursor.execute("ANALYZE")
    for index, project in enumerate(projects):
        _advance(project, _stage(index, len(projects)), conditions, categories, staff, rng)
    _check(round_)
    return len(projects)


def _advance(project, stage, conditions, categories, staff, rng):
    representative = project.application.group.representative
    if stage == "cancelled":
        services.award_change(project=project, new_amount=0, reason="공동체 해산으로 사업을 포기함", by=staff)
        return
    if project.status == workflow.PLANNING:  # the demo's applications ask for what they get
        return
    services.agreement_accept(
        project=project,
        conditions=conditions,
        self_contribution_confirmed=True,
        bank_name=rng.choice(["광주은행", "농협은행", "국민은행"]),
        account_holder=project.application.group.name,
        account_number=f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}-{rng.randint(100000, 999999)}",
        by=representative,
    )
    if stage == "agreement":
        return
    services.agreement_countersign(project=project, by=staff)
    project.refresh_from_db()
    first = project.award * 6 // 10
    for amount in (first, project.award - first):
        request = services.disbursement_request(project=project, amount=amount, by=representative)
        services.disbursement_pay(disbursement=request, by=staff, paid_on=datetime.date(2025, 4, 20))
    project.refresh_from_db()
    spend_share = 80 if stage == "reduced" else rng.choice([100, 100, 98, 95, 90])
    expenses = _spend(project, categories, project.award * spend_share // 100, representative, rng)
    project.refresh_from_db()
    if stage == "reduced":
        services.award_change(
            project=project, new_amount=project.subsidy_spent, reason="사업 규모 축소 (하반기 행사 취소)", by=staff
        )
        return
    if stage == "overdue":
        return
    services.settlement_submit(project=project, interest=rng.randint(0, 4_000), by=representative)
    if stage == "submitted":
        return
    disallow = stage == "corrections" or rng.random() < 0.15
    last_subsidy = [e for e in expenses if e.source == Expense.Source.SUBSIDY][-1]
    for expense in expenses:
        refused = disallow and expense == last_subsidy
        services.expense_review(
            expense=expense,
            accepted=not refused,
            by=staff,
            reason="사업 목적과 관계가 확인되지 않는 지출" if refused else "",
        )
    if stage == "corrections":
        services.settlement_request_corrections(
            project=project, by=staff, note="마지막 지출의 용도를 설명하거나 영수증을 다시 올려 주세요."
        )
        return
    settlement = services.settlement_decide(project=project, by=staff)
    if stage == "return_due" or not settlement.return_amount:
        return
    services.settlement_record_return(
        project=project, amount=settlement.return_amount, returned_on=datetime.date(2025, 12, 20), by=staff
    )


def _spend(project, categories, subsidy_total, representative, rng) -> list[Expense]:
    """Three to six subsidy expenses adding up to ``subsidy_total`` and one self-contribution."""
    count = rng.randint(3, 6)
    amounts = [subsidy_total // count] * count
    amounts[-1] += subsidy_total - sum(amounts)
    keys = ["activity", "materials", "publicity", "activity", "materials", "publicity"]
    expenses = []
    for number, amount in enumerate(amounts):
        expenses.append(
            _expense(project, categories[keys[number]], "subsidy", amount, number, representative, rng, evidence=True)
        )
    own = max(1, project.application.budget_lines.filter(source="self").aggregate(t=Sum("amount"))["t"] or 10_000)
    expenses.append(_expense(project, categories["meetings"], "self", own, count, representative, rng, evidence=False))
    return expenses


def _expense(project, category, source, amount, number, representative, rng, *, evidence):
    return services.expense_record(
        project=project,
        by=representative,
        spent_on=datetime.date(2025, 5, 1) + datetime.timedelta(days=25 * number + rng.randint(0, 10)),
        category=category,
        source=source,
        payee=rng.choice(PAYEES),
        purpose=f"{category.name} ({number + 1})",
        amount=amount,
        method="card" if source == "subsidy" else "cash",
        evidence_kind="card_slip" if source == "subsidy" else "receipt",
        evidence=SimpleUploadedFile(f"receipt-{number + 1}.png", PNG, content_type="image/png") if evidence else None,
    )


def _check(round_: GrantRound) -> None:
    """The invariants the demo must show: the round's awarded total is the sum of the awards,
    nothing is disbursed above an award (plus what is owed back), spending within payments."""
    round_.refresh_from_db()
    projects = Project.objects.filter(application__round=round_)
    awarded = projects.aggregate(t=Sum("award"))["t"] or 0
    others = Application.objects.filter(round=round_, status="approved", project__isnull=True)
    awarded += others.aggregate(t=Sum("awarded_amount"))["t"] or 0
    assert round_.awarded_total == awarded, (round_.awarded_total, awarded)
    for project in projects:
        assert project.subsidy_spent <= project.disbursed_total <= project.award + project.recovery_due
