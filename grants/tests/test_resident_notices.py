"""What the resident is told: a change request on every step page with links to the parts that
need work and its deadline (defect 9), a real receipt (defect 10), and the awarded amount with
what a reduced award means (defect 11)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from grants import services, workflow
from notifications.models import Email
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, resident):
    client.force_login(resident)
    return client


def _in_language(user, message, params):
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        return gettext(message) % params


def _ask_for_changes_in_the_admin(client, staff, application, *, steps, respond_by):
    client.force_login(staff)
    page = client.get(reverse("admin:grants_application_change", args=[application.pk]))
    data = form_data(page.content, "decide-request_changes", confirm="1")
    data.update(note="예산서의 간식비를 줄이고 서명부를 다시 올려 주세요.", steps=steps, respond_by=respond_by)
    response = client.post(reverse("admin:grants_application_decide", args=[application.pk, "request_changes"]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == workflow.CHANGES_REQUESTED


@pytest.fixture
def changes_requested(client, staff, submitted, resident):
    services.staff_transition(application=submitted, to_status=workflow.SCREENING, by=staff)
    due = timezone.localdate() + datetime.timedelta(days=10)
    _ask_for_changes_in_the_admin(client, staff, submitted, steps=["budget", "documents"], respond_by=due.isoformat())
    client.logout()
    client.force_login(resident)
    submitted.due = due
    return submitted


# --- defect 9: the change request ------------------------------------------------------------


def test_the_change_request_shows_on_every_step_page_with_links_and_the_deadline(client, changes_requested):
    application = changes_requested
    for step in ["project", "budget", "documents", "consent", "review"]:
        response = client.get(reverse(f"grants:apply_{step}", args=[application.pk]))
        assert response.status_code == 200
        body = response.content.decode()
        assert 'data-testid="change-request"' in body, step
        assert "간식비를 줄이고" in body, step
        assert application.due.strftime("%Y. %-m. %-d.") in body, step
        for needed in ["budget", "documents"]:
            if needed != step:
                assert reverse(f"grants:apply_{needed}", args=[application.pk]) in body
                assert f'data-testid="change-step-{needed}"' in body
        assert 'data-testid="change-step-project"' not in body
    detail = client.get(reverse("grants:application_detail", args=[application.pk])).content.decode()
    assert 'data-testid="change-request"' in detail and 'data-testid="change-request-deadline"' in detail


def test_the_change_request_email_says_action_is_needed_and_links_to_the_steps(changes_requested, resident):
    email = Email.objects.filter(user=resident).order_by("-id").first()
    title = changes_requested.title
    assert email.subject == _in_language(
        resident, "Action needed: the district asks for changes to your application: %(title)s", {"title": title}
    )
    budget_url = f"{settings.PORTAL_BASE_URL}{reverse('grants:apply_budget', args=[changes_requested.pk])}"
    assert budget_url in email.body_text and budget_url in email.body_html
    assert changes_requested.due.isoformat() in email.body_text
    assert "간식비를 줄이고" in email.body_text


def test_the_changes_reminder_repeats_the_deadline(changes_requested):
    from grants.reminders import collect_changes_requested

    later = timezone.now() + datetime.timedelta(days=changes_requested.round.changes_reminder_after_days + 1)
    (due,) = list(collect_changes_requested(later))
    assert due.related == changes_requested and due.context["respond_by"] == changes_requested.due

    from notifications.sweep import sweep

    sweep(now=later, kinds=["changes_requested"])
    email = Email.objects.filter(kind="changes_requested").get()
    assert changes_requested.due.isoformat() in email.body_text and changes_requested.due.isoformat() in email.body_html


def test_a_change_request_cannot_be_due_in_the_past(staff, submitted):
    services.staff_transition(application=submitted, to_status=workflow.SCREENING, by=staff)
    with pytest.raises(services.ValidationError):
        services.application_request_changes(
            application=submitted,
            note="고쳐 주세요",
            by=staff,
            respond_by=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_the_note_disappears_once_the_changes_are_resubmitted(client, changes_requested, resident):
    services.submit_application(application=changes_requested, by=resident)
    response = client.get(reverse("grants:application_detail", args=[changes_requested.pk]))
    assert 'data-testid="change-request"' not in response.content.decode()


# --- defect 10: the receipt ------------------------------------------------------------------


def test_the_receipt_email_has_number_time_amount_and_documents(submitted, resident):
    email = Email.objects.get(user=resident, kind="application_receipt")
    number = f"{submitted.round.year}-{submitted.pk:05d}-01"
    assert email.subject == _in_language(
        resident,
        "We received your application (receipt %(number)s): %(title)s",
        {"number": number, "title": submitted.title},
    )
    submitted_at = timezone.localtime(submitted.submitted_at).strftime("%Y-%m-%d %H:%M")
    for body in (email.body_text, email.body_html):
        assert number in body
        assert submitted_at in body
        assert "1,000,000" in body
        assert "서명부.pdf" in body


def test_a_resubmission_gets_its_own_receipt_that_says_so(client, changes_requested, resident):
    services.submit_application(application=changes_requested, by=resident)
    receipts = Email.objects.filter(user=resident, kind="application_receipt").order_by("id")
    assert receipts.count() == 2
    number = f"{changes_requested.round.year}-{changes_requested.pk:05d}-02"
    assert receipts.last().subject == _in_language(
        resident,
        "We received your resubmitted application (receipt %(number)s): %(title)s",
        {"number": number, "title": changes_requested.title},
    )
    detail = client.get(reverse("grants:application_detail", args=[changes_requested.pk]))
    assert detail.context["receipt"].number == number and detail.context["receipt"].resubmission
    assert f'data-testid="receipt-number">{number}<' in detail.content.decode()


# --- defect 11: the award ------------------------------------------------------------------------


@pytest.fixture
def approved_reduced(staff, submitted):
    services.staff_transition(application=submitted, to_status=workflow.SCREENING, by=staff)
    services.screening_pass(application=submitted, by=staff)
    return services.application_approve(application=submitted, amount=800_000, by=staff)


def test_the_award_is_hidden_until_the_results_are_published_then_shown_with_its_meaning(
    logged_in, staff, approved_reduced
):
    detail_url = reverse("grants:application_detail", args=[approved_reduced.pk])
    before = logged_in.get(detail_url)
    assert before.context["award"] is None
    assert 'data-testid="award"' not in before.content.decode()
    assert "800,000" not in logged_in.get(reverse("grants:my_applications")).content.decode()

    services.round_publish_results(round_=approved_reduced.round, by=staff)

    after = logged_in.get(detail_url)
    award = after.context["award"]
    assert (award["awarded"], award["requested"], award["reduced"], award["difference"]) == (
        800_000,
        1_000_000,
        True,
        200_000,
    )
    body = after.content.decode()
    assert 'data-testid="award"' in body and "800,000" in body and "200,000" in body
    listing = logged_in.get(reverse("grants:my_applications")).content.decode()
    assert f'data-testid="awarded-{approved_reduced.pk}"' in listing and "800,000" in listing


def test_the_decision_email_carries_the_awarded_amount_and_what_a_reduction_means(staff, approved_reduced, resident):
    services.round_publish_results(round_=approved_reduced.round, by=staff)
    email = Email.objects.filter(user=resident, kind="application_decision").order_by("-id").first()
    for body in (email.body_text, email.body_html):
        assert "800,000" in body and "1,000,000" in body and "200,000" in body
        assert f"{approved_reduced.round.min_self_contribution_percent}%" in body
