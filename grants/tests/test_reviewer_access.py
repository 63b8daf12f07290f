"""A reviewer over every admin URL and action: what is assigned to them and in review is
visible, everything else is refused; no contact details in any response; the others' scores
stay hidden until their own is saved; every page they open is in the access log."""

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import URLResolver, reverse

from accounts.models import AccessLog
from grants import services, workflow
from grants.models import (
    Application,
    Attachment,
    EligibilityOverride,
    ExportJob,
    Review,
    ReviewerAssignment,
    StatusChange,
)
from grants.tests.factories import CriterionFactory
from grants.tests.helpers import assign_reviewer, make_in_review, reviewer_group
from networks.models import GroupMember
from tests.factories import ApplicationFactory, CommunityGroupFactory, UserFactory

pytestmark = pytest.mark.django_db

# Pages a reviewer opens with nothing of anyone else's in them.
OPEN_TO_A_REVIEWER = {"index", "password_change", "password_change_done", "jsi18n", "grants_application_changelist"}
# Pages about one application that a reviewer opens only for their own assignment in review.
OWN_ASSIGNMENT_ONLY = {"grants_application_change", "grants_application_score"}


def _reviewer(email, name):
    user = UserFactory(email=email, name=name, is_staff=True)
    user.groups.add(reviewer_group())
    return user


@pytest.fixture
def cast(staff):
    reviewer = _reviewer("reviewer@example.com", "심사위원가")
    other_reviewer = _reviewer("reviewer2@example.com", "심사위원나")
    mine = make_in_review(title="배정된 사업")
    mine.group.representative.phone = "010-1234-5678"
    mine.group.representative.save()
    mine.group.contact_phone = "062-111-2222"
    mine.group.save()
    GroupMember.objects.create(group=mine.group, name="홍길동", role="총무")
    CriterionFactory(round=mine.round, name="공공성", max_score=10)
    assign_reviewer(reviewer, mine, by=staff)
    assign_reviewer(other_reviewer, mine, by=staff)
    not_mine = make_in_review(round=mine.round, title="남의 사업")
    assign_reviewer(other_reviewer, not_mine, by=staff)
    decided = ApplicationFactory(round=mine.round, status=workflow.REJECTED, title="결정된 사업")
    ReviewerAssignment.objects.create(application=decided, reviewer=reviewer)
    draft = ApplicationFactory(round=mine.round, title="아직 쓰는 사업")
    attachment = Attachment(
        application=mine, kind="plan", original_name="계획서.pdf", content_type="application/pdf", size=3
    )
    attachment.file.save("plan.pdf", ContentFile(b"pdf"), save=True)
    job = ExportJob.objects.create(requested_by=reviewer, status=ExportJob.Status.DONE)
    job.file.save("x.csv", ContentFile(b"a,b"), save=True)
    return {
        "reviewer": reviewer,
        "other_reviewer": other_reviewer,
        "mine": mine,
        "not_mine": not_mine,
        "decided": decided,
        "draft": draft,
        "attachment": attachment,
        "job": job,
    }


def _admin_urls():
    """(name, pattern) of every named admin URL, walking included resolvers."""

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif pattern.name:
                yield pattern

    return list(walk(admin.site.get_urls()))


def _instance_pk(name, cast):
    for model, _model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            if model is Application:
                return None  # handled by the caller
            instance = model._default_manager.order_by("pk").first()
            return instance.pk if instance else 999_999
    return 999_999


def _urls_for(pattern, cast):
    """Concrete URLs for one admin pattern, each with whether a reviewer may open it."""
    name = pattern.name
    keys = set(pattern.pattern.regex.groupindex)
    if name == "view_on_site":
        return []
    if name == "app_list":
        return [
            (reverse("admin:app_list", kwargs={"app_label": label}), label == "grants")
            for label in {m._meta.app_label for m in admin.site._registry}
        ]
    if not keys:
        return [(reverse(f"admin:{name}"), name in OPEN_TO_A_REVIEWER)]
    kwargs = {}
    if "attachment_id" in keys:
        kwargs["attachment_id"] = cast["attachment"].pk
    if "job_id" in keys:
        kwargs["job_id"] = cast["job"].pk
    if "action" in keys:
        kwargs["action"] = "approve"
    if "export_format" in keys:
        kwargs["export_format"] = "xlsx"
    if "id" in keys:  # a user's password page: another person's account
        kwargs["id"] = cast["other_reviewer"].pk
    if "round_id" in keys:  # a round's pages (projects' summaries): the reviewer's own round
        kwargs["round_id"] = cast["mine"].round_id
    for key in keys - set(kwargs) - {"object_id"}:  # any other number in a newer app's URL
        kwargs[key] = 999_999
    if "object_id" in keys and not name.startswith("grants_application_"):
        kwargs["object_id"] = _instance_pk(name, cast)
    if "object_id" in keys and name.startswith("grants_application_"):
        return [
            (
                reverse(f"admin:{name}", kwargs={**kwargs, "object_id": cast[key].pk}),
                key == "mine" and name in OWN_ASSIGNMENT_ONLY,
            )
            for key in ["mine", "not_mine", "decided", "draft"]
        ]
    return [(reverse(f"admin:{name}", kwargs=kwargs), False)]


def _contact_details(cast):
    people = [a.group.representative for a in Application.objects.select_related("group__representative")]
    groups = [a.group for a in Application.objects.select_related("group")]
    return (
        {p.email for p in people}
        | {p.phone for p in people if p.phone}
        | {g.contact_phone for g in groups if g.contact_phone}
    )


def test_a_reviewer_opens_only_their_assignment_in_review_over_every_admin_url(client, cast):
    client.force_login(cast["reviewer"])
    contacts = _contact_details(cast)
    checked = []
    for pattern in _admin_urls():
        for url, allowed in _urls_for(pattern, cast):
            response = client.get(url)
            checked.append(url)
            if pattern.name == "login":  # already logged in: sent to the index
                assert response.status_code == 302 and response.url == reverse("admin:index")
            elif "/999999" in url:  # no such object: the admin says so and reveals nothing else
                # (405: a POST-only action asked with GET answers before looking anything up)
                assert response.status_code in (302, 403, 404, 405), url
            elif allowed:
                assert response.status_code == 200, url
                html = response.content.decode()
                leaked = [c for c in contacts if c in html]
                assert not leaked, f"{url} shows contact details {leaked}"
                for title in ["남의 사업", "결정된 사업", "아직 쓰는 사업"]:
                    assert title not in html, f"{url} shows {title}"
            else:
                assert response.status_code in (403, 404, 405), f"{url} gave {response.status_code}"
    assert len(checked) > 40  # the walk really covered the admin


def test_every_post_and_changelist_action_of_a_reviewer_is_refused(client, cast):
    client.force_login(cast["reviewer"])
    mine = cast["mine"]
    for pattern in _admin_urls():
        for url, _allowed in _urls_for(pattern, cast):
            if pattern.name in ("logout", "password_change", "grants_application_score", "jsi18n", "set_language"):
                continue
            response = client.post(url, {"amount": 1_000_000, "reason": "x", "note": "x"})
            assert response.status_code in (200, 302, 403, 404, 405), url
    changelist = reverse("admin:grants_application_changelist")
    for action in ["assign_reviewer_selected", "approve_selected", "reject_selected", "request_changes_selected"]:
        client.post(
            changelist,
            {
                "action": action,
                "_selected_action": [mine.pk],
                "apply": "1",
                "text": "반려",
                "reviewer": cast["reviewer"].pk,
                f"amount_{mine.pk}": "1000000",
            },
        )
    mine.refresh_from_db()
    assert mine.status == workflow.IN_REVIEW and mine.awarded_amount is None
    assert not mine.status_changes.exists()
    assert not ReviewerAssignment.objects.filter(application=cast["not_mine"], reviewer=cast["reviewer"]).exists()
    assert not StatusChange.objects.exists() and not EligibilityOverride.objects.exists()
    assert ExportJob.objects.count() == 1 and not mine.round.__class__.objects.filter(
        results_published_at__isnull=False
    )
    assert client.post(reverse("admin:grants_application_score", args=[cast["not_mine"].pk])).status_code == 404


def test_the_reviewers_change_page_shows_the_plan_budget_and_participants_but_no_contact(client, cast):
    client.force_login(cast["reviewer"])
    html = client.get(reverse("admin:grants_application_change", args=[cast["mine"].pk])).content.decode()
    assert cast["mine"].plan in html
    assert "홍길동 (총무)" in html
    assert cast["mine"].group.representative.email not in html and "010-1234-5678" not in html
    assert "계획서.pdf" not in html, "documents are not part of the committee consent"
    assert 'data-testid="budget-panel"' not in client.get(reverse("admin:index")).content.decode()


def test_a_reviewer_sees_the_other_reviews_only_once_their_own_is_saved(client, cast):
    mine, reviewer, other = cast["mine"], cast["reviewer"], cast["other_reviewer"]
    criterion = mine.round.criteria.get()
    services.review_score(application=mine, reviewer=other, values={criterion.pk: 3}, comment="예산이 과합니다")
    url = reverse("admin:grants_application_change", args=[mine.pk])
    client.force_login(reviewer)

    before = client.get(url).content.decode()
    assert "예산이 과합니다" not in before and "30.00" not in before
    changelist = client.get(reverse("admin:grants_application_changelist")).content.decode()
    assert "30.0" not in changelist

    client.post(reverse("admin:grants_application_score", args=[mine.pk]), {f"criterion_{criterion.pk}": 9})
    after = client.get(url).content.decode()
    assert Review.objects.get(application=mine, reviewer=reviewer).weighted_score == 90
    assert "예산이 과합니다" in after


def test_every_page_a_reviewer_opens_is_in_the_access_log(client, cast):
    mine, reviewer = cast["mine"], cast["reviewer"]
    client.force_login(reviewer)
    client.get(reverse("admin:grants_application_changelist"))
    client.get(reverse("admin:grants_application_change", args=[mine.pk]))
    client.get(reverse("admin:grants_application_score", args=[mine.pk]))

    entries = AccessLog.objects.filter(user=reviewer, action=AccessLog.Action.VIEW)
    assert entries.count() == 3
    assert entries.filter(subject_id=mine.pk, person=mine.group.representative).count() == 2


def test_the_portal_suggests_a_conflict_when_the_reviewer_leads_a_group_in_the_same_dong(client, cast):
    mine, reviewer = cast["mine"], cast["reviewer"]
    CommunityGroupFactory(representative=reviewer, name="심사위원네 모임", dong=mine.group.dong)
    client.force_login(reviewer)

    html = client.get(reverse("admin:grants_application_score", args=[mine.pk])).content.decode()

    assert 'data-testid="suggested-conflicts"' in html and "심사위원네 모임" in html


def test_staff_assign_a_reviewer_to_a_whole_field_and_decided_ones_are_refused(staff, cast):
    mine, reviewer = cast["mine"], cast["reviewer"]
    more = make_in_review(round=mine.round, field=mine.field)
    done = ApplicationFactory(round=mine.round, field=mine.field, status=workflow.APPROVED, awarded_amount=1)

    results = services.reviewers_assign_field(reviewer=reviewer, round_=mine.round, field=mine.field, by=staff)

    assert {a.pk for a, refusal in results if refusal is None} == {mine.pk, more.pk}
    assert not ReviewerAssignment.objects.filter(application=done, reviewer=reviewer).exists()
    refused = services.reviewers_assign(reviewer=reviewer, applications=[done], by=staff)
    assert refused[0][1] is not None
