"""The staff admin: who reaches it, what it records, and how many queries its pages cost."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLog
from accounts.services import access_record_many
from grants import workflow
from grants.models import Application, BudgetLine, GrantRound, Review, StatusChange
from grants.tests.factories import AttachmentFactory, CriterionFactory
from grants.tests.helpers import assign_reviewer, in_review_applications, make_in_review, reviewer_group
from tests.factories import (
    AssignmentFactory,
    FieldEnvelopeFactory,
    FieldFactory,
    GrantRoundFactory,
    UserFactory,
)

CHANGELIST = "admin:grants_application_changelist"
# Session, user, four list filters (round, field, dong, region), the filtered count and the
# page (mentor and average score are joined/annotated), and the access log: one INSERT for every
# application on the page plus its content type (cached after the first request of a process).
# If this grows, say which query a change adds and why it cannot be joined.
CHANGELIST_QUERIES = 10
# Session, user, the application (for the panel and for the form), the access-log insert, one
# query per inline (budget lines, attachments, consents, status history, eligibility overrides,
# reviews, assigned reviewers), the group's participants, the content type (cached after the
# first request of a process) and the coaching visits the mentors app contributes.
CHANGE_PAGE_QUERIES = 15
# The admin index (its budget panel: rounds, then envelopes, per-field and per-dong totals for
# each of the latest two rounds; the staff desk: the latest round, counts per status, reviews
# missing, ready to decide, my reviews, envelopes, unassigned) and the committee ranking.
INDEX_AND_RANKING_QUERIES = 20


def change_url(application):
    return reverse("admin:grants_application_change", args=[application.pk])


def decide_url(application, action):
    return reverse("admin:grants_application_decide", args=[application.pk, action])


@pytest.fixture
def reviewer(db):
    user = UserFactory(email="reviewer@example.com", name="심사위원", is_staff=True)
    user.groups.add(reviewer_group())
    return user


@pytest.fixture
def round_with_field(db):
    round_ = GrantRoundFactory(budget=100_000_000, target_groups=10)
    field = FieldFactory(name="돌봄·교육")
    FieldEnvelopeFactory(round=round_, field=field, amount=50_000_000)
    return round_, field


# --- who reaches what ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "resident", "mentor"])
def test_only_staff_reach_the_application_admin(client, who, request):
    application = make_in_review()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    for url in [reverse(CHANGELIST), change_url(application), reverse("admin:grants_application_ranking")]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post(decide_url(application, "approve"), {"amount": 1})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Application.objects.get(pk=application.pk).status == workflow.IN_REVIEW


@pytest.mark.django_db
def test_a_staff_member_without_permissions_gets_403_on_an_application(client):
    clerk = UserFactory(is_staff=True)
    application = make_in_review()
    client.force_login(clerk)

    assert client.get(change_url(application)).status_code == 403
    assert client.post(decide_url(application, "approve"), {"amount": 1}).status_code == 403


@pytest.mark.django_db
def test_a_reviewer_may_view_and_score_but_not_decide(client, reviewer, round_with_field):
    round_, field = round_with_field
    application = make_in_review(round=round_, field=field)
    assign_reviewer(reviewer, application)
    criterion = CriterionFactory(round=round_, max_score=10)
    client.force_login(reviewer)

    page = client.get(change_url(application))
    assert page.status_code == 200
    assert b'data-testid="decide-approve"' not in page.content
    assert b'data-testid="score-link"' in page.content
    changelist = client.get(reverse(CHANGELIST))
    assert b"approve_selected" not in changelist.content
    assert client.post(decide_url(application, "approve"), {"amount": 1_000_000}).status_code == 403
    bulk = client.post(
        reverse(CHANGELIST), {"action": "approve_selected", "_selected_action": [application.pk], "apply": "1"}
    )
    assert Application.objects.get(pk=application.pk).status == workflow.IN_REVIEW
    assert bulk.status_code == 200  # the changelist again: the action is not offered to a reviewer

    scored = client.post(
        reverse("admin:grants_application_score", args=[application.pk]), {f"criterion_{criterion.pk}": 7}
    )
    assert scored.status_code == 302
    assert Review.objects.get(application=application, reviewer=reviewer).weighted_score == 70


@pytest.mark.django_db
def test_a_reviewer_with_a_conflict_cannot_score_through_the_admin(client, reviewer):
    application = make_in_review()
    assign_reviewer(reviewer, application)
    criterion = CriterionFactory(round=application.round)
    client.force_login(reviewer)
    url = reverse("admin:grants_application_score", args=[application.pk])

    client.post(url, {"declare_conflict": "1", "conflict_note": "제 이웃입니다"})
    client.post(url, {f"criterion_{criterion.pk}": 7})

    review = Review.objects.get(application=application, reviewer=reviewer)
    assert review.conflict_of_interest and review.weighted_score is None


# --- decisions from the change page ------------------------------------------------------


@pytest.mark.django_db
def test_staff_see_only_the_buttons_the_workflow_allows(client, staff):
    application = make_in_review()
    client.force_login(staff)

    content = client.get(change_url(application)).content.decode()

    for action in ["approve", "reject", "request_changes"]:
        assert f'data-testid="decide-{action}"' in content
    assert 'data-testid="decide-screening"' not in content


@pytest.mark.django_db
def test_staff_approve_with_an_amount_from_the_change_page(client, staff, round_with_field):
    round_, field = round_with_field
    application = make_in_review(round=round_, field=field, requested_amount=4_000_000)
    client.force_login(staff)

    response = client.post(decide_url(application, "approve"), {"amount": 3_500_000, "note": ""})

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.awarded_amount) == (workflow.APPROVED, 3_500_000)
    assert GrantRound.objects.get(pk=round_.pk).awarded_total == 3_500_000


@pytest.mark.django_db
def test_decisions_are_post_only(client, staff):
    application = make_in_review()
    client.force_login(staff)

    assert client.get(decide_url(application, "approve")).status_code == 405


@pytest.mark.django_db
def test_bulk_approval_reports_each_refusal_and_why(client, staff, round_with_field):
    round_, field = round_with_field
    GrantRound.objects.filter(pk=round_.pk).update(budget=2_500_000)
    applications = in_review_applications(round_=round_, field=field, count=3, requested=1_000_000)
    client.force_login(staff)
    ids = [a.pk for a in applications]

    intermediate = client.post(reverse(CHANGELIST), {"action": "approve_selected", "_selected_action": ids})
    assert intermediate.status_code == 200
    assert b'name="amount_' in intermediate.content
    done = client.post(
        reverse(CHANGELIST),
        {
            "action": "approve_selected",
            "_selected_action": ids,
            "apply": "1",
            **{f"amount_{pk}": "1000000" for pk in ids},
        },
        follow=True,
    )

    assert Application.objects.filter(pk__in=ids, status=workflow.APPROVED).count() == 2
    texts = [str(m) for m in done.context["messages"]]
    assert sum("2" in t for t in texts) >= 1
    assert len([t for t in texts if "500,000" in t]) == 1  # the refusal names what remains


@pytest.mark.django_db
def test_bulk_rejection_needs_a_reason_and_records_it(client, staff, round_with_field):
    round_, field = round_with_field
    applications = in_review_applications(round_=round_, field=field, count=2)
    client.force_login(staff)
    ids = [a.pk for a in applications]

    client.post(reverse(CHANGELIST), {"action": "reject_selected", "_selected_action": ids, "apply": "1", "text": ""})
    assert not Application.objects.filter(status=workflow.REJECTED).exists()
    client.post(
        reverse(CHANGELIST), {"action": "reject_selected", "_selected_action": ids, "apply": "1", "text": "예산 소진"}
    )

    assert set(Application.objects.filter(pk__in=ids).values_list("status", "decision_note")) == {
        (workflow.REJECTED, "예산 소진")
    }


# --- privacy log ---------------------------------------------------------------------


@pytest.mark.django_db
def test_viewing_an_application_and_downloading_a_document_are_logged(client, staff):
    attachment = AttachmentFactory(application=make_in_review())
    application = attachment.application
    client.force_login(staff)

    client.get(change_url(application))
    response = client.get(reverse("admin:grants_attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    logs = list(
        AccessLog.objects.order_by("at", "id").values_list(
            "user", "action", "subject_type__model", "subject_id", "person"
        )
    )
    representative = application.group.representative_id
    assert logs == [
        (staff.pk, AccessLog.Action.VIEW, "application", application.pk, representative),
        (staff.pk, AccessLog.Action.DOWNLOAD, "attachment", attachment.pk, representative),
    ]


@pytest.mark.django_db
def test_a_staff_member_without_permission_cannot_download_a_document(client):
    attachment = AttachmentFactory()
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("admin:grants_attachment_download", args=[attachment.pk])).status_code == 403
    assert not AccessLog.objects.exists()


# --- budget panels -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_index_and_the_round_page_show_the_budget_panel(client, staff, round_with_field):
    round_, field = round_with_field
    application = make_in_review(round=round_, field=field, requested_amount=2_000_000)
    client.force_login(staff)
    client.post(decide_url(application, "approve"), {"amount": 2_000_000})

    for url in [reverse("admin:index"), reverse("admin:grants_grantround_change", args=[round_.pk])]:
        content = client.get(url).content.decode()
        assert 'data-testid="budget-panel"' in content
        assert "98,000,000" in content  # remaining
        assert "1 / 10" in content  # groups funded against the target
        assert "<svg" in content


@pytest.mark.django_db
def test_the_ranking_lists_each_field_best_score_first(client, staff, round_with_field):
    round_, field = round_with_field
    weak, strong = in_review_applications(round_=round_, field=field, count=2)
    criterion = CriterionFactory(round=round_)
    for application, value in [(weak, 3), (strong, 9)]:
        from grants import services

        services.review_score(application=application, reviewer=staff, values={criterion.pk: value})
    client.force_login(staff)

    content = client.get(reverse("admin:grants_application_ranking"), {"round": round_.pk}).content.decode()

    assert content.index(strong.title) < content.index(weak.title)


# --- query counts --------------------------------------------------------------------


def _populate(round_, field, count, mentor=None):
    applications = in_review_applications(round_=round_, field=field, count=count)
    reviewer = UserFactory(is_staff=True)
    Review.objects.bulk_create(
        [Review(application=a, reviewer=reviewer, weighted_score=50, scored_at=timezone.now()) for a in applications]
    )
    if mentor is not None:
        for application in applications[-5:]:
            AssignmentFactory(mentor=mentor, group=application.group, round=round_)
    return applications


@pytest.mark.django_db
def test_changelist_queries_do_not_grow_with_the_number_of_applications(
    client, staff, round_with_field, django_assert_max_num_queries
):
    round_, field = round_with_field
    applications = _populate(round_, field, 10)
    mentor = AssignmentFactory(group=applications[0].group, round=round_).mentor
    client.force_login(staff)
    url = reverse(CHANGELIST) + f"?round__id__exact={round_.pk}"

    with django_assert_max_num_queries(CHANGELIST_QUERIES):
        small = client.get(url)
    _populate(round_, field, 990, mentor=mentor)
    with django_assert_max_num_queries(CHANGELIST_QUERIES):
        large = client.get(url)

    assert small.status_code == large.status_code == 200
    assert mentor.user.name in large.content.decode()


@pytest.mark.django_db
def test_change_page_queries_do_not_grow_with_the_application_or_the_round(
    client, staff, round_with_field, django_assert_max_num_queries
):
    round_, field = round_with_field
    application = _populate(round_, field, 10)[0]
    client.force_login(staff)

    with django_assert_max_num_queries(CHANGE_PAGE_QUERIES):
        small = client.get(change_url(application))
    _populate(round_, field, 990)
    BudgetLine.objects.bulk_create(
        [BudgetLine(application=application, category="materials", item=f"물품{i}", amount=1000) for i in range(20)]
    )
    StatusChange.objects.bulk_create(
        [StatusChange(application=application, from_status="a", to_status="b", by=staff) for _ in range(20)]
    )
    for _ in range(5):
        AttachmentFactory(application=application)
    with django_assert_max_num_queries(CHANGE_PAGE_QUERIES):
        large = client.get(change_url(application))

    assert small.status_code == large.status_code == 200


@pytest.mark.django_db
def test_a_higher_app_can_contribute_a_read_only_panel_to_the_application_page(client, staff, monkeypatch):
    from django.contrib import admin
    from django.utils.html import format_html

    application = make_in_review()
    model_admin = admin.site._registry[Application]
    monkeypatch.setattr(
        model_admin,
        "extra_panels",
        [lambda request, app: format_html('<div data-testid="contributed">visits of {}</div>', app.group_id)],
    )
    client.force_login(staff)

    content = client.get(change_url(application)).content.decode()

    assert f'<div data-testid="contributed">visits of {application.group_id}</div>' in content


@pytest.mark.django_db
def test_an_export_file_is_only_for_the_staff_member_who_asked_for_it(client, staff):
    from django.core.files.base import ContentFile

    from grants.models import ExportJob

    clerk = UserFactory(is_staff=True)
    clerk.groups.add(reviewer_group())
    job = ExportJob.objects.create(requested_by=staff, status=ExportJob.Status.DONE)
    job.file.save("x.csv", ContentFile(b"a,b"), save=True)
    client.force_login(clerk)

    assert client.get(reverse("admin:grants_exportjob_download", args=[job.pk])).status_code == 403
    job.file.delete(save=False)


@pytest.mark.django_db
def test_index_and_ranking_queries_do_not_grow_with_the_number_of_applications(
    client, staff, round_with_field, django_assert_max_num_queries
):
    round_, field = round_with_field
    _populate(round_, field, 10)
    client.force_login(staff)
    pages = [reverse("admin:index"), reverse("admin:grants_application_ranking") + f"?round={round_.pk}"]

    counts = []
    for url in pages:
        with django_assert_max_num_queries(INDEX_AND_RANKING_QUERIES) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    applications = _populate(round_, field, 300)
    for application in applications[:50]:
        Application.objects.filter(pk=application.pk).update(status=workflow.APPROVED, awarded_amount=1000)
    for url, small in zip(pages, counts):
        with django_assert_max_num_queries(small):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_saving_the_round_page_never_writes_back_a_stale_awarded_total(rf, staff, round_with_field):
    from django.contrib import admin

    from grants import services

    round_, field = round_with_field
    application = make_in_review(round=round_, field=field, requested_amount=2_000_000)
    stale = GrantRound.objects.get(pk=round_.pk)  # what the admin loaded before the approval
    services.application_approve(application=application, amount=2_000_000, by=staff)
    stale.title = "제목 변경"
    request = rf.post("/")
    request.user = staff

    admin.site._registry[GrantRound].save_model(request, stale, form=None, change=True)

    fresh = GrantRound.objects.get(pk=round_.pk)
    assert (fresh.title, fresh.awarded_total) == ("제목 변경", 2_000_000)


@pytest.mark.django_db
def test_the_round_budget_cannot_be_set_below_what_is_awarded(client, staff, round_with_field):
    from grants import services

    round_, field = round_with_field
    application = make_in_review(round=round_, field=field, requested_amount=2_000_000)
    services.application_approve(application=application, amount=2_000_000, by=staff)
    client.force_login(staff)
    url = reverse("admin:grants_grantround_change", args=[round_.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name not in ("fields", "draft_reminder_days")
    }
    data.update(
        budget=1_000_000,
        draft_reminder_days="7,3,1",
        opens_at_0=round_.opens_at.strftime("%Y-%m-%d"),
        opens_at_1="00:00:00",
        closes_at_0=round_.closes_at.strftime("%Y-%m-%d"),
        closes_at_1="00:00:00",
        district=round_.district_id,
    )
    for prefix in ["envelopes", "criteria"]:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    response = client.post(url, data)

    assert response.status_code == 200  # the form is shown again with the error
    assert "budget" in response.context["adminform"].form.errors
    assert GrantRound.objects.get(pk=round_.pk).budget == 100_000_000


@pytest.mark.django_db
def test_screening_shows_the_checklist_and_staff_can_override_a_check_then_send_to_review(client, staff):
    from grants.models import EligibilityOverride

    application = make_in_review()
    Application.objects.filter(pk=application.pk).update(status=workflow.SCREENING)
    client.force_login(staff)

    content = client.get(change_url(application)).content.decode()
    assert 'data-testid="check-documents"' in content
    assert 'data-testid="decide-pass_screening"' in content
    refused = client.post(decide_url(application, "pass_screening"), {"note": ""}, follow=True)
    assert Application.objects.get(pk=application.pk).status == workflow.SCREENING
    assert any(m.level_tag == "error" for m in refused.context["messages"])

    for check in EligibilityOverride.Check.values:
        client.post(
            reverse("admin:grants_application_eligibility", args=[application.pk]),
            {"criterion": check, "passed": "1", "reason": "현장 확인"},
        )
    client.post(decide_url(application, "pass_screening"), {"note": ""})

    assert EligibilityOverride.objects.filter(application=application, by=staff).count() == 6
    assert Application.objects.get(pk=application.pk).status == workflow.IN_REVIEW


@pytest.mark.django_db
def test_access_log_and_export_lists_queries_do_not_grow(client, staff, django_assert_max_num_queries):
    from grants.models import ExportJob

    def add_rows(count):
        applications = in_review_applications(round_=GrantRoundFactory(), field=FieldFactory(), count=count)
        access_record_many(
            user=staff,
            action=AccessLog.Action.VIEW,
            entries=[(a, a.group.representative) for a in applications],
        )
        ExportJob.objects.bulk_create([ExportJob(requested_by=staff) for _ in range(count)])

    client.force_login(staff)
    pages = [reverse("admin:accounts_accesslog_changelist"), reverse("admin:grants_exportjob_changelist")]
    add_rows(5)
    small = []
    for url in pages:
        with django_assert_max_num_queries(10) as captured:
            assert client.get(url).status_code == 200
        small.append(len(captured))
    add_rows(300)
    for url, count in zip(pages, small):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["햇살마을공동체", "탄소", "김주민"])
def test_staff_find_an_application_by_group_title_or_representative(client, staff, resident, term):
    application = make_in_review(group=resident.represented_groups.get(), title="탄소 줄이기")
    other = make_in_review(title="다른 사업", group__name="달빛모임")
    client.force_login(staff)

    content = client.get(reverse(CHANGELIST), {"q": term}).content.decode()

    assert change_url(application) in content
    assert change_url(other) not in content
