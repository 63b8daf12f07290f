"""Staff approve an application in the admin; the group's representative sees the new status."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants import services, workflow
from grants.models import Application, GrantRound
from tests.browser import admin_login, login
from tests.factories import ApplicationFactory, FieldEnvelopeFactory, FieldFactory, GrantRoundFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_approve_an_application_and_the_resident_sees_it(live_server, desktop_page, screenshot, staff, resident):
    page = desktop_page
    round_ = GrantRoundFactory(budget=100_000_000, target_groups=20)
    climate, care = FieldFactory(name="기후환경"), FieldFactory(name="돌봄·교육")
    FieldEnvelopeFactory(round=round_, field=climate, amount=30_000_000)
    FieldEnvelopeFactory(round=round_, field=care, amount=None)
    group = resident.represented_groups.get()
    application = ApplicationFactory(
        group=group,
        round=round_,
        field=climate,
        title="골목 텃밭으로 탄소 줄이기",
        requested_amount=5_000_000,
        status=workflow.IN_REVIEW,
        submitted_at=timezone.now(),
    )
    ApplicationFactory(round=round_, field=care, status=workflow.IN_REVIEW, submitted_at=timezone.now())

    admin_login(page, live_server, staff.email)
    expect(page.locator('[data-testid="budget-panel"]').first).to_be_visible()
    screenshot(page, "01-admin-index-budget")

    page.goto(f"{live_server.url}/admin/grants/application/")
    page.locator("#changelist-filter a", has_text="기후환경").click()
    page.wait_for_url(re.compile(r"field__id__exact="))
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    screenshot(page, "02-changelist-filtered-to-one-field")

    page.locator("#result_list a", has_text=application.title).click()
    page.wait_for_url(re.compile(rf"/admin/grants/application/{application.pk}/change/"))  # ?_changelist_filters=…
    panel = page.locator('[data-testid="decision-panel"]')
    expect(panel).to_have_attribute("data-status", workflow.IN_REVIEW)
    page.fill("#approve-amount", "4500000")
    screenshot(page, "03-change-page-before-approval")
    page.locator('[data-testid="decide-approve"] button[type=submit]').click()
    expect(panel).to_have_attribute("data-status", workflow.APPROVED)
    screenshot(page, "04-approved")

    application.refresh_from_db()
    assert (application.status, application.awarded_amount) == (workflow.APPROVED, 4_500_000)
    assert GrantRound.objects.get(pk=round_.pk).awarded_total == 4_500_000
    # Residents see a decision once the round's results are published.
    services.round_publish_results(round_=round_, by=staff)

    page.context.clear_cookies()
    login(page, live_server, resident.email)
    page.goto(f"{live_server.url}/my/applications/")
    card = page.get_by_test_id(f"application-{application.pk}")
    expect(card).to_contain_text(application.title)
    status = card.get_by_test_id("status")
    expect(status).to_have_attribute("data-status", workflow.APPROVED)
    expect(status).to_have_text(str(workflow.PHASES[workflow.APPROVED].resident_label))
    screenshot(page, "05-resident-sees-approval")
    assert Application.objects.filter(status=workflow.APPROVED).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_bulk_approve_from_the_list_and_see_the_budget_and_ranking(live_server, desktop_page, screenshot, staff):
    from grants import services
    from grants.tests.factories import CriterionFactory
    from grants.tests.helpers import in_review_applications

    page = desktop_page
    round_ = GrantRoundFactory(budget=5_000_000, target_groups=3)
    climate = FieldFactory(name="기후환경")
    FieldEnvelopeFactory(round=round_, field=climate, amount=4_000_000)
    applications = in_review_applications(round_=round_, field=climate, count=3, requested=2_000_000)
    criterion = CriterionFactory(round=round_, name="공공성", weight=2)
    for application, value in zip(applications, [6, 9, 3]):
        services.review_score(application=application, reviewer=staff, values={criterion.pk: value})

    admin_login(page, live_server, staff.email, next_path="/admin/grants/application/")
    page.click("#action-toggle")
    page.select_option("select[name=action]", "approve_selected")
    page.click("button[name=index]")
    approve = page.locator("form button.default")
    expect(approve).to_be_visible()
    screenshot(page, "01-bulk-approve-amounts")
    approve.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".messagelist .error")).to_have_count(1)  # the third is over the envelope
    screenshot(page, "02-bulk-approve-report")
    assert Application.objects.filter(status=workflow.APPROVED).count() == 2

    page.goto(f"{live_server.url}/admin/grants/application/ranking/?round={round_.pk}")
    screenshot(page, "03-ranking")
    page.goto(f"{live_server.url}/admin/grants/grantround/{round_.pk}/change/")
    expect(page.locator('[data-testid="budget-funded"]')).to_have_text(re.compile(r"^\s*2 / 3"))
    screenshot(page, "04-round-budget")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reviewer_scores_an_application_but_sees_no_decision_buttons(live_server, desktop_page, screenshot):
    from grants.models import Review
    from grants.tests.factories import CriterionFactory
    from grants.tests.helpers import assign_reviewer, reviewer_group
    from tests.factories import UserFactory

    page = desktop_page
    reviewer = UserFactory(email="reviewer@example.com", name="심사위원", is_staff=True)
    reviewer.groups.add(reviewer_group())
    application = ApplicationFactory(
        title="마을 돌봄 쉼터", status=workflow.IN_REVIEW, submitted_at=timezone.now(), requested_amount=3_000_000
    )
    public = CriterionFactory(round=application.round, name="공공성", weight=3, description="마을 전체에 도움이 되는가")
    feasible = CriterionFactory(round=application.round, name="실현가능성", weight=1, max_score=5)
    assign_reviewer(reviewer, application)

    change_path = f"/admin/grants/application/{application.pk}/change/"
    admin_login(page, live_server, reviewer.email, next_path=change_path)
    expect(page.get_by_test_id("score-link")).to_be_visible()  # the page is there, and then:
    expect(page.get_by_test_id("decide-approve")).to_have_count(0)
    page.get_by_test_id("score-link").click()
    page.wait_for_url(f"**/admin/grants/application/{application.pk}/score/")
    page.get_by_label(re.compile("공공성")).fill("8")
    page.get_by_label(re.compile("실현가능성")).fill("5")
    screenshot(page, "01-score-form")
    page.click("input[name=save_scores]")
    page.wait_for_url(f"{live_server.url}{change_path}")
    expect(page.locator(".messagelist .success")).to_be_visible()
    screenshot(page, "02-scored")

    review = Review.objects.get(application=application, reviewer=reviewer)
    assert float(review.weighted_score) == 85.0
    assert {s.criterion_id for s in review.scores.all()} == {public.pk, feasible.pk}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_override_a_failing_eligibility_check_with_a_reason(live_server, desktop_page, screenshot, staff):
    from grants.models import EligibilityOverride

    page = desktop_page
    application = ApplicationFactory(
        title="작은 모임 사업", status=workflow.SCREENING, submitted_at=timezone.now(), group__member_count=4
    )

    admin_login(page, live_server, staff.email, next_path=f"/admin/grants/application/{application.pk}/change/")
    check = page.get_by_test_id("check-group_size")
    expect(check.locator(".check-fail")).to_have_count(2)
    screenshot(page, "01-checklist")
    page.select_option("#override-criterion", "group_size")
    page.select_option("#override-passed", "1")
    page.fill("#override-reason", "추가 회원 명부 제출(6명)")
    page.get_by_role("button", name=re.compile("override|판정 변경", re.I)).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(check).to_contain_text("추가 회원 명부 제출(6명)")
    screenshot(page, "02-overridden")

    override = EligibilityOverride.objects.get(application=application)
    assert (override.criterion, override.passed, override.by_id) == ("group_size", True, staff.pk)
