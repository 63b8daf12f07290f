"""The privacy policy page (item 10), the person's rights (item 12) and the optional consent (item 13)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AccessLog, PrivacyPolicy, PrivacyRequest, RetentionRule, User
from grants.models import Application, Consent
from networks.models import GroupMember
from notifications.models import Email
from tests.factories import ApplicationFactory, UserFactory

# --- the policy page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_policy_page_states_what_the_law_asks_and_every_retention_period(client):
    page = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="ko")

    assert page.status_code == 200
    html = page.content.decode()
    policy = PrivacyPolicy.objects.in_force()
    for text in (policy.collected.splitlines()[0], policy.purposes[:20], policy.recipients[:20], policy.officer_email):
        assert text in html
    for rule in RetentionRule.objects.all():
        assert rule.period_display in html
    assert "주민등록번호는 수집하지 않습니다" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["home", "signup", "login", "privacy"])
def test_every_page_links_the_policy_from_its_footer(client, url):
    assert f'href="{reverse("privacy")}"' in client.get(reverse(url)).content.decode()


@pytest.mark.django_db
def test_the_signup_page_and_the_consent_step_link_the_policy(client, resident):
    assert 'data-testid="signup-privacy"' in client.get(reverse("signup")).content.decode()
    application = ApplicationFactory(group=resident.represented_groups.get())
    client.force_login(resident)
    page = client.get(reverse("grants:apply_consent", args=[application.pk])).content.decode()
    assert 'data-testid="consent-privacy"' in page


@pytest.mark.django_db
def test_staff_add_the_next_version_and_the_one_in_force_cannot_be_edited(client, staff):
    current = PrivacyPolicy.objects.in_force()
    client.force_login(staff)
    assert client.get(reverse("admin:accounts_privacypolicy_change", args=[current.pk])).status_code == 200
    response = client.post(reverse("admin:accounts_privacypolicy_change", args=[current.pk]), {"version": "x"})
    assert response.status_code == 403
    PrivacyPolicy.objects.create(
        **{
            **{f.name: getattr(current, f.name) for f in PrivacyPolicy._meta.concrete_fields if f.name != "id"},
            "version": "2026-2",
            "effective_on": timezone.localdate(),
            "officer_name": "새 책임자",
        }
    )
    html = client.get(reverse("privacy")).content.decode()
    assert "새 책임자" in html
    assert reverse("privacy_version", args=[current.version]) in html
    assert current.officer_name in client.get(reverse("privacy_version", args=[current.version])).content.decode()


@pytest.mark.django_db
def test_the_access_log_rule_cannot_go_below_two_years():
    rule = RetentionRule.objects.get(kind="accounts.access_log")
    rule.period_days = 365
    with pytest.raises(ValidationError):
        rule.full_clean()


# --- the person's rights ---------------------------------------------------------------------


@pytest.fixture
def resident_with_data(resident, staff):
    group = resident.represented_groups.get()
    GroupMember.objects.create(group=group, name="참여자갑", role="총무")
    application = ApplicationFactory(group=group, title="골목 화단", status=Application.Status.SUBMITTED)
    Consent.objects.create(application=application, kind=Consent.Kind.COLLECTION, granted=True, text_version="v")
    services.access_record(user=staff, action=AccessLog.Action.VIEW, subject=application, person=resident)
    return resident


@pytest.mark.django_db
def test_a_resident_sees_everything_held_about_them_on_one_page(
    client, resident_with_data, django_assert_max_num_queries
):
    client.force_login(resident_with_data)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("my_data"))
    html = page.content.decode()
    for text in ("resident@example.com", "햇살마을공동체", "참여자갑 (총무)", "골목 화단", "정주무관"):
        assert text in html


@pytest.mark.django_db
def test_the_download_is_json_with_the_same_sections(client, resident_with_data):
    client.force_login(resident_with_data)
    response = client.get(reverse("my_data_download"))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    keys = [section["key"] for section in data["sections"]]
    assert {"accounts.account", "accounts.reads", "networks.groups", "grants.applications"} <= set(keys)
    applications = next(s for s in data["sections"] if s["key"] == "grants.applications")["rows"]
    assert "골목 화단" in applications[0].values()


@pytest.mark.django_db
def test_the_page_shows_only_the_persons_own_data(client, resident_with_data, other_resident):
    client.force_login(other_resident)
    html = client.get(reverse("my_data")).content.decode()
    assert "골목 화단" not in html
    assert "참여자갑" not in html


@pytest.mark.django_db
def test_a_request_is_queued_with_the_ten_day_deadline(client, resident):
    client.force_login(resident)
    response = client.post(reverse("my_data_request"), {"kind": "deletion", "message": "탈퇴합니다"})

    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    assert (request.user, request.kind, request.status) == (resident, "deletion", "open")
    assert (request.due_on - timezone.localdate()).days == 10


@pytest.mark.django_db
def test_a_correction_request_without_details_gets_a_clear_message(client, resident):
    client.force_login(resident)
    response = client.post(reverse("my_data_request"), {"kind": "correction", "message": ""}, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 400
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not PrivacyRequest.objects.exists()


@pytest.mark.django_db
def test_an_accepted_deletion_erases_the_person_but_keeps_the_submitted_application(resident_with_data, staff):
    request = services.privacy_request_create(user=resident_with_data, kind="deletion")
    draft = ApplicationFactory(group=resident_with_data.represented_groups.get(), status=Application.Status.DRAFT)

    services.privacy_request_answer(
        request=request, by=staff, status="done", answer="삭제했습니다. 제출된 신청서는 5년 보관 후 익명 처리합니다."
    )

    person = User.objects.get(pk=resident_with_data.pk)
    assert not person.is_active and person.name != "김주민" and person.email != "resident@example.com"
    assert not person.has_usable_password()
    assert not GroupMember.objects.exists()
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert Application.objects.filter(title="골목 화단").exists()
    answered = PrivacyRequest.objects.get()
    assert (answered.status, answered.answered_by) == ("done", staff)
    email = Email.objects.get(kind="privacy_answer")
    assert email.recipient == "resident@example.com"  # told at the address they had


@pytest.mark.django_db
def test_an_answer_is_recorded_once(resident, staff):
    request = services.privacy_request_create(user=resident, kind="suspension")
    services.privacy_request_answer(request=request, by=staff, status="done", answer="처리정지했습니다.")
    with pytest.raises(services.AlreadyAnswered):
        services.privacy_request_answer(request=request, by=staff, status="refused", answer="x")
    resident.refresh_from_db()
    assert resident.processing_suspended_at is not None


@pytest.mark.django_db
def test_staff_answer_from_the_queue_and_an_overdue_request_is_flagged(client, staff, resident):
    late = services.privacy_request_create(user=resident, kind="correction", message="전화번호 오류")
    PrivacyRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timezone.timedelta(days=1))
    client.force_login(staff)

    queue = client.get(reverse("admin:accounts_privacyrequest_changelist")).content.decode()
    assert 'data-testid="overdue"' in queue
    url = reverse("admin:accounts_privacyrequest_change", args=[late.pk])
    response = client.post(url, {"decision": "done", "answer": "전화번호를 고쳤습니다."})

    assert response.status_code == 302
    late.refresh_from_db()
    assert (late.status, late.answer, late.answered_by) == ("done", "전화번호를 고쳤습니다.", staff)


# --- the optional consent --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_consent_step_sets_the_persons_news_consent_and_my_data_withdraws_it(client, resident):
    from grants import services as grant_services

    application = ApplicationFactory(group=resident.represented_groups.get())
    grant_services.record_consents(
        application=application, answers={"collection": True, "third_party": True, "notices": True}, by=resident
    )
    resident.refresh_from_db()
    assert resident.notices_consent

    client.force_login(resident)
    client.post(reverse("my_data_notices"), {})
    resident.refresh_from_db()
    assert not resident.notices_consent


@pytest.mark.django_db
def test_the_rule_for_optional_messages():
    from accounts.consents import may_receive_optional_messages, optional_messages_q

    agreed = UserFactory(notices_consent=True)
    declined = UserFactory(notices_consent=False)
    suspended = UserFactory(notices_consent=True, processing_suspended_at=timezone.now())
    inactive = UserFactory(notices_consent=True, is_active=False)

    assert [may_receive_optional_messages(u) for u in (agreed, declined, suspended, inactive)] == [
        True,
        False,
        False,
        False,
    ]
    assert set(User.objects.filter(optional_messages_q())) == {agreed}
