"""The representative's project pages: who may see them, and each step posted as a browser does."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AccessLog
from grants.tests.conftest import tiny_pdf
from projects import services, workflow
from projects.models import Disbursement, Expense, PlanVersion
from projects.tests.helpers import TODAY, active_project, conditions, funded_project, pay
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(resident):
    return resident.represented_groups.get()


@pytest.fixture
def project(staff, group):
    project = active_project(staff=staff, group=group)
    pay(project, 500_000, staff)
    return project


@pytest.fixture
def with_expense(project, resident):
    category = services.categories_for(project.application.round)["activity"]
    return services.expense_record(
        project=project,
        by=resident,
        spent_on=TODAY,
        category=category,
        source="subsidy",
        payee="동네문구",
        purpose="색지",
        amount=30_000,
        method="card",
        evidence_kind="receipt",
        evidence=SimpleUploadedFile("영수증.pdf", tiny_pdf(), content_type="application/pdf"),
    )


PAGES = ["home", "plan", "agreement", "disbursements", "ledger", "settlement"]


def urls(project, expense):
    pages = [reverse(f"projects:{name}", args=[project.pk]) for name in PAGES]
    return [
        *pages,
        reverse("projects:expense_edit", args=[project.pk, expense.pk]),
        reverse("projects:evidence", args=[project.pk, expense.pk]),
    ]


def test_the_representative_sees_every_page_of_the_project(client, resident, project, with_expense):
    client.force_login(resident)
    for url in urls(project, with_expense):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["other_resident", "mentor"])
def test_anyone_else_gets_404_on_every_page_evidence_and_account(request, client, project, with_expense, who):
    client.force_login(request.getfixturevalue(who))
    for url in urls(project, with_expense):
        assert client.get(url).status_code == 404, url
    delete = reverse("projects:expense_delete", args=[project.pk, with_expense.pk])
    assert client.post(delete).status_code == 404
    assert Expense.objects.filter(pk=with_expense.pk).exists()


def test_staff_on_the_public_site_get_only_the_evidence_and_it_is_logged(client, staff, project, with_expense):
    client.force_login(staff)
    for url in urls(project, with_expense)[:-1]:
        assert client.get(url).status_code == 404, url
    response = client.get(reverse("projects:evidence", args=[project.pk, with_expense.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(user=staff, action="download", subject_id=with_expense.pk).count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, project, with_expense):
    for url in urls(project, with_expense):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_home_page_shows_the_status_and_next_step(client, resident, project):
    client.force_login(resident)
    page = client.get(reverse("projects:home", args=[project.pk])).content.decode()
    assert str(workflow.PHASES[workflow.ACTIVE].resident_label) in page
    assert str(workflow.PHASES[workflow.ACTIVE].next_step) in page
    assert "500,000" in page  # paid so far


def test_the_account_number_is_shown_masked_to_the_group(client, resident, project):
    client.force_login(resident)
    page = client.get(reverse("projects:agreement", args=[project.pk])).content.decode()
    assert "1234-5678-9012" not in page and "9012" in page
    assert not AccessLog.objects.exists()


def test_the_representative_signs_the_agreement_from_the_page(client, staff, resident, group):
    project = funded_project(staff=staff, group=group)
    conditions(project.application.round, staff)
    client.force_login(resident)
    url = reverse("projects:agreement", args=[project.pk])
    data = form_data(client.get(url).content, "agreement-form")
    data |= {
        "accept": "on",
        "self_contribution_confirmed": "on",
        "bank_name": "광주은행",
        "account_holder": "햇살마을공동체",
        "account_number": "123-45-678901",
    }
    assert client.post(url, data).status_code == 302
    assert project.agreement.conditions.version == 1 and project.agreement.accepted_by == resident


def test_an_unticked_self_contribution_keeps_the_typed_account_and_says_why(client, staff, resident, group):
    project = funded_project(staff=staff, group=group)
    conditions(project.application.round, staff)
    client.force_login(resident)
    url = reverse("projects:agreement", args=[project.pk])
    data = form_data(client.get(url).content, "agreement-form") | {
        "accept": "on",
        "bank_name": "광주은행",
        "account_holder": "햇살",
        "account_number": "123-45-678901",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'value="광주은행"' in response.content.decode()
    assert response.context["error_summary"]


def test_the_plan_page_posts_the_adjustment_to_the_award(client, staff, resident, group):
    project = funded_project(staff=staff, group=group, requested=1_000_000, award=800_000)
    client.force_login(resident)
    url = reverse("projects:plan", args=[project.pk])
    data = form_data(client.get(url).content, "plan-form")
    assert data["lines-0-amount"] == "600000" and data["lines-1-amount"] == "400000"
    data["lines-1-amount"] = "200,000"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["error_summary"]
    version = project.plan_versions.get(number=2)
    assert (version.status, version.subsidy_total, version.self_total) == (
        PlanVersion.Status.SUBMITTED,
        800_000,
        200_000,
    )


def test_the_plan_page_refuses_lines_not_adding_up_to_the_award(client, staff, resident, group):
    project = funded_project(staff=staff, group=group, requested=1_000_000, award=800_000)
    client.force_login(resident)
    url = reverse("projects:plan", args=[project.pk])
    response = client.post(url, form_data(client.get(url).content, "plan-form"))
    assert response.status_code == 400
    assert "800,000" in response.content.decode()
    assert project.plan_versions.count() == 1


def test_a_disbursement_is_requested_from_the_page(client, resident, project):
    client.force_login(resident)
    url = reverse("projects:disbursements", args=[project.pk])
    data = form_data(client.get(url).content, "disbursement-form") | {"amount": "500,000"}
    assert client.post(url, data).status_code == 302
    assert project.disbursements.get(status=Disbursement.Status.REQUESTED).amount == 500_000
    data["amount"] = "1"
    response = client.post(url, data)
    assert response.status_code == 400  # the second instalment of two is already requested


def test_an_expense_with_a_receipt_photo_is_recorded_from_the_phone_form(client, resident, project):
    client.force_login(resident)
    url = reverse("projects:ledger", args=[project.pk])
    data = form_data(client.get(url).content, "expense-form")
    category = services.categories_for(project.application.round)["activity"]
    data |= {
        "spent_on": "2026-05-10",
        "category": str(category.pk),
        "payee": "동네문구",
        "purpose": "색지와 풀",
        "amount": "45,000",
        "evidence_file": SimpleUploadedFile("receipt.pdf", tiny_pdf(), content_type="application/pdf"),
    }
    assert client.post(url, data).status_code == 302
    expense = project.expenses.get()
    assert (expense.amount, expense.source, expense.method, expense.evidence_content_type) == (
        45_000,
        "subsidy",
        "card",
        "application/pdf",
    )
    page = client.get(url).content.decode()
    assert "45,000" in page


def test_a_fake_receipt_is_refused_and_nothing_is_spent(client, resident, project):
    client.force_login(resident)
    url = reverse("projects:ledger", args=[project.pk])
    data = form_data(client.get(url).content, "expense-form")
    data |= {
        "payee": "동네문구",
        "purpose": "색지",
        "amount": "45000",
        "evidence_file": SimpleUploadedFile("receipt.jpg", b"not a picture", content_type="image/jpeg"),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert not project.expenses.exists()
    project.refresh_from_db()
    assert project.subsidy_spent == 0


def test_spending_above_what_was_paid_is_refused_in_plain_words(client, resident, project):
    client.force_login(resident)
    url = reverse("projects:ledger", args=[project.pk])
    data = form_data(client.get(url).content, "expense-form") | {
        "payee": "가게",
        "purpose": "물품",
        "amount": "500,001",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "500,000" in response.content.decode()


def test_the_settlement_is_submitted_from_the_page(client, resident, project, with_expense):
    client.force_login(resident)
    url = reverse("projects:settlement", args=[project.pk])
    data = form_data(client.get(url).content, "settlement-form") | {"interest": "1,200", "confirm": "on"}
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.status == workflow.SETTLEMENT_SUBMITTED and project.settlement.interest == 1_200


def test_list_pages_query_count_does_not_grow_with_expenses(client, resident, project, django_assert_max_num_queries):
    client.force_login(resident)
    category = services.categories_for(project.application.round)["activity"]
    Expense.objects.bulk_create(
        [
            Expense(
                project=project,
                spent_on=TODAY,
                category=category,
                source="self",
                payee=f"가게{i}",
                purpose="물품",
                amount=1000,
                method="cash",
            )
            for i in range(200)
        ]
    )
    for name in ["ledger", "settlement", "home"]:
        with django_assert_max_num_queries(25, info=f"{name} page: a query per expense crept in?"):
            assert client.get(reverse(f"projects:{name}", args=[project.pk])).status_code == 200
