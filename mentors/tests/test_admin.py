import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentors.models import Assignment, AssignmentChange, FollowUp
from mentors.tests.conftest import PRIVATE_NOTE
from portal.tests.test_spreadsheets import as_read_from_xlsx
from tests.factories import CommunityGroupFactory, MentorFactory
from tests.forms import form_data


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["resident", "mentor"])
@pytest.mark.parametrize(
    "url_name", ["admin:mentors_mentor_coverage", "admin:mentors_mentor_export_visits", "admin:mentors_assignment_auto"]
)
def test_only_staff_reach_the_support_team_admin_views(client, request, who, url_name):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_the_mentor_changelist_links_to_coverage_and_export(client, staff, mentor):
    client.force_login(staff)
    body = client.get(reverse("admin:mentors_mentor_changelist")).content.decode()
    assert reverse("admin:mentors_mentor_coverage") in body
    assert reverse("admin:mentors_mentor_export_visits") in body


@pytest.mark.django_db
def test_coverage_shows_visits_per_month_unvisited_groups_and_overdue_follow_ups(
    client, staff, follow_up, other_mentor, grant_round, django_assert_max_num_queries
):
    FollowUp.objects.filter(pk=follow_up.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    forgotten = Assignment.objects.create(
        mentor=other_mentor.mentor_profile, group=CommunityGroupFactory(name="잊힌공동체"), round=grant_round
    )
    # Never visited since it was assigned the round's limit ago (a new assignment is not overdue yet).
    Assignment.objects.filter(pk=forgotten.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=grant_round.visit_overdue_days)
    )
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:mentors_mentor_coverage"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<svg class="coverage-chart"' in body
    rows = {row["mentor"]: row for row in response.context["rows"]}
    assert rows[follow_up.visit.mentor]["per_month"][-1] == 1
    assert [a.group for a in response.context["unvisited"]] == [forgotten.group]
    assert list(response.context["overdue_follow_ups"]) == [follow_up]


@pytest.mark.django_db
def test_the_excel_export_lists_every_visit_with_its_follow_ups(client, staff, follow_up):
    client.force_login(staff)
    response = client.get(reverse("admin:mentors_mentor_export_visits"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    visit_row = rows[1]
    assert follow_up.visit.group.name in visit_row
    assert PRIVATE_NOTE in visit_row  # staff see the private notes
    assert visit_row[-2:] == (1, 1)


@pytest.mark.django_db
def test_staff_auto_assign_from_the_admin_button(client, staff, application, mentor, other_mentor, grant_round):
    CommunityGroupFactory()  # a group without an application in the round is left out
    client.force_login(staff)
    url = reverse("admin:mentors_assignment_auto")
    page = client.get(url)
    assert page.status_code == 200
    assert url in client.get(reverse("admin:mentors_assignment_changelist")).content.decode()
    preview = client.post(url, form_data(page.content, "auto-assign-preview", preview="Preview"))
    assert preview.status_code == 200 and not Assignment.objects.exists()
    response = client.post(url, form_data(preview.content, "auto-assign-confirm", confirm="Confirm"))
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.group == application.group and not assignment.pinned
    assert AssignmentChange.objects.get().by == staff


@pytest.mark.django_db
def test_an_assignment_staff_add_by_hand_in_the_admin_is_pinned(client, staff, mentor, group, grant_round):
    client.force_login(staff)
    response = client.post(
        reverse("admin:mentors_assignment_add"),
        {"mentor": mentor.mentor_profile.pk, "group": group.pk, "round": grant_round.pk},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assignment = Assignment.objects.get()
    assert assignment.pinned
    change = AssignmentChange.objects.get()
    assert (change.from_mentor, change.to_mentor, change.by, change.reason) == (
        None,
        mentor.mentor_profile,
        staff,
        "manual",
    )


@pytest.mark.django_db
def test_moving_an_assignment_in_the_admin_pins_it_and_records_the_move(client, staff, mentor, assignment):
    newcomer = MentorFactory()
    client.force_login(staff)
    response = client.post(
        reverse("admin:mentors_assignment_change", args=[assignment.pk]), {"mentor": newcomer.pk, "pinned": ""}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.mentor == newcomer and assignment.pinned
    change = AssignmentChange.objects.get()
    assert (change.from_mentor, change.to_mentor) == (mentor.mentor_profile, newcomer)


@pytest.mark.django_db
def test_the_application_admin_page_shows_the_groups_mentor_visits(client, staff, visit, application):
    client.force_login(staff)
    response = client.get(reverse("admin:grants_application_change", args=[application.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("admin:mentors_coachingvisit_change", args=[visit.pk]) in body
    assert visit.topics in body


@pytest.mark.django_db
def test_staff_see_a_visit_with_its_follow_ups_and_photos_in_the_admin(client, staff, follow_up):
    client.force_login(staff)
    response = client.get(reverse("admin:mentors_coachingvisit_change", args=[follow_up.visit_id]))
    assert response.status_code == 200
    assert follow_up.description in response.content.decode()


@pytest.mark.django_db
def test_the_auto_assign_admin_action_opens_the_preview_for_the_selected_rows_round(
    client, staff, assignment, other_mentor
):
    Assignment.objects.create(mentor=assignment.mentor, group=CommunityGroupFactory(), round=assignment.round)
    client.force_login(staff)
    response = client.post(
        reverse("admin:mentors_assignment_changelist"),
        {"action": "auto_assign_rounds", "_selected_action": [assignment.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:mentors_assignment_auto')}?round={assignment.round_id}"
    assert not AssignmentChange.objects.filter(reason="auto").exists()
    assert client.get(response["Location"]).context["plan"] is not None


@pytest.mark.django_db
@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x","click")', "=1+1", "+1", "-1", "@x", "\t=1+1", "\r=1+1"])
def test_the_visits_export_shows_typed_formulas_as_plain_text(client, staff, visit, payload):
    visit.topics, visit.notes = payload, payload
    visit.save(update_fields=["topics", "notes"])
    visit.group.name = payload
    visit.group.save(update_fields=["name"])
    client.force_login(staff)
    sheet = load_workbook(io.BytesIO(client.get(reverse("admin:mentors_mentor_export_visits")).content)).active
    row = list(sheet.iter_rows())[1]
    for cell in (row[2], row[7], row[8]):  # group, topics, private notes
        assert (cell.value, cell.data_type) == (as_read_from_xlsx("'" + payload), "s")
    assert row[5].data_type == "n"  # the duration stays a number
