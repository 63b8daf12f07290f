"""Each business rule of an application lives in one place; these tests pin it at its edge and
check that every caller (budget form, screening, summary, services, views, reminders) agrees."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from grants import screening, selectors, services, workflow
from grants.models import Application, Attachment, BudgetLine, EligibilityOverride, self_contribution_share
from grants.reminders import collect_missing_documents
from grants.tests.factories import AttachmentFactory
from tests.factories import ApplicationFactory, BudgetLineFactory, GrantRoundFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, resident):
    client.force_login(resident)
    return client


# --- the self-contribution share -------------------------------------------------------------


@pytest.mark.parametrize(("own", "enough"), [(1_000, True), (996, False), (999, False), (1_001, True)])
def test_the_self_contribution_rule_compares_exactly_at_ten_percent(own, enough):
    round_ = GrantRoundFactory.build(min_self_contribution_percent=10)
    assert round_.self_contribution_is_enough(own=own, total=10_000) is enough


def test_a_share_below_the_minimum_never_reads_as_the_minimum():
    assert self_contribution_share(own=996, total=10_000) == Decimal("9.9")
    assert self_contribution_share(own=1_000, total=10_000) == Decimal("10.0")
    assert self_contribution_share(own=0, total=0) == Decimal("0.0")


def _budget(application, *, subsidy, own):
    application.budget_lines.all().delete()
    BudgetLineFactory(application=application, amount=subsidy, item="꽃모종")
    BudgetLineFactory(application=application, amount=own, source=BudgetLine.Source.SELF, item="간식")
    Application.objects.filter(pk=application.pk).update(requested_amount=subsidy)


@pytest.mark.parametrize(("own", "passes"), [(500_000, True), (498_000, False)])
def test_budget_form_and_screening_agree_at_ten_and_nine_point_nine_six_percent(logged_in, draft, own, passes):
    """9.96 % once passed screening (rounded to 10.0) and failed the form; now both refuse it."""
    _budget(draft, subsidy=5_000_000 - own, own=own)
    page = logged_in.get(reverse("grants:apply_budget", args=[draft.pk]))
    response = logged_in.post(
        reverse("grants:apply_budget", args=[draft.pk]), form_data(page.content, "budget-form", go="stay")
    )
    form_passes = response.status_code == 302
    if not form_passes:
        codes = [error.code for error in response.context["formset"].non_form_errors().as_data()]
        assert codes == ["self_contribution_low"]
    draft.refresh_from_db()
    checks = {check.code: check for check in screening.eligibility_checks(draft)}
    assert form_passes is passes
    assert checks[EligibilityOverride.Check.SELF_CONTRIBUTION].automatic is passes
    shown = "10.0%" if passes else "9.9%"
    assert shown in checks[EligibilityOverride.Check.SELF_CONTRIBUTION].detail


def test_the_summary_shows_the_share_rounded_down(logged_in, draft):
    _budget(draft, subsidy=9_004_000, own=996_000)
    response = logged_in.get(reverse("grants:apply_review", args=[draft.pk]))
    assert response.context["self_percent"] == Decimal("9.9")


# --- may the resident still edit -------------------------------------------------------------


def test_the_edit_rule_allows_drafts_of_open_rounds_and_requested_changes(draft):
    assert draft.resident_edit_refusal() is None
    draft.status = workflow.CHANGES_REQUESTED
    assert draft.resident_edit_refusal() is None


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (workflow.SUBMITTED, "not_editable"),
        (workflow.IN_REVIEW, "not_editable"),
        (workflow.APPROVED, "not_editable"),
        (workflow.WITHDRAWN, "withdrawn"),
    ],
)
def test_service_and_view_refuse_an_edit_with_the_same_reason(logged_in, draft, status, code):
    Application.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    refusal = draft.resident_edit_refusal()
    assert refusal.code == code
    with pytest.raises(services.NotEditable) as raised:
        services.save_project(application=draft, title="바뀐 제목")
    assert raised.value.code == code and raised.value.messages == [refusal.message]
    response = logged_in.get(reverse("grants:apply_project", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("grants:application_detail", args=[draft.pk])
    assert [str(message) for message in get_messages(response.wsgi_request)] == [refusal.message]


def test_a_draft_of_a_closed_round_is_refused_everywhere_with_the_closing_date(logged_in, draft):
    draft.round.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    draft.round.opens_at = timezone.now() - datetime.timedelta(days=30)
    draft.round.save()
    draft.refresh_from_db()
    assert draft.resident_edit_refusal().code == "round_closed"
    assert not draft.resident_can_edit
    with pytest.raises(services.NotEditable) as raised:
        services.save_budget(application=draft, lines=[])
    assert raised.value.code == "round_closed"
    response = logged_in.get(reverse("grants:apply_review", args=[draft.pk]))
    assert response.status_code == 302
    detail = logged_in.get(reverse("grants:application_detail", args=[draft.pk]))
    assert detail.context["editable"] is False


# --- which documents are missing -------------------------------------------------------------


def test_missing_documents_agree_between_model_queryset_selector_and_view(logged_in, draft):
    assert draft.missing_document_kinds() == Attachment.REQUIRED_KINDS
    assert list(Application.objects.missing_documents()) == [draft]
    problems = [p for p in selectors.submission_problems(draft) if p.step == "documents"]
    assert len(problems) == len(Attachment.REQUIRED_KINDS)
    page = logged_in.get(reverse("grants:apply_documents", args=[draft.pk]))
    assert page.context["missing_kinds"] == draft.missing_document_labels()

    AttachmentFactory(application=draft, kind=Attachment.Kind.OTHER)
    assert draft.missing_document_kinds() == Attachment.REQUIRED_KINDS
    for kind in Attachment.REQUIRED_KINDS:
        AttachmentFactory(application=draft, kind=kind)
    assert draft.missing_document_kinds() == []
    assert not Application.objects.missing_documents().exists()
    assert not [p for p in selectors.submission_problems(draft) if p.step == "documents"]
    assert logged_in.get(reverse("grants:apply_documents", args=[draft.pk])).context["missing_kinds"] == []


def test_the_documents_reminder_follows_the_same_rule(draft, django_assert_max_num_queries):
    complete = ApplicationFactory(round=draft.round)
    for application in (draft, complete):
        Application.objects.filter(pk=application.pk).update(
            status=workflow.SUBMITTED, submitted_at=timezone.now() - datetime.timedelta(days=2)
        )
    for kind in Attachment.REQUIRED_KINDS:
        AttachmentFactory(application=complete, kind=kind)
    # An optional reminder: only for those who accepted programme news (accounts.consents).
    for application in (draft, complete):
        type(application.group.representative).objects.filter(pk=application.group.representative_id).update(
            notices_consent=True
        )
    with django_assert_max_num_queries(2):
        due = list(collect_missing_documents(timezone.now()))
    assert [reminder.related for reminder in due] == [draft]
    assert due[0].context["missing"] == Application.objects.get(pk=draft.pk).missing_document_labels()
