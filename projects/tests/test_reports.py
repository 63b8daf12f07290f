"""Interim and final reports: written by the representative, accepted or returned by staff."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Email
from notifications.sweep import sweep
from projects import reports
from projects.models import ProjectReport, ProjectReportEvent
from projects.rules import rules_for
from projects.tests.helpers import funded_project
from tests.factories import UserFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

FILLED = {
    "done_against_plan": "계획한 골목 화단 5곳을 모두 만들었습니다.",
    "activities_held": "화단 만들기 3회, 주민 회의 2회",
    "residents_taking_part": 42,
    "would_change": "여름 전에 시작하겠습니다.",
}


def written(project):
    rep = project.application.group.representative
    return reports.report_save(project=project, kind=ProjectReport.Kind.FINAL, by=rep, **FILLED)


def test_the_representative_saves_then_submits_and_every_step_is_recorded(staff):
    project = funded_project(staff=staff)
    rep = project.application.group.representative
    report = written(project)
    assert report.status == ProjectReport.Status.DRAFT
    report = reports.report_submit(report=report, by=rep)
    report.refresh_from_db()
    assert report.status == ProjectReport.Status.SUBMITTED
    assert report.submitted_by == rep and report.submitted_at is not None
    assert list(report.events.values_list("action", flat=True)) == ["saved", "submitted"]


def test_someone_else_cannot_write_the_report(staff):
    project = funded_project(staff=staff)
    with pytest.raises(PermissionDenied):
        reports.report_save(project=project, kind="final", by=UserFactory(), **FILLED)
    assert not ProjectReport.objects.exists()


def test_an_incomplete_report_is_not_submitted(staff):
    project = funded_project(staff=staff)
    rep = project.application.group.representative
    report = reports.report_save(project=project, kind="interim", by=rep, done_against_plan="반쯤 했습니다")
    with pytest.raises(reports.ReportNotAllowed) as caught:
        reports.report_submit(report=report, by=rep)
    assert "residents_taking_part" in caught.value.message_dict
    report.refresh_from_db()
    assert report.status == ProjectReport.Status.DRAFT
    assert report.done_against_plan == "반쯤 했습니다"


def test_staff_return_with_a_note_then_the_group_resubmits_and_staff_accept(staff):
    project = funded_project(staff=staff)
    rep = project.application.group.representative
    report = reports.report_submit(report=written(project), by=rep)
    with pytest.raises(reports.ReportNotAllowed):
        reports.report_return(report=report, note="  ", by=staff)
    report = reports.report_return(report=report, note="참여 주민 명단을 붙여 주세요.", by=staff)
    assert report.status == ProjectReport.Status.RETURNED and report.reviewed_by == staff
    report = reports.report_save(project=project, kind="final", by=rep, activities_held="화단 만들기 4회")
    report = reports.report_submit(report=report, by=rep)
    report = reports.report_accept(report=report, by=staff)
    assert report.status == ProjectReport.Status.ACCEPTED
    with pytest.raises(reports.ReportNotAllowed):
        reports.report_save(project=project, kind="final", by=rep, activities_held="고침")
    with pytest.raises(reports.ReportNotAllowed):
        reports.report_return(report=report, note="다시", by=staff)
    assert list(ProjectReportEvent.objects.filter(report=report).values_list("action", flat=True)) == [
        "saved",
        "submitted",
        "returned",
        "saved",
        "submitted",
        "accepted",
    ]


def test_a_draft_cannot_be_accepted(staff):
    project = funded_project(staff=staff)
    with pytest.raises(reports.ReportNotAllowed):
        reports.report_accept(report=written(project), by=staff)


def test_the_database_holds_one_report_per_kind_and_a_note_on_a_return(staff):
    project = funded_project(staff=staff)
    written(project)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectReport.objects.create(project=project, kind="final")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectReport.objects.filter(project=project).update(status="returned")


def test_the_schedule_is_data_on_the_rounds_rules(staff):
    project = funded_project(staff=staff)
    rules = rules_for(project.application.round)
    rules.period_end = datetime.date(2026, 11, 30)
    rules.final_report_due_days = 20
    rules.interim_report_due_on = datetime.date(2026, 8, 31)
    rules.save()
    assert rules.report_due_on("final") == datetime.date(2026, 12, 20)
    assert rules.report_due_on("interim") == datetime.date(2026, 8, 31)


# --- the representative's page


def report_url(project, kind="final"):
    return f"/my/projects/{project.pk}/reports/{kind}/"


def test_another_groups_representative_and_staff_get_404(client, staff):
    project = funded_project(staff=staff)
    other = funded_project(staff=staff)
    client.force_login(other.application.group.representative)
    assert client.get(report_url(project)).status_code == 404
    assert client.post(report_url(project), FILLED | {"action": "submit"}).status_code == 404
    client.force_login(staff)
    assert client.get(report_url(project)).status_code == 404
    assert not ProjectReport.objects.exists()


def test_the_form_posted_as_a_browser_does_saves_then_submits(client, staff):
    project = funded_project(staff=staff)
    rep = project.application.group.representative
    client.force_login(rep)
    page = client.get(report_url(project))
    assert page.status_code == 200
    data = form_data(page.content, "report-form", action="save")
    data["done_against_plan"] = FILLED["done_against_plan"]
    response = client.post(report_url(project), data)
    assert response.status_code == 302
    report = ProjectReport.objects.get(project=project, kind="final")
    assert report.status == "draft" and report.done_against_plan == FILLED["done_against_plan"]

    page = client.get(report_url(project))
    data = form_data(page.content, "report-form", action="submit")
    assert data["done_against_plan"] == FILLED["done_against_plan"]  # unchanged field sent back as it was
    response = client.post(report_url(project), data)
    assert response.status_code == 400  # incomplete: errors at the top, draft kept
    assert b"alert" in response.content
    report.refresh_from_db()
    assert report.status == "draft" and report.done_against_plan == FILLED["done_against_plan"]

    data = form_data(response.content, "report-form", action="submit") | {
        k: str(v) for k, v in FILLED.items() if k != "done_against_plan"
    }
    response = client.post(report_url(project), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.residents_taking_part == 42
    assert b"report-form" not in client.get(report_url(project)).content  # read-only once submitted


def test_a_negative_number_of_residents_is_refused_and_nothing_is_lost(client, staff):
    project = funded_project(staff=staff)
    client.force_login(project.application.group.representative)
    page = client.get(report_url(project, "interim"))
    data = form_data(page.content, "report-form", action="save") | {
        "done_against_plan": "기록",
        "residents_taking_part": "-3",
    }
    response = client.post(report_url(project, "interim"), data)
    assert response.status_code == 400
    assert "기록" in response.content.decode()
    assert not ProjectReport.objects.exists()


# --- staff in the admin


def admin_url(report):
    return f"/admin/projects/projectreport/{report.pk}/change/"


def test_staff_return_then_accept_in_the_admin_through_the_services(client, staff):
    project = funded_project(staff=staff)
    rep = project.application.group.representative
    report = reports.report_submit(report=written(project), by=rep)
    client.force_login(staff)
    page = client.get(admin_url(report))
    assert page.status_code == 200
    data = form_data(page.content, "projectreport_form", decision="return", review_note="", _save="저장")
    response = client.post(admin_url(report), data)
    assert response.status_code == 200  # the note is required: error shown, nothing changed
    report.refresh_from_db()
    assert report.status == "submitted"

    data = form_data(
        page.content, "projectreport_form", decision="return", review_note="사진을 붙여 주세요.", _save="저장"
    )
    assert client.post(admin_url(report), data).status_code == 302
    report.refresh_from_db()
    assert report.status == "returned" and report.staff_note == "사진을 붙여 주세요." and report.reviewed_by == staff
    assert report.events.filter(action="returned", by=staff).exists()

    # the group sees the note on its page, resubmits, staff accept
    client.force_login(rep)
    assert "사진을 붙여 주세요." in client.get(report_url(project)).content.decode()
    reports.report_submit(report=report, by=rep)
    client.force_login(staff)
    page = client.get(admin_url(report))
    data = form_data(page.content, "projectreport_form", decision="accept", _save="저장")
    assert client.post(admin_url(report), data).status_code == 302
    report.refresh_from_db()
    assert report.status == "accepted"
    # the report's text cannot be edited by staff: posting changed text changes nothing
    data = form_data(page.content, "projectreport_form", _save="저장") | {"done_against_plan": "바꿈"}
    client.post(admin_url(report), data)
    report.refresh_from_db()
    assert report.done_against_plan == FILLED["done_against_plan"]


# --- reminders


def scheduled(project, *, final_due):
    rules = rules_for(project.application.round)
    rules.period_end = final_due - datetime.timedelta(days=rules.final_report_due_days)
    rules.report_reminder_days = 7
    rules.save()
    return rules


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


KINDS = {"project_report_due", "project_report_overdue"}


def test_due_soon_and_overdue_are_each_sent_exactly_once(staff):
    project = funded_project(staff=staff)
    due = datetime.date(2026, 12, 20)
    scheduled(project, final_due=due)
    sweep(now=at(due - datetime.timedelta(days=10)), kinds=KINDS)
    assert not Email.objects.filter(kind__in=KINDS).exists()  # too early

    for days_before in (7, 6, 1):
        sweep(now=at(due - datetime.timedelta(days=days_before)), kinds=KINDS)
    soon = Email.objects.filter(kind="project_report_due")
    assert soon.count() == 1
    assert soon.get().recipient == project.application.group.representative.email

    for days_after in (1, 2, 30):
        sweep(now=at(due + datetime.timedelta(days=days_after)), kinds=KINDS)
    assert Email.objects.filter(kind="project_report_overdue").count() == 1
    assert Email.objects.filter(kind="project_report_due").count() == 1


def test_a_submitted_report_is_not_chased(staff):
    project = funded_project(staff=staff)
    due = datetime.date(2026, 12, 20)
    scheduled(project, final_due=due)
    reports.report_submit(report=written(project), by=project.application.group.representative)
    sweep(now=at(due - datetime.timedelta(days=3)), kinds=KINDS)
    sweep(now=at(due + datetime.timedelta(days=3)), kinds=KINDS)
    assert not Email.objects.filter(kind__in=KINDS).exists()
