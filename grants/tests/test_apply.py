"""The application's steps, from start to submission, withdrawal and the closed round."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants import services
from grants.models import Application, Attachment, Consent, StatusChange
from grants.tests.conftest import HWP_HEADER, tiny_docx, tiny_hwpx, tiny_pdf
from notifications.models import Email
from tests.factories import DistrictFactory, DongFactory, FieldFactory

pytestmark = pytest.mark.django_db


def budget_data(*lines, **extra):
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "go": "next",
        **extra,
    }
    for index, (amount, source) in enumerate(lines):
        data.update(
            {
                f"lines-{index}-category": "materials",
                f"lines-{index}-item": f"항목 {index}",
                f"lines-{index}-amount": amount,
                f"lines-{index}-source": source,
            }
        )
    return data


@pytest.fixture
def logged_in(client, resident):
    client.force_login(resident)
    return client


def test_home_shows_the_open_round_its_fields_rules_and_the_support_contact(client, open_round):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["open_rounds"] == [open_round]
    assert response.context["support_contact"]["phone"]
    html = response.content.decode()
    for name in ["돌봄·교육", "나눔·돌봄", "기후환경", "문화·예술"]:
        assert name in html
    assert "360,000,000" in html and "8,000,000" in html


def test_closed_rounds_link_to_public_results(client, open_round, group):
    from tests.factories import ApplicationFactory, GrantRoundFactory

    now = timezone.now()
    past = GrantRoundFactory(
        year=2025,
        opens_at=now - datetime.timedelta(days=300),
        closes_at=now - datetime.timedelta(days=200),
        results_published_at=now - datetime.timedelta(days=150),
    )
    funded = ApplicationFactory(group=group, round=past, status="approved", awarded_amount=5_000_000, title="마을 책방")
    ApplicationFactory(round=past, status="rejected", title="떨어진 사업")
    assert reverse("grants:round_results", args=[past.pk]) in client.get(reverse("home")).content.decode()
    response = client.get(reverse("grants:round_results", args=[past.pk]))
    assert response.context["approved"] == [funded]
    assert "떨어진 사업" not in response.content.decode()
    assert client.get(reverse("grants:round_results", args=[open_round.pk])).status_code == 404


def test_starting_twice_gives_the_same_application(logged_in, open_round, group):
    url = reverse("grants:start_application", args=[open_round.pk])
    first = logged_in.post(url)
    second = logged_in.post(url)
    application = Application.objects.get(group=group, round=open_round)
    assert first.url == second.url == reverse("grants:apply_project", args=[application.pk])


def test_start_application_service_survives_the_unique_constraint(open_round, group, resident):
    first, created = services.start_application(group=group, round_=open_round, by=resident)
    again, created_again = services.start_application(group=group, round_=open_round, by=resident)
    assert created and not created_again and first == again


def test_a_too_small_group_is_told_why_it_cannot_start(logged_in, open_round, group):
    group.member_count = 3
    group.save()
    response = logged_in.post(reverse("grants:start_application", args=[open_round.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("grants:group")
    assert not Application.objects.exists()
    assert any("5" in str(m) for m in response.context["messages"])


def test_a_group_outside_the_rounds_district_cannot_start(logged_in, open_round, group):
    group.dong = DongFactory(district=DistrictFactory(code="other", name="남구"))
    group.save()
    logged_in.post(reverse("grants:start_application", args=[open_round.pk]))
    assert not Application.objects.exists()


def test_a_resident_without_group_is_sent_to_register_it(client, open_round):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(reverse("grants:start_application", args=[open_round.pk]))
    assert response.url == reverse("grants:group")


def test_group_is_created_with_its_participants(client, open_round):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    dong = DongFactory()
    data = {
        "name": "새싹공동체",
        "kind": "apartment",
        "dong": dong.pk,
        "member_count": "6",
        "contact_phone": "",
        "contact_email": "",
        "description": "",
        "members-TOTAL_FORMS": "3",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "100",
        "members-0-name": "가",
        "members-0-role": "대표",
        "members-1-name": "나",
        "members-1-role": "",
        "members-2-name": "",
        "members-2-role": "",
    }
    assert client.post(reverse("grants:group"), data).status_code == 302
    group = user.represented_groups.get()
    assert [(m.name, m.role) for m in group.members.all()] == [("가", "대표"), ("나", "")]
    data.update({"members-INITIAL_FORMS": "2", "members-1-DELETE": "on", "member_count": "2"})
    response = client.post(reverse("grants:group"), data, follow=True)
    assert [m.name for m in group.members.all()] == ["가"]
    assert any("5" in str(m) for m in response.context["messages"])  # too small for the open round


def test_project_step_saves_a_partial_draft(logged_in, draft):
    field = draft.round.fields.last()
    response = logged_in.post(
        reverse("grants:apply_project", args=[draft.pk]), {"field": field.pk, "title": "새 제목", "go": "next"}
    )
    assert response.url == reverse("grants:apply_budget", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.field, draft.title, draft.plan) == (field, "새 제목", "")


def test_project_step_refuses_a_field_the_round_does_not_fund(logged_in, draft):
    other = FieldFactory(name="체육")
    response = logged_in.post(reverse("grants:apply_project", args=[draft.pk]), {"field": other.pk, "title": "x"})
    assert response.status_code == 400
    assert response.context["error_summary"][0]["id"] == "div_id_field"
    draft.refresh_from_db()
    assert draft.title == "골목 화단 가꾸기"


def test_budget_sets_the_requested_amount_to_the_subsidy_total(logged_in, draft):
    response = logged_in.post(
        reverse("grants:apply_budget", args=[draft.pk]),
        budget_data(("2,000,000", "subsidy"), ("1 000 000원", "subsidy"), ("400000", "self")),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.requested_amount == 3_000_000
    assert [line.amount for line in draft.budget_lines.all()] == [2_000_000, 1_000_000, 400_000]


def test_budget_over_the_per_group_limit_is_refused_and_nothing_changes(logged_in, draft):
    response = logged_in.post(
        reverse("grants:apply_budget", args=[draft.pk]), budget_data(("9,000,000", "subsidy"), ("2,000,000", "self"))
    )
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors().as_data()[0].code == "over_max"
    assert response.context["error_summary"]
    draft.refresh_from_db()
    assert draft.requested_amount == 1_000_000 and draft.budget_lines.count() == 2


def test_budget_with_too_little_self_contribution_is_refused(logged_in, draft):
    response = logged_in.post(
        reverse("grants:apply_budget", args=[draft.pk]), budget_data(("1,000,000", "subsidy"), ("100,000", "self"))
    )
    assert response.status_code == 400
    assert response.context["formset"].non_form_errors().as_data()[0].code == "self_contribution_low"


@pytest.mark.parametrize(
    "name,content",
    [
        ("plan.pdf", tiny_pdf()),
        ("plan.hwp", HWP_HEADER),
        ("plan.hwpx", tiny_hwpx()),
        ("plan.docx", tiny_docx()),
    ],
)
def test_documents_accept_real_files_of_each_kind(logged_in, draft, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = logged_in.post(reverse("grants:apply_documents", args=[draft.pk]), {"kind": "plan", "file": upload})
    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert attachment.original_name == name
    # Stored under the generated random name (a fixed string's absence from a random one proves nothing).
    assert re.fullmatch(rf"attachments/{draft.pk}/[0-9a-f]{{32}}", attachment.file.name)


@pytest.mark.parametrize(
    "name,content",
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"<html>not a pdf</html>"),
        ("fake.docx", tiny_hwpx()),
        ("fake.hwp", tiny_pdf()),
        ("photo.png", tiny_pdf()),
        ("empty.pdf", b""),
    ],
)
def test_documents_refuse_files_whose_content_does_not_match(logged_in, draft, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = logged_in.post(reverse("grants:apply_documents", args=[draft.pk]), {"kind": "plan", "file": upload})
    assert response.status_code == 400
    assert response.context["error_summary"][0]["id"] == "id_file"
    assert not draft.attachments.exists()


def test_documents_refuse_files_over_10_mb(logged_in, draft):
    content = tiny_pdf() + b"0" * (10 * 1024 * 1024)
    upload = SimpleUploadedFile("big.pdf", content, content_type="application/pdf")
    response = logged_in.post(reverse("grants:apply_documents", args=[draft.pk]), {"kind": "plan", "file": upload})
    assert response.status_code == 400


def test_documents_refuse_an_eleventh_file(logged_in, draft):
    for index in range(10):
        upload = SimpleUploadedFile(f"{index}.pdf", tiny_pdf())
        logged_in.post(reverse("grants:apply_documents", args=[draft.pk]), {"kind": "other", "file": upload})
    assert draft.attachments.count() == 10
    upload = SimpleUploadedFile("11.pdf", tiny_pdf())
    response = logged_in.post(reverse("grants:apply_documents", args=[draft.pk]), {"kind": "other", "file": upload})
    assert response.status_code == 400
    assert draft.attachments.count() == 10


def test_upload_by_script_gets_json_with_the_next_page(logged_in, draft):
    upload = SimpleUploadedFile("a.pdf", tiny_pdf())
    response = logged_in.post(
        reverse("grants:apply_documents", args=[draft.pk]),
        {"kind": "plan", "file": upload},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.json() == {"redirect": reverse("grants:apply_documents", args=[draft.pk])}


def test_removing_a_file_deletes_it(logged_in, complete_draft):
    attachment = complete_draft.attachments.get()
    url = reverse("grants:delete_attachment", args=[complete_draft.pk, attachment.pk])
    assert logged_in.post(url).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_consents_are_recorded_one_by_one(logged_in, draft):
    data = {"consent_collection": "yes", "consent_third_party": "yes", "consent_notices": "no", "go": "next"}
    assert logged_in.post(reverse("grants:apply_consent", args=[draft.pk]), data).status_code == 302
    given = {c.kind: c.granted for c in Consent.objects.filter(application=draft)}
    assert given == {"collection": True, "third_party": True, "notices": False}


def test_refusing_a_required_consent_is_explained_and_nothing_is_saved(logged_in, draft):
    data = {"consent_collection": "no", "consent_third_party": "yes", "consent_notices": "yes"}
    response = logged_in.post(reverse("grants:apply_consent", args=[draft.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].has_error("consent_collection", "required_consent")
    assert not Consent.objects.exists()


def test_review_lists_what_is_missing(logged_in, draft):
    response = logged_in.get(reverse("grants:apply_review", args=[draft.pk]))
    steps = {problem.step for problem in response.context["problems"]}
    assert steps == {"documents", "consent"}


def test_an_incomplete_draft_is_not_submitted(logged_in, draft):
    response = logged_in.post(reverse("grants:apply_review", args=[draft.pk]))
    assert response.url == reverse("grants:apply_review", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submitting_records_the_change_and_queues_the_receipt(
    django_capture_on_commit_callbacks, logged_in, complete_draft, resident
):
    with django_capture_on_commit_callbacks(execute=False):
        response = logged_in.post(reverse("grants:apply_review", args=[complete_draft.pk]))
    assert response.url == reverse("grants:application_detail", args=[complete_draft.pk])
    complete_draft.refresh_from_db()
    assert complete_draft.status == "submitted" and complete_draft.submitted_at
    assert StatusChange.objects.filter(application=complete_draft, to_status="submitted").count() == 1
    assert Email.objects.filter(user=resident, kind="application_receipt").count() == 1


def test_a_second_submit_just_shows_the_application(logged_in, submitted):
    response = logged_in.post(reverse("grants:apply_review", args=[submitted.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("grants:application_detail", args=[submitted.pk])
    assert StatusChange.objects.filter(application=submitted).count() == 1


def test_a_submitted_application_cannot_be_edited(logged_in, submitted):
    response = logged_in.post(reverse("grants:apply_project", args=[submitted.pk]), {"title": "late change"})
    assert response.url == reverse("grants:application_detail", args=[submitted.pk])
    submitted.refresh_from_db()
    assert submitted.title == "골목 화단 가꾸기"


def test_after_the_round_closes_submitting_is_refused_but_the_draft_stays_readable(logged_in, complete_draft):
    round_ = complete_draft.round
    round_.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    round_.opens_at = round_.closes_at - datetime.timedelta(days=30)
    round_.save()
    response = logged_in.post(reverse("grants:apply_review", args=[complete_draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("grants:application_detail", args=[complete_draft.pk])
    complete_draft.refresh_from_db()
    assert complete_draft.status == "draft"
    assert response.status_code == 200 and "골목 화단 가꾸기" in response.content.decode()
    edit = logged_in.post(reverse("grants:apply_project", args=[complete_draft.pk]), {"title": "x"})
    assert edit.url == reverse("grants:application_detail", args=[complete_draft.pk])


def test_changes_requested_can_be_edited_and_resubmitted_with_the_note_shown(logged_in, submitted, staff):
    services.transition(application=submitted, to_status="screening", by=staff, actor="staff")
    services.transition(
        application=submitted, to_status="changes_requested", by=staff, actor="staff", note="예산서를 다시 올려 주세요"
    )
    detail = logged_in.get(reverse("grants:application_detail", args=[submitted.pk]))
    assert "예산서를 다시 올려 주세요" in detail.content.decode()
    listing = logged_in.get(reverse("grants:my_applications"))
    assert "예산서를 다시 올려 주세요" in listing.content.decode()
    project = {name: getattr(submitted, name) for name in services.PROJECT_FIELDS if name != "field"}
    project.update(field=submitted.field_id, title="고친 제목")
    assert logged_in.post(reverse("grants:apply_project", args=[submitted.pk]), project).status_code == 302
    logged_in.post(reverse("grants:apply_review", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert (submitted.status, submitted.title) == ("submitted", "고친 제목")


def test_withdrawing_needs_a_confirmed_post(logged_in, submitted):
    assert logged_in.get(reverse("grants:withdraw", args=[submitted.pk])).status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    logged_in.post(reverse("grants:withdraw", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"


def test_a_decided_application_cannot_be_withdrawn(logged_in, submitted, staff):
    for status in ["screening", "in_review", "approved"]:
        services.transition(application=submitted, to_status=status, by=staff, actor="staff")
    response = logged_in.post(reverse("grants:withdraw", args=[submitted.pk]))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "approved"
