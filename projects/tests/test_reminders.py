"""The project reminder kinds through the real sweep: due once, at the round's days, never twice."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Email
from notifications.reminders import registry
from notifications.sweep import sweep
from notifications.tests.conftest import empty_queue  # noqa: F401 (fixture)
from projects import services
from projects.models import ProjectStatusChange
from projects.tests.helpers import TODAY, active_project, funded_project, pay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_queue")]
DAY = datetime.timedelta(days=1)


def keys(kind):
    return sorted(Email.objects.filter(kind=kind).values_list("dedup_key", flat=True))


def backdate(project, status, days):
    ProjectStatusChange.objects.filter(project=project, to_status=status).update(at=timezone.now() - days * DAY)


def test_projects_register_their_kinds_and_deadlines_are_essential():
    names = {"project_agreement", "project_disbursement", "project_settlement_due", "project_evidence_missing"}
    assert names | {"project_corrections"} <= set(registry)
    assert registry["project_settlement_due"].essential and not registry["project_evidence_missing"].essential


def test_an_unsigned_agreement_is_reminded_once_after_the_rounds_days(staff):
    project = funded_project(staff=staff)
    backdate(project, "agreement", 6)
    sweep(kinds=["project_agreement"])
    assert keys("project_agreement") == []  # 6 days < the round's 7
    backdate(project, "agreement", 7)
    sweep(kinds=["project_agreement"])
    sweep(kinds=["project_agreement"])
    assert keys("project_agreement") == [f"project-agreement:D+7:project:{project.pk}"]
    assert Email.objects.get(kind="project_agreement").recipient == project.application.group.representative.email


def test_a_subsidy_not_requested_is_reminded_and_a_request_stops_it(staff):
    reminded, requested = active_project(staff=staff), active_project(staff=staff)
    services.disbursement_request(project=requested, amount=1, by=requested.application.group.representative)
    for project in (reminded, requested):
        backdate(project, "active", 15)
    sweep(kinds=["project_disbursement"])
    assert keys("project_disbursement") == [f"project-disbursement:D+14:project:{reminded.pk}"]


def test_settlement_due_soon_and_overdue_are_each_sent_once(staff):
    project = active_project(staff=staff)
    rules = project.application.round.project_rules
    today = timezone.localdate()
    rules.period_start, rules.period_end, rules.settlement_due_days = today - 200 * DAY, today - 7 * DAY, 14
    rules.save()  # due in 7 days
    sweep(kinds=["project_settlement_due"])
    sweep(kinds=["project_settlement_due"])
    due = rules.settlement_due_on
    assert keys("project_settlement_due") == [f"project-settlement-soon:{due:%Y%m%d}:project:{project.pk}"]
    sweep(now=timezone.now() + 8 * DAY, kinds=["project_settlement_due"])
    assert len(keys("project_settlement_due")) == 2
    assert f"project-settlement-overdue:{due:%Y%m%d}:project:{project.pk}" in keys("project_settlement_due")


def test_expenses_without_evidence_are_reminded_after_three_days(staff):
    project = active_project(staff=staff)
    pay(project, 100_000, staff)
    category = services.categories_for(project.application.round)["activity"]
    expense = services.expense_record(
        project=project,
        by=project.application.group.representative,
        spent_on=TODAY,
        category=category,
        source="subsidy",
        payee="가게",
        purpose="재료",
        amount=10_000,
        method="cash",
    )
    sweep(kinds=["project_evidence_missing"])
    assert keys("project_evidence_missing") == []
    sweep(now=timezone.now() + 3 * DAY + datetime.timedelta(minutes=1), kinds=["project_evidence_missing"])
    assert keys("project_evidence_missing") == [f"project-evidence:project:{project.pk}:expense:{expense.pk}"]


def test_a_corrections_request_is_emailed_once_with_the_districts_note(staff):
    project = active_project(staff=staff)
    services.settlement_submit(project=project, interest=0, by=project.application.group.representative)
    services.settlement_request_corrections(project=project, by=staff, note="영수증 사진이 흐립니다")
    sweep(kinds=["project_corrections"])
    sweep(kinds=["project_corrections"])
    email = Email.objects.get(kind="project_corrections")
    assert "영수증 사진이 흐립니다" in email.body_text
