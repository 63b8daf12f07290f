"""On a 375 px phone in Korean: a resident asked for changes sees the note and the deadline on the
step they open and follows the link to the part that needs work; the detail page shows the
receipt; after the results are out it shows the award and what a reduction means; a withdrawn
application is not offered for continuing on the group page."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from grants import services, workflow
from grants.models import Application, Attachment, BudgetLine, Consent
from tests.browser import login
from tests.factories import (
    ApplicationFactory,
    BudgetLineFactory,
    CommunityGroupFactory,
    FieldEnvelopeFactory,
    GrantRoundFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"


@pytest.fixture
def submitted_application(db):
    round_ = GrantRoundFactory(title="2026 서구 마을공동체 공모사업")
    resident = UserFactory(email="phone-resident@example.com", name="김주민")
    group = CommunityGroupFactory(representative=resident, name="햇살마을공동체", dong__district=round_.district)
    envelope = FieldEnvelopeFactory(round=round_)
    application = ApplicationFactory(
        group=group,
        round=round_,
        field=envelope.field,
        title="골목 화단 가꾸기",
        purpose="골목을 밝게",
        plan="매달 둘째 토요일",
        schedule="4월~10월",
        expected_outcomes="이웃이 서로 안다",
        resident_participation="누구나 참여",
        requested_amount=1_000_000,
    )
    BudgetLineFactory(application=application, amount=1_000_000, item="꽃모종")
    BudgetLineFactory(application=application, amount=200_000, source=BudgetLine.Source.SELF, item="간식")
    attachment = Attachment(
        application=application,
        kind=Attachment.Kind.SIGNATURES,
        original_name="서명부.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=resident,
    )
    attachment.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    for kind in ("collection", "third_party", "notices"):
        Consent.objects.create(application=application, kind=kind, granted=True, text_version="1")
    services.submit_application(application=application, by=resident)
    return Application.objects.get(pk=application.pk)


def test_a_resident_sees_the_change_request_on_the_step_and_follows_it(
    live_server, phone_page, screenshot, submitted_application, staff
):
    application = submitted_application
    services.staff_transition(application=application, to_status=workflow.SCREENING, by=staff)
    due = timezone.localdate() + datetime.timedelta(days=7)
    services.application_request_changes(
        application=application,
        note="간식비를 줄이고 서명부를 다시 올려 주세요.",
        by=staff,
        steps=["budget", "documents"],
        respond_by=due,
    )
    page = phone_page
    login(page, live_server, application.group.representative.email)
    page.goto(f"{live_server.url}/my/applications/{application.pk}/project/")
    notice = page.get_by_test_id("change-request")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("간식비를 줄이고")
    expect(notice).to_contain_text(due.strftime("%Y. %-m. %-d."))
    assert_no_sideways_scroll(page)
    screenshot(page, "1-project-step-with-change-request")
    page.get_by_test_id("change-step-budget").click()
    page.wait_for_url(f"**/my/applications/{application.pk}/budget/")
    expect(page.get_by_test_id("change-request")).to_contain_text("간식비를 줄이고")
    screenshot(page, "2-budget-step")


def test_a_resident_sees_the_receipt_then_the_reduced_award(
    live_server, phone_page, screenshot, submitted_application, staff
):
    application = submitted_application
    page = phone_page
    login(page, live_server, application.group.representative.email)
    page.goto(f"{live_server.url}/my/applications/{application.pk}/")
    expect(page.get_by_test_id("receipt-number")).to_have_text(f"{application.round.year}-{application.pk:05d}-01")
    expect(page.get_by_test_id("receipt")).to_contain_text("서명부.pdf")
    assert_no_sideways_scroll(page)
    screenshot(page, "1-receipt")

    services.staff_transition(application=application, to_status=workflow.SCREENING, by=staff)
    services.screening_pass(application=application, by=staff)
    services.application_approve(application=application, amount=800_000, by=staff)
    page.reload()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    expect(page.get_by_test_id("award")).to_have_count(0)  # not before the results are published
    services.round_publish_results(round_=application.round, by=staff)
    page.reload()
    award = page.get_by_test_id("award")
    expect(award).to_be_visible()
    expect(award).to_contain_text("800,000")
    expect(award).to_contain_text("200,000")
    assert_no_sideways_scroll(page)
    screenshot(page, "2-award")


def test_a_withdrawn_application_is_not_offered_for_continuing(
    live_server, phone_page, screenshot, submitted_application
):
    application = submitted_application
    page = phone_page
    login(page, live_server, application.group.representative.email)
    page.goto(f"{live_server.url}/my/applications/{application.pk}/withdraw/")
    page.get_by_test_id("confirm-withdraw").click()
    expect(page.get_by_test_id("withdrawn-note")).to_be_visible()
    screenshot(page, "1-withdrawn-detail")
    page.goto(f"{live_server.url}/my/group/")
    expect(page.get_by_test_id("see-application")).to_be_visible()
    expect(page.get_by_test_id("cta-start")).to_have_count(0)
    assert_no_sideways_scroll(page)
    screenshot(page, "2-group-page")
