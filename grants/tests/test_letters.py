"""Official letters as PDF: the text in them (pypdf) carries the Korean group name, the
amount and the document number; residents get a decision notice only once it is released."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from grants import letters, services, workflow
from tests.factories import ApplicationFactory, BudgetLineFactory, FieldEnvelopeFactory

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def approved(resident, staff):
    group = resident.represented_groups.get()
    application = ApplicationFactory(
        group=group, status=workflow.IN_REVIEW, title="골목 화단 가꾸기", requested_amount=4_000_000
    )
    BudgetLineFactory(application=application, amount=4_000_000, item="꽃모종")
    BudgetLineFactory(application=application, amount=500_000, source="self", item="간식")
    FieldEnvelopeFactory(round=application.round, field=application.field)
    return services.application_approve(application=application, amount=3_500_000, by=staff)


def test_the_selection_notice_carries_the_group_the_amount_and_the_number(client, resident, staff, approved):
    url = reverse("grants:letter", args=[approved.pk, letters.SELECTION])
    client.force_login(resident)
    assert client.get(url).status_code == 404, "not before the results are published"

    services.round_publish_results(round_=approved.round, by=staff)
    response = client.get(url)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "햇살마을공동체" in text
    assert "3,500,000" in text
    assert letters.document_number(approved, letters.SELECTION) in text


def test_the_non_selection_notice_gives_the_reason(client, staff):
    application = ApplicationFactory(status=workflow.IN_REVIEW, title="마을 영화제")
    services.application_reject(application=application, reason="분야 예산이 모두 배정되었습니다", by=staff)
    client.force_login(staff)

    response = client.get(reverse("admin:grants_application_letter", args=[application.pk, letters.NON_SELECTION]))

    text = _text(response.content)
    assert application.group.name in text
    assert "분야 예산이 모두 배정되었습니다" in text
    assert letters.document_number(application, letters.NON_SELECTION) in text


def test_the_full_application_and_the_receipt_print_for_the_resident(client, resident, submitted):
    client.force_login(resident)
    full = _text(client.get(reverse("grants:letter", args=[submitted.pk, letters.APPLICATION])).content)
    receipt = _text(client.get(reverse("grants:letter", args=[submitted.pk, letters.RECEIPT])).content)

    assert "골목 화단 가꾸기" in full and "1,200,000" in full  # the project total
    assert "1,000,000" in receipt and letters.document_number(submitted, letters.RECEIPT) in receipt


def test_another_resident_and_a_reviewer_cannot_print_a_letter(client, other_resident, submitted):
    from grants.tests.helpers import reviewer_group
    from tests.factories import UserFactory

    client.force_login(other_resident)
    assert client.get(reverse("grants:letter", args=[submitted.pk, letters.RECEIPT])).status_code == 404
    reviewer = UserFactory(is_staff=True)
    reviewer.groups.add(reviewer_group())
    client.force_login(reviewer)
    url = reverse("admin:grants_application_letter", args=[submitted.pk, letters.APPLICATION])
    assert client.get(url).status_code == 403


def test_staff_print_the_decision_letters_of_many_applications_in_one_pdf(client, staff, approved):
    rejected = ApplicationFactory(status=workflow.IN_REVIEW, round=approved.round)
    services.application_reject(application=rejected, reason="중복 지원", by=staff)
    client.force_login(staff)

    response = client.post(
        reverse("admin:grants_application_changelist"),
        {"action": "print_decision_letters_selected", "_selected_action": [approved.pk, rejected.pk]},
    )

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = _text(response.content)
    assert letters.document_number(approved, letters.SELECTION) in text
    assert letters.document_number(rejected, letters.NON_SELECTION) in text
