"""The demo's 2025 projects: every stage, built through the services, every number agreeing."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from grants.models import Application, FieldEnvelope, GrantRound
from projects import workflow
from projects.models import Expense, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_the_2025_round_has_its_109_projects_at_every_stage(seeded):
    round_2025 = GrantRound.objects.get(year=2025)
    projects = Project.objects.filter(application__round=round_2025)
    assert projects.count() == 109
    statuses = set(projects.values_list("status", flat=True))
    assert statuses == {
        workflow.AGREEMENT,
        workflow.ACTIVE,
        workflow.SETTLEMENT_SUBMITTED,
        workflow.CORRECTIONS,
        workflow.RETURN_DUE,
        workflow.CLOSED,
        workflow.CANCELLED,
    }
    assert projects.filter(status=workflow.CANCELLED).count() == 1
    closed = projects.filter(status=workflow.CLOSED)
    assert closed.filter(settlement__returned_amount__gt=0).exists()  # some returned money
    assert Expense.objects.filter(project__in=closed, review="disallowed").exists()  # some had items disallowed
    assert projects.filter(recovery_due__gt=0).exists()


def test_the_demo_round_and_field_totals_equal_the_sum_of_the_awards(seeded):
    round_2025 = GrantRound.objects.get(year=2025)
    projects = Project.objects.filter(application__round=round_2025)
    assert round_2025.awarded_total == projects.aggregate(t=Sum("award"))["t"]
    approved = Application.objects.filter(round=round_2025, status="approved")
    assert round_2025.awarded_total == approved.aggregate(t=Sum("awarded_amount"))["t"]
    for envelope in FieldEnvelope.objects.filter(round=round_2025):
        assert (
            envelope.awarded_total == projects.filter(application__field=envelope.field).aggregate(t=Sum("award"))["t"]
        )
    for project in projects.select_related("settlement"):
        spent = project.expenses.filter(source="subsidy").aggregate(t=Sum("amount"))["t"] or 0
        assert spent == project.subsidy_spent <= project.disbursed_total
        paid = project.disbursements.filter(status="paid").aggregate(t=Sum("amount"))["t"] or 0
        assert paid == project.disbursed_total
