"""Staff's settlement queue and project workspace in the admin."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import AccessLog
from projects import services, workflow
from projects.models import Disbursement, Expense
from projects.tests.helpers import TODAY, active_project, funded_project, pay, published_round

pytestmark = pytest.mark.django_db


def act(client, project, action, **data):
    return client.post(reverse("admin:projects_project_act", args=[project.pk, action]), data)


def spend(project, amount, **extra):
    category = services.categories_for(project.application.round)["activity"]
    values = {
        "spent_on": TODAY,
        "category": category,
        "source": "subsidy",
        "payee": "동네문구",
        "purpose": "재료",
        "amount": amount,
        "method": "card",
    } | extra
    return services.expense_record(project=project, by=project.application.group.representative, **values)


def test_staff_pay_an_instalment_review_expenses_and_the_return_is_computed(client, staff):
    client.force_login(staff)
    project = active_project(staff=staff)
    representative = project.application.group.representative
    request = services.disbursement_request(project=project, amount=800_000, by=representative)
    page = client.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert page.status_code == 200 and b'data-testid="pay"' in page.content

    assert act(client, project, "pay", disbursement=request.pk, paid_on="2026-05-01", note="").status_code == 302
    request.refresh_from_db()
    assert (request.status, request.paid_on) == (Disbursement.Status.PAID, datetime.date(2026, 5, 1))
    kept, refused = spend(project, 500_000), spend(project, 100_000)
    services.settlement_submit(project=project, interest=700, by=representative)

    act(client, project, "review", expense=kept.pk, decision="accept", reason="")
    url = reverse("admin:projects_project_act", args=[project.pk, "review"])
    response = client.post(url, {"expense": refused.pk, "decision": "disallow", "reason": ""}, follow=True)
    refused.refresh_from_db()
    assert refused.review == Expense.Review.PENDING  # no reason, no disallowing
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    act(client, project, "review", expense=refused.pk, decision="disallow", reason="사업과 무관한 지출")
    page = client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
    assert 'data-testid="preview-return">300,700<' in page
    act(client, project, "decide", note="")

    project.refresh_from_db()
    assert project.status == workflow.RETURN_DUE
    assert project.settlement.return_amount == 800_000 - 500_000 + 700
    act(client, project, "return", amount="300,700", returned_on="2026-12-20")
    project.refresh_from_db()
    assert project.status == workflow.CLOSED


def test_staff_confirm_an_adjusted_plan_and_countersign_from_the_workspace(client, staff):
    client.force_login(staff)
    project = funded_project(staff=staff, requested=1_000_000, award=900_000)
    categories = services.categories_for(project.application.round)
    version = services.plan_submit(
        project=project,
        lines=[
            {"category": categories["activity"], "item": "재료", "source": "subsidy", "amount": 900_000},
            {"category": categories["other"], "item": "자부담", "source": "self", "amount": 100_000},
        ],
        by=project.application.group.representative,
    )
    act(client, project, "plan", version=version.pk, decision="confirm", note="")
    project.refresh_from_db()
    assert project.status == workflow.AGREEMENT
    response = act(client, project, "countersign", note="")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == workflow.AGREEMENT  # the group has not signed yet: refused, nothing changed


def test_the_full_account_number_is_shown_to_staff_only_on_its_own_page_and_logged(client, staff):
    client.force_login(staff)
    project = active_project(staff=staff)
    page = client.get(reverse("admin:projects_project_change", args=[project.pk])).content.decode()
    assert "1234-5678-9012" not in page and "●●●●●●●●9012" in page
    assert not AccessLog.objects.exists()
    page = client.get(reverse("admin:projects_project_account", args=[project.pk])).content.decode()
    assert "1234-5678-9012" in page
    assert AccessLog.objects.filter(user=staff, subject_id=project.agreement.pk, action="view").count() == 1


def test_non_staff_cannot_reach_the_workspace(client, resident, staff):
    project = active_project(staff=staff)
    client.force_login(resident)
    for url in [
        reverse("admin:projects_project_change", args=[project.pk]),
        reverse("admin:projects_project_account", args=[project.pk]),
    ]:
        assert client.get(url).status_code == 302  # to the admin login
    assert act(client, project, "award", new_amount="0", reason="x").status_code == 302
    project.refresh_from_db()
    assert project.award == 1_000_000


def test_the_award_is_reduced_from_the_workspace_and_the_round_gets_the_money_back(client, staff):
    client.force_login(staff)
    round_ = published_round()
    project = active_project(staff=staff, round_=round_)
    act(client, project, "award", new_amount="600,000", reason="사업 규모 축소")
    round_.refresh_from_db()
    assert round_.awarded_total == 600_000
    assert project.award_changes.get().reason == "사업 규모 축소"


def test_the_queue_shows_what_waits_for_staff_overdue_and_to_return(client, staff):
    client.force_login(staff)
    round_ = published_round()
    waiting = active_project(staff=staff, round_=round_)
    services.disbursement_request(project=waiting, amount=100_000, by=waiting.application.group.representative)
    quiet = active_project(staff=staff, round_=round_)
    url = reverse("admin:projects_project_changelist")
    page = client.get(url + "?queue=waiting")
    assert [p.pk for p in page.context["cl"].result_list] == [waiting.pk]
    rules = round_.project_rules
    rules.period_start, rules.period_end, rules.settlement_due_days = (
        datetime.date(2020, 1, 1),
        datetime.date(2020, 12, 31),
        14,
    )
    rules.save()
    page = client.get(url + "?queue=overdue")
    assert {p.pk for p in page.context["cl"].result_list} == {waiting.pk, quiet.pk}


@pytest.mark.parametrize("count", [10, 60])
def test_the_queue_query_count_does_not_grow_with_projects(client, staff, count, django_assert_max_num_queries):
    client.force_login(staff)
    round_ = published_round()
    for _ in range(count // 10):
        project = active_project(staff=staff, round_=round_)
        pay(project, 100_000, staff)
    funded = [funded_project(staff=staff, round_=round_) for _ in range(count - count // 10)]
    assert len(funded) + count // 10 == count
    with django_assert_max_num_queries(14, info="the project queue: one query per row crept in?"):
        assert client.get(reverse("admin:projects_project_changelist")).status_code == 200
