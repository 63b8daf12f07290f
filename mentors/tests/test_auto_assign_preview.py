"""Auto-assign shows its moves before it makes them, keeps existing pairs unless asked, assigns
only groups with a submitted or funded application, and tells the mentors whose groups changed
(defect 15). Posted through the admin the way a browser posts it."""

import pytest
from django.urls import reverse

from grants.models import Application
from mentors import services
from mentors.models import Assignment, AssignmentChange
from notifications.models import Email
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CommunityGroupFactory,
    GrantRoundFactory,
    MentorFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_with_groups(db):
    """Mentor A follows three submitted groups, mentor B none; a fourth submitted group has no
    mentor yet; a draft, a rejected and a withdrawn group do not need one."""
    grant_round = GrantRoundFactory()
    a, b = MentorFactory(user__name="가멘토"), MentorFactory(user__name="나멘토")
    followed = []
    for index in range(3):
        group = CommunityGroupFactory(name=f"기존{index}")
        ApplicationFactory(group=group, round=grant_round, status=Application.Status.SUBMITTED)
        AssignmentFactory(group=group, round=grant_round, mentor=a)
        followed.append(group)
    newcomer = CommunityGroupFactory(name="새모임")
    ApplicationFactory(group=newcomer, round=grant_round, status=Application.Status.APPROVED)
    others = {}
    for status in (Application.Status.DRAFT, Application.Status.REJECTED, Application.Status.WITHDRAWN):
        group = CommunityGroupFactory(name=f"제외-{status}")
        ApplicationFactory(group=group, round=grant_round, status=status)
        others[status] = group
    return grant_round, a, b, followed, newcomer, others


def _preview(client, grant_round, *, move_existing=False):
    url = reverse("admin:mentors_assignment_auto")
    page = client.get(url)
    data = form_data(page.content, "auto-assign-preview", preview="Preview")
    data["round"] = str(grant_round.pk)
    if move_existing:
        data["move_existing"] = "1"
    response = client.post(url, data)
    assert response.status_code == 200
    return response


def _pairs(grant_round) -> dict[str, str]:
    return dict(Assignment.objects.filter(round=grant_round).values_list("group__name", "mentor__user__name"))


def test_the_preview_lists_the_changes_and_saves_nothing(client, staff, round_with_groups):
    grant_round, a, b, followed, newcomer, _others = round_with_groups
    before = _pairs(grant_round)
    client.force_login(staff)
    response = _preview(client, grant_round)
    plan = response.context["plan"]
    assert [(c.group, c.from_mentor, c.to_mentor) for c in plan.changes] == [(newcomer, None, b)]
    assert 'data-testid="plan-changes"' in response.content.decode()
    assert _pairs(grant_round) == before
    assert not AssignmentChange.objects.exists() and not Email.objects.exists()


def test_existing_pairs_stay_unless_asked_and_only_submitted_or_funded_groups_are_assigned(
    client, staff, round_with_groups
):
    grant_round, a, b, followed, newcomer, others = round_with_groups
    client.force_login(staff)
    preview = _preview(client, grant_round)
    url = reverse("admin:mentors_assignment_auto")
    assert client.post(url, form_data(preview.content, "auto-assign-confirm", confirm="Confirm")).status_code == 302

    pairs = _pairs(grant_round)
    assert {name: pairs[name] for name in ["기존0", "기존1", "기존2"]} == dict.fromkeys(
        ["기존0", "기존1", "기존2"], "가멘토"
    )
    assert pairs["새모임"] == "나멘토"
    assert not set(pairs) & {group.name for group in others.values()}


def test_rebalancing_existing_pairs_is_shown_as_moves_and_applied_only_when_asked(client, staff, round_with_groups):
    grant_round, a, b, followed, newcomer, _others = round_with_groups
    client.force_login(staff)
    preview = _preview(client, grant_round, move_existing=True)
    moves = [c for c in preview.context["plan"].changes if c.from_mentor is not None]
    assert moves and all(c.from_mentor == a and c.to_mentor == b for c in moves)
    assert 'class="moved"' in preview.content.decode()
    url = reverse("admin:mentors_assignment_auto")
    assert client.post(url, form_data(preview.content, "auto-assign-confirm", confirm="Confirm")).status_code == 302
    loads = sorted(list(_pairs(grant_round).values()).count(name) for name in ["가멘토", "나멘토"])
    assert loads == [2, 2]
    assert AssignmentChange.objects.filter(from_mentor=a, to_mentor=b).count() == len(moves)


def test_the_mentors_whose_groups_changed_are_emailed_and_no_one_else(client, staff, round_with_groups):
    grant_round, a, b, followed, newcomer, _others = round_with_groups
    bystander = MentorFactory(user__name="다멘토", active=False)
    client.force_login(staff)
    preview = _preview(client, grant_round, move_existing=True)
    moved_away = sorted(c.group.name for c in preview.context["plan"].changes if c.from_mentor == a)
    client.post(
        reverse("admin:mentors_assignment_auto"), form_data(preview.content, "auto-assign-confirm", confirm="1")
    )

    emails = {email.user: email for email in Email.objects.filter(kind="mentor_assignments_changed")}
    assert set(emails) == {a.user, b.user}
    assert bystander.user not in emails
    assert "새모임" in emails[b.user].body_text
    for name in moved_away:
        assert name in emails[a.user].body_text and name in emails[b.user].body_text


def test_a_confirmation_of_a_stale_preview_changes_nothing(staff, round_with_groups):
    grant_round, a, b, followed, newcomer, _others = round_with_groups
    plan = services.auto_assign_plan(round=grant_round)
    late = CommunityGroupFactory(name="늦은모임")
    ApplicationFactory(group=late, round=grant_round, status=Application.Status.SUBMITTED)
    with pytest.raises(services.PlanChanged):
        services.auto_assign(round=grant_round, by=staff, expected_fingerprint=plan.fingerprint)
    assert Assignment.objects.filter(round=grant_round).count() == 3
    assert not Email.objects.exists()
