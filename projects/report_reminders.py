"""Reminder kinds about interim and final reports (issue 14), registered from ``ProjectsConfig.ready()``.

The schedule is data on the round's ``ProjectRules`` (``report_due_on(kind)``,
``report_reminder_days``). Each occasion is sent once: the dedup key names the project,
the report kind and the due date, so moving the due date is a new occasion.
"""

from django.utils.translation import gettext_lazy as _

from notifications.reminders import ReminderDue, ReminderKind, local, register
from projects import workflow
from projects.models import Project, ProjectReport

OPEN = [s for s in workflow.PHASES if s != workflow.CANCELLED]
DONE = [ProjectReport.Status.SUBMITTED, ProjectReport.Status.ACCEPTED]


def _due_reports(now):
    """(project, kind, due_on, days_left) for every report not yet submitted. Two queries."""
    today = local(now).date()
    projects = (
        Project.objects.filter(status__in=OPEN)
        .select_related("application__group__representative", "application__round__project_rules")
        .prefetch_related("reports")
    )
    for project in projects:
        project_rules = getattr(project.application.round, "project_rules", None)
        if project_rules is None:
            continue
        done = {r.kind for r in project.reports.all() if r.status in DONE}
        for kind in ProjectReport.Kind.values:
            due_on = project_rules.report_due_on(kind)
            if due_on is None or kind in done:
                continue
            yield project, project_rules, kind, due_on, (due_on - today).days


def _due(project, kind, due_on, key, subject, template, days_left):
    return ReminderDue(
        user=project.application.group.representative,
        dedup_key=f"report:{key}:{kind}:{due_on:%Y%m%d}:project:{project.pk}",
        subject=subject,
        subject_params={"kind": ProjectReport.Kind(kind).label, "date": due_on.strftime("%Y-%m-%d")},
        template=template,
        context={
            "project": project,
            "kind": kind,
            "kind_label": ProjectReport.Kind(kind).label,
            "due_on": due_on,
            "days_left": days_left,
        },
        related=project,
    )


def collect_report_due_soon(now):
    for project, project_rules, kind, due_on, days_left in _due_reports(now):
        if 0 <= days_left <= project_rules.report_reminder_days:
            yield _due(
                project,
                kind,
                due_on,
                "due-soon",
                _("Your %(kind)s is due on %(date)s"),
                "projects/email/report_due",
                days_left,
            )


def collect_report_overdue(now):
    for project, _rules, kind, due_on, days_left in _due_reports(now):
        if days_left < 0:
            yield _due(
                project,
                kind,
                due_on,
                "overdue",
                _("Your %(kind)s was due on %(date)s"),
                "projects/email/report_overdue",
                days_left,
            )


REPORT_DUE = ReminderKind(
    name="project_report_due",
    label=_("Reminders that a project report is due"),
    essential=True,
    collect=collect_report_due_soon,
)
REPORT_OVERDUE = ReminderKind(
    name="project_report_overdue",
    label=_("Reminders that a project report is overdue"),
    essential=True,
    collect=collect_report_overdue,
)


def register_all() -> None:
    for kind in (REPORT_DUE, REPORT_OVERDUE):
        register(kind)
