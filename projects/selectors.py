"""Reads for projects: the one fetch per user, the ledger's totals, the spending pace."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.http import Http404

from projects import money
from projects.models import BudgetCategory, Expense, PlanLine, PlanVersion, Project


def project_for_representative(user, pk) -> Project:
    """The project ``pk`` if ``user`` represents its group; 404 for everyone else."""
    if not user.is_authenticated:
        raise Http404
    try:
        return (
            Project.objects.with_list_relations()
            .select_related("application__group__representative")
            .get(pk=pk, application__group__representative=user)
        )
    except Project.DoesNotExist:
        raise Http404 from None


def projects_for_representative(user):
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.for_representative(user).with_list_relations().order_by("-application__round__year", "-id")


def plan_in_force(project: Project) -> PlanVersion | None:
    return (
        project.plan_versions.filter(status__in=[PlanVersion.Status.CONFIRMED, PlanVersion.Status.RECORDED])
        .prefetch_related("lines__category")
        .first()
    )


@dataclass
class CategoryTotals:
    category: BudgetCategory
    plan_subsidy: int = 0
    plan_self: int = 0
    spent_subsidy: int = 0
    spent_self: int = 0

    @property
    def left_subsidy(self) -> int:
        return self.plan_subsidy - self.spent_subsidy

    @property
    def left_self(self) -> int:
        return self.plan_self - self.spent_self


def ledger_totals(project: Project) -> list[CategoryTotals]:
    """Per category: the plan in force and the spending so far, by source (three queries)."""
    rows = {c.pk: CategoryTotals(c) for c in BudgetCategory.objects.filter(round_id=project.application.round_id)}
    version = project.plan_versions.filter(
        status__in=[PlanVersion.Status.CONFIRMED, PlanVersion.Status.RECORDED]
    ).first()
    if version is not None:
        planned = PlanLine.objects.filter(version=version).values("category_id", "source").annotate(t=Sum("amount"))
        for row in planned.order_by():
            target = rows.get(row["category_id"])
            if target is not None:
                setattr(target, f"plan_{row['source']}", row["t"])
    spent = project.expenses.values("category_id", "source").annotate(t=Sum("amount")).order_by()
    for row in spent:
        target = rows.get(row["category_id"])
        if target is not None:
            setattr(target, f"spent_{row['source']}", row["t"])
    return [r for r in rows.values() if r.plan_subsidy or r.plan_self or r.spent_subsidy or r.spent_self]


def missing_evidence_count(project: Project) -> int:
    return project.expenses.filter(evidence="").count()


@dataclass(frozen=True)
class Pace:
    spent_percent: int
    time_percent: int

    @property
    def behind(self) -> bool:
        """Spending lags time by more than a quarter of the project (the mentor's cue to call)."""
        return self.time_percent - self.spent_percent > 25


def spending_pace(project: Project, rules, today: datetime.date) -> Pace | None:
    """Share of the award spent vs share of the project period elapsed; None without a period."""
    if not (rules.period_start and rules.period_end):
        return None
    length = (rules.period_end - rules.period_start).days or 1
    elapsed = min(max((today - rules.period_start).days, 0), length)
    return Pace(
        spent_percent=min(100, money.percent(project.subsidy_spent, project.award)),
        time_percent=money.percent(elapsed, length),
    )


def settlement_queue(queryset=None):
    """Projects waiting for staff (settlement submitted or instalment requested), annotated."""
    queryset = queryset if queryset is not None else Project.objects.all()
    return queryset.annotate(
        open_requests=Count("disbursements", filter=Q(disbursements__status="requested"), distinct=True),
        pending_expenses=Count("expenses", filter=Q(expenses__review=Expense.Review.PENDING), distinct=True),
    )
