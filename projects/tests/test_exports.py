"""The settlement sheet and the round summary open in a spreadsheet and agree with the database."""

import csv
import io

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog
from projects import services
from projects.models import Expense, Project
from projects.tests.helpers import TODAY, active_project, funded_project, pay, published_round

pytestmark = pytest.mark.django_db


def spend(project, amount, *, source="subsidy", payee="동네문구"):
    category = services.categories_for(project.application.round)["activity"]
    return services.expense_record(
        project=project,
        by=project.application.group.representative,
        spent_on=TODAY,
        category=category,
        source=source,
        payee=payee,
        purpose="재료",
        amount=amount,
        method="card",
    )


@pytest.fixture
def settled(staff):
    round_ = published_round()
    category = services.categories_for(round_)["activity"]
    category.subsidy_code = "307-02"
    category.save()
    project = active_project(staff=staff, round_=round_)
    pay(project, 900_000, staff)
    kept = spend(project, 400_000)
    refused = spend(project, 150_000, payee='=HYPERLINK("http://evil")')
    spend(project, 120_000, source="self")
    services.settlement_submit(project=project, interest=2_345, by=project.application.group.representative)
    for expense in project.expenses.all():
        services.expense_review(expense=expense, accepted=expense != refused, by=staff, reason="증빙 불충분")
    services.settlement_decide(project=project, by=staff)
    assert kept
    return Project.objects.get(pk=project.pk)


def test_the_settlement_sheet_opens_and_its_totals_equal_the_database(client, staff, settled):
    client.force_login(staff)
    response = client.get(reverse("admin:projects_project_settlement_export", args=[settled.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    expenses = [row for row in rows[1:] if row and isinstance(row[6], int)]
    assert len(expenses) == settled.expenses.count() == 3
    assert sum(row[6] for row in expenses) == settled.expenses.aggregate(t=Sum("amount"))["t"]
    assert {row[2] for row in expenses} == {"307-02"}
    totals = {
        row[0]: row[1]
        for row in rows
        if row and row[0] and row[1] is not None and len([c for c in row if c is not None]) == 2
    }
    assert totals["교부받은 금액"] == settled.disbursed_total == 900_000
    assert totals["반납할 보조금"] == settled.settlement.return_amount == 900_000 - 400_000 + 2_345
    # Text a resident typed never becomes a live formula; amounts stay numbers with thousands format.
    payee_cells = [row[4].value for row in sheet.iter_rows(min_row=2) if row[4].value]
    assert '\'=HYPERLINK("http://evil")' in payee_cells
    assert sheet.cell(row=2, column=7).number_format == "#,##0"
    assert AccessLog.objects.filter(user=staff, action="export", subject_id=settled.pk).count() == 1


def test_the_settlement_sheet_as_csv_neutralises_formulas(client, staff, settled):
    client.force_login(staff)
    response = client.get(reverse("admin:projects_project_settlement_export", args=[settled.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert any(row and row[4] == '\'=HYPERLINK("http://evil")' for row in rows)


def test_the_round_summary_totals_equal_the_sum_over_projects(client, staff, settled):
    round_ = settled.application.round
    other = active_project(staff=staff, round_=round_)
    pay(other, 300_000, staff)
    spend(other, 100_000)
    funded_project(staff=staff, round_=round_)
    client.force_login(staff)
    response = client.get(reverse("admin:projects_project_summary_export", args=[round_.pk, "xlsx"]))
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(body) == Project.objects.filter(application__round=round_).count() == 3
    projects = Project.objects.filter(application__round=round_)
    database = projects.aggregate(a=Sum("award"), d=Sum("disbursed_total"), s=Sum("subsidy_spent"), o=Sum("self_spent"))
    assert total[3:7] == [database["a"], database["d"], database["s"], database["o"]]
    disallowed = Expense.objects.filter(project__in=projects, review="disallowed", source="subsidy")
    assert total[7] == disallowed.aggregate(t=Sum("amount"))["t"] == 150_000
    assert total[8] == settled.settlement.return_amount
    assert [sum(row[i] for row in body) for i in range(3, 10)] == total[3:10]
    assert len(header) == len(total) == 10


def test_exports_are_for_staff_only(client, resident, settled):
    client.force_login(resident)
    response = client.get(reverse("admin:projects_project_settlement_export", args=[settled.pk, "xlsx"]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
