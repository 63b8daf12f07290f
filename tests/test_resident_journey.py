"""A new resident applies on a 375 px phone: sign up, register the group, fill every step,
upload a PDF, consent, submit, and see the status; the receipt waits in the outbox."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.models import User
from grants.models import Application
from grants.tests.conftest import tiny_pdf
from notifications.models import Email
from tests.factories import DistrictFactory, DongFactory, FieldEnvelopeFactory, FieldFactory, GrantRoundFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_no_serious_axe_violations(page):
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def assert_no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"


@pytest.fixture
def seogu_round(db):
    district = DistrictFactory()
    DongFactory(district=district, name="풍암동", code="2914052000", order=1)
    DongFactory(district=district, name="금호1동", code="2914053000", order=2)
    round_ = GrantRoundFactory(district=district, title="2026 서구 마을공동체 공모사업")
    for order, name in enumerate(["돌봄·교육", "나눔·돌봄", "기후환경", "문화·예술"]):
        FieldEnvelopeFactory(round=round_, field=FieldFactory(name=name, order=order))
    return round_


def test_a_new_resident_applies_from_sign_up_to_submitted_on_a_phone(live_server, phone_page, screenshot, seogu_round):
    page = phone_page
    # Bootstrap scrolls smoothly; a click computed mid-scroll lands beside the button.
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_test_id("open-round")).to_have_count(1)
    assert_no_sideways_scroll(page)
    assert_no_serious_axe_violations(page)
    screenshot(page, "01-home")

    # Sign up, and be logged in right away.
    page.get_by_test_id("cta-signup").click()
    page.fill("input[name=email]", "newcomer@example.com")
    page.fill("input[name=name]", "최마을")
    page.fill("input[name=phone]", "010-2345-6789")
    page.fill("input[name=password1]", "gold-fish-river-42")
    page.fill("input[name=password2]", "gold-fish-river-42")
    screenshot(page, "02-signup")
    page.locator("[data-testid=signup-form] button[type=submit]").click()
    page.wait_for_url("**/my/group/")

    # Register the group with two participants (the second added with the button).
    page.fill("input[name=name]", "풍암햇살공동체")
    page.select_option("select[name=dong]", label="풍암동")
    page.fill("input[name=member_count]", "7")
    page.fill("input[name=members-0-name]", "최마을")
    page.fill("input[name=members-0-role]", "대표")
    page.fill("input[name=members-1-name]", "김이웃")
    page.fill("input[name=members-1-role]", "총무")
    assert_no_sideways_scroll(page)
    screenshot(page, "03-group")
    page.get_by_test_id("save-group").click()
    expect(page.get_by_test_id("eligibility")).to_be_visible()
    screenshot(page, "04-group-saved")
    page.get_by_test_id("cta-start").click()

    # Step 1: the project.
    page.wait_for_url("**/project/")
    page.get_by_label("기후환경").check()
    page.fill("input[name=title]", "골목 텃밭과 빗물 저금통")
    page.fill("textarea[name=purpose]", "버려진 골목 땅을 이웃이 함께 가꾸는 텃밭으로 바꿉니다.")
    page.fill("textarea[name=plan]", "빗물 저금통 두 개를 설치하고 매달 둘째 토요일에 함께 가꿉니다.")
    page.fill("textarea[name=schedule]", "4월 준비, 5~10월 활동, 11월 나눔 잔치")
    page.fill("textarea[name=expected_outcomes]", "이웃끼리 얼굴을 알고 인사합니다.")
    page.fill("textarea[name=resident_participation]", "골목 주민 누구나 모종 심기에 참여합니다.")
    assert_no_sideways_scroll(page)
    assert_no_serious_axe_violations(page)
    screenshot(page, "05-project")
    page.get_by_test_id("save-next").click()

    # Step 2: the budget, with live totals.
    page.wait_for_url("**/budget/")
    page.select_option("select[name=lines-0-category]", "materials")
    page.fill("input[name=lines-0-item]", "모종, 흙, 빗물 저금통")
    page.fill("input[name=lines-0-amount]", "1,800,000")
    page.click("#add-line")
    page.select_option("select[name=lines-1-category]", "meetings")
    page.fill("input[name=lines-1-item]", "나눔 잔치 음식")
    page.fill("input[name=lines-1-amount]", "200000")
    page.select_option("select[name=lines-1-source]", "self")
    expect(page.locator("[data-total=subsidy]")).to_have_text("1,800,000")
    expect(page.locator("[data-total=percent]")).to_have_text("10")
    assert_no_sideways_scroll(page)
    screenshot(page, "06-budget")
    # Leave the last field first (as a thumb does): its change event then cannot race the click.
    page.evaluate("document.activeElement.blur()")
    page.get_by_test_id("save-next").click()

    # Step 3: upload a PDF with the progress bar.
    page.wait_for_url("**/documents/")
    page.select_option("select[name=kind]", "signatures")
    page.set_input_files(
        "input[name=file]", files=[{"name": "참여자 서명부.pdf", "mimeType": "application/pdf", "buffer": tiny_pdf()}]
    )
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("attachments")).to_contain_text("참여자 서명부.pdf")
    assert_no_sideways_scroll(page)
    screenshot(page, "07-documents")
    page.get_by_test_id("save-next").click()

    # Step 4: each consent answered separately.
    page.wait_for_url("**/consent/")
    for kind in ["collection", "third_party", "notices"]:
        page.check(f"#id_consent_{kind}_0")
    assert_no_sideways_scroll(page)
    screenshot(page, "08-consent")
    page.get_by_test_id("save-next").click()

    # Step 5: review and submit.
    page.wait_for_url("**/review/")
    expect(page.get_by_test_id("problems")).to_have_count(0)
    assert_no_sideways_scroll(page)
    screenshot(page, "09-review")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_be_visible()
    assert_no_sideways_scroll(page)
    screenshot(page, "10-submitted")

    user = User.objects.get(email="newcomer@example.com")
    application = Application.objects.get(group__representative=user)
    assert application.status == Application.Status.SUBMITTED
    assert application.requested_amount == 1_800_000
    assert application.attachments.count() == 1
    assert application.group.members.count() == 2
    assert Email.objects.filter(user=user, kind="application_receipt", related_id=application.pk).exists()

    page.goto(live_server.url + "/my/applications/")
    expect(page.get_by_test_id(f"application-{application.pk}")).to_be_visible()
    screenshot(page, "11-my-applications")


def test_a_wrong_file_is_refused_in_place_with_the_error_summary(live_server, phone_page, screenshot, seogu_round):
    from grants.tests.conftest import tiny_docx
    from tests.browser import login
    from tests.factories import ApplicationFactory, CommunityGroupFactory, UserFactory

    user = UserFactory(email="uploader@example.com")
    group = CommunityGroupFactory(representative=user, dong=seogu_round.district.dongs.first())
    application = ApplicationFactory(group=group, round=seogu_round)
    page = phone_page
    page.emulate_media(reduced_motion="reduce")
    login(page, live_server, user.email, next_path=f"/my/applications/{application.pk}/documents/")
    page.wait_for_url("**/documents/")
    page.set_input_files(
        "input[name=file]", files=[{"name": "계획서.pdf", "mimeType": "application/pdf", "buffer": tiny_docx()}]
    )
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    expect(page.get_by_test_id("error-summary")).to_be_focused()
    expect(page.locator("#id_file")).to_have_class(re.compile("is-invalid"))
    expect(page).to_have_url(re.compile(r"/documents/$"))
    assert_no_serious_axe_violations(page)
    screenshot(page, "01-wrong-file")
    assert application.attachments.count() == 0


def test_the_login_form_works_with_the_keyboard_alone(live_server, desktop_page, resident, password):
    page = desktop_page
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.goto(live_server.url + "/accounts/login/")
    # The email field has the focus already (autofocus): type, Tab, type, Enter.
    expect(page.locator("input[name=username]")).to_be_focused()
    page.keyboard.type("resident@example.com")
    page.keyboard.press("Tab")
    expect(page.locator("input[name=password]")).to_be_focused()
    page.keyboard.type(password)
    expect(page.locator("input[name=username]")).to_have_value("resident@example.com")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused field must show where the keyboard is"
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    expect(page.locator("form[action='/accounts/logout/'] button")).to_be_visible()
