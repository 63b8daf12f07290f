"""An application is judged on the group as it stood at submission; every group edit is
recorded with who and when."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grants import screening, services, workflow
from grants.models import EligibilityOverride
from networks.models import GroupChange, GroupMember
from tests.factories import DongFactory
from tests.forms import form_data

Check = EligibilityOverride.Check
pytestmark = pytest.mark.django_db


@pytest.fixture
def eligible_submission(complete_draft, resident, open_round):
    group = complete_draft.group
    group.dong = DongFactory(district=open_round.district, name="양동")
    group.member_count = 7
    group.name = "햇살마을공동체"
    group.save()
    GroupMember.objects.create(group=group, name="김주민", role="대표", order=0)
    GroupMember.objects.create(group=group, name="이웃일", role="총무", order=1)
    return services.submit_application(application=complete_draft, by=resident)


def edit_group_on_the_portal(client, resident, **changes):
    client.force_login(resident)
    page = client.get(reverse("grants:group"))
    data = form_data(page.content, "group-form")
    data.update(changes)
    response = client.post(reverse("grants:group"), data)
    assert response.status_code == 302, response.context and response.context.get("error_summary")
    return response


def test_the_submission_keeps_the_group_it_was_judged_on(eligible_submission):
    application = eligible_submission
    assert (application.submitted_group_name, application.submitted_member_count) == ("햇살마을공동체", 7)
    assert application.submitted_dong.name == "양동"
    assert application.submitted_members == [{"name": "김주민", "role": "대표"}, {"name": "이웃일", "role": "총무"}]


def test_editing_the_group_after_submitting_changes_neither_the_screening_nor_the_snapshot(
    client, resident, eligible_submission
):
    before = {c.code: (c.passed, c.detail) for c in screening.eligibility_checks(eligible_submission)}
    other_district_dong = DongFactory(district__code="bukgu", district__name="북구")
    edit_group_on_the_portal(client, resident, name="새이름공동체", member_count="1", dong=str(other_district_dong.pk))

    group = eligible_submission.group
    group.refresh_from_db()
    assert (group.name, group.member_count, group.dong_id) == ("새이름공동체", 1, other_district_dong.pk)
    eligible_submission.refresh_from_db()
    after = {c.code: (c.passed, c.detail) for c in screening.eligibility_checks(eligible_submission)}
    assert after[Check.GROUP_SIZE] == before[Check.GROUP_SIZE] == (True, after[Check.GROUP_SIZE][1])
    assert "7" in after[Check.GROUP_SIZE][1]
    assert after[Check.DONG_IN_DISTRICT] == before[Check.DONG_IN_DISTRICT]
    assert after[Check.DONG_IN_DISTRICT][0] is True


def test_every_group_edit_is_recorded_with_who_when_and_what(client, resident, eligible_submission):
    started = timezone.now()
    edit_group_on_the_portal(client, resident, name="새이름공동체", member_count="1")
    change = GroupChange.objects.get(group=eligible_submission.group)
    assert change.by == resident
    assert started <= change.at <= timezone.now()
    assert change.changes["name"] == ["햇살마을공동체", "새이름공동체"]
    assert change.changes["member_count"] == [7, 1]
    assert "dong" not in change.changes  # unchanged items are not listed
    edit_group_on_the_portal(client, resident)  # saved without a change: no row
    assert GroupChange.objects.filter(group=eligible_submission.group).count() == 1


def test_a_staff_edit_in_the_admin_is_recorded_too(client, staff, eligible_submission):
    group = eligible_submission.group
    client.force_login(staff)
    url = reverse("admin:networks_communitygroup_change", args=[group.pk])
    data = form_data(client.get(url).content, "communitygroup_form")
    data["member_count"] = "9"
    data["_save"] = "Save"
    assert client.post(url, data).status_code == 302
    change = GroupChange.objects.get(group=group)
    assert change.by == staff and change.changes == {"member_count": [7, 9]}
    assert "9" in client.get(url).content.decode()  # the history shows on the group's admin page


def test_the_published_results_show_the_name_the_group_applied_under(client, resident, eligible_submission, staff):
    application = eligible_submission
    round_ = application.round
    application.status = workflow.APPROVED
    application.awarded_amount = 1_000_000
    application.save(update_fields=["status", "awarded_amount"])
    round_.closes_at = timezone.now() - datetime.timedelta(days=1)
    round_.results_published_at = timezone.now()
    round_.save(update_fields=["closes_at", "results_published_at"])
    group = application.group
    group.name = "개명한공동체"
    group.save(update_fields=["name"])

    page = client.get(reverse("grants:round_results", args=[round_.pk])).content.decode()
    assert "햇살마을공동체" in page
    assert "개명한공동체" not in page
