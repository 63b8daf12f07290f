"""On a 375 px phone: the representative signs the agreement, requests the first instalment,
staff pay it in the admin, the representative records three expenses with receipt photos and
submits the settlement; staff disallow one and the return is computed."""

import base64
import shutil
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects import workflow
from projects.models import Expense, Project
from projects.tests.helpers import conditions, funded_project
from tests.browser import login
from tests.test_mentor_visit import assert_no_horizontal_scroll

# A 1×1 PNG: what a phone camera upload looks like to the content check.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
SHOTS = Path("/work/wt/shots/issue-12")


@pytest.fixture
def shot(screenshot):
    """Screenshots under test-artifacts and, when the team's shots folder exists, there too."""

    def take(page, step):
        path = screenshot(page, step)
        if SHOTS.parent.exists():
            SHOTS.mkdir(exist_ok=True)
            shutil.copy(path, SHOTS / path.name)
        return path

    return take


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_project_from_agreement_to_settlement_on_a_phone(
    live_server, phone_page, desktop_page, shot, resident, staff, tmp_path
):
    group = resident.represented_groups.get()
    project = funded_project(staff=staff, group=group, requested=1_000_000, own=200_000)
    conditions(project.application.round, staff)
    receipt = tmp_path / "receipt.png"
    receipt.write_bytes(PNG)
    page = phone_page

    login(page, live_server, resident.email)
    page.goto(live_server.url + reverse("projects:home", args=[project.pk]))
    expect(page.get_by_test_id("project-status")).to_have_text("협약 체결 대기")
    assert_no_horizontal_scroll(page)
    shot(page, "01-project-home-agreement")

    page.get_by_role("link", name="협약 읽고 동의하기").click()
    expect(page.get_by_test_id("conditions")).to_be_visible()
    page.locator("#id_accept").check()
    page.locator("#id_self_contribution_confirmed").check()
    page.locator("#id_bank_name").fill("광주은행")
    page.locator("#id_account_holder").fill("햇살마을공동체")
    page.locator("#id_account_number").fill("1234-5678-9012")
    assert_no_horizontal_scroll(page)
    shot(page, "02-agreement-form")
    page.get_by_role("button", name="협약에 동의하기").click()
    expect(page.get_by_test_id("next-step")).to_be_visible()

    staff_page = desktop_page
    login(staff_page, live_server, staff.email)
    workspace = live_server.url + reverse("admin:projects_project_change", args=[project.pk])
    staff_page.goto(workspace)
    staff_page.get_by_test_id("countersign").click()
    expect(staff_page.get_by_test_id("workspace")).to_have_attribute("data-status", workflow.ACTIVE)

    page.goto(live_server.url + reverse("projects:disbursements", args=[project.pk]))
    page.locator("#id_amount").fill("1,000,000")
    page.get_by_role("button", name="이 금액 신청하기").click()
    expect(page.get_by_test_id("disbursement")).to_contain_text("신청함")
    shot(page, "03-disbursement-requested")

    staff_page.goto(workspace)
    staff_page.get_by_test_id("pay").click()
    expect(staff_page.get_by_test_id("disbursed")).to_have_text("1,000,000")

    page.goto(live_server.url + reverse("projects:ledger", args=[project.pk]))
    for payee, amount in [("동네문구", "120,000"), ("햇살분식", "80,000"), ("인쇄소", "300,000")]:
        page.locator("#id_payee").fill(payee)
        page.locator("#id_purpose").fill("마을 행사 준비")
        page.locator("#id_amount").fill(amount)
        page.locator("#id_evidence_file").set_input_files(str(receipt))
        if payee == "동네문구":
            assert_no_horizontal_scroll(page)
            shot(page, "04-ledger-form-filled")
        page.get_by_role("button", name="지출 저장").click()
        expect(page.get_by_test_id("expenses")).to_contain_text(payee)
    expect(page.get_by_test_id("total-subsidy")).to_have_text("500,000")
    assert_no_horizontal_scroll(page)
    shot(page, "05-ledger-three-expenses")
    assert Expense.objects.filter(project=project).exclude(evidence="").count() == 3

    page.goto(live_server.url + reverse("projects:settlement", args=[project.pk]))
    page.locator("#id_interest").fill("1,500")
    page.locator("#id_confirm").check()
    shot(page, "06-settlement-form")
    page.get_by_role("button", name="정산 제출하기").click()
    expect(page.get_by_test_id("project-status")).to_have_text("정산 검토 중")

    staff_page.goto(workspace)
    refused = Expense.objects.get(project=project, payee="햇살분식")
    for expense in Expense.objects.filter(project=project).exclude(pk=refused.pk):
        staff_page.get_by_test_id(f"accept-{expense.pk}").click()
        expect(staff_page.get_by_test_id(f"expense-{expense.pk}")).to_have_class("accepted")
    staff_page.get_by_test_id(f"reason-{refused.pk}").fill("사업 목적과 관계없는 식비")
    staff_page.get_by_test_id(f"disallow-{refused.pk}").click()
    expect(staff_page.get_by_test_id("preview-return")).to_have_text("581,500")
    staff_page.get_by_test_id("decide").click()
    expect(staff_page.get_by_test_id("return-amount")).to_contain_text("581,500")

    page.goto(live_server.url + reverse("projects:home", args=[project.pk]))
    expect(page.get_by_test_id("return-amount")).to_contain_text("581,500")
    assert_no_horizontal_scroll(page)
    shot(page, "07-project-home-return-due")
    project = Project.objects.get(pk=project.pk)
    assert project.status == workflow.RETURN_DUE
    assert project.settlement.return_amount == 1_000_000 - (120_000 + 300_000) + 1_500
