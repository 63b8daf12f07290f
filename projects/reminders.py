"""Reminder kinds about funded projects, registered from ``ProjectsConfig.ready()``.

The schedule is data staff edit per round (``ProjectRules``): the agreement and first
instalment reminders' days and the settlement deadline. Each email's ``dedup_key`` names its
occasion, so the outbox sends it exactly once.
"""

import datetime

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from notifications.reminders import ReminderDue, ReminderKind, local, register
from projects import workflow
from projects.models import Project, ProjectRules

DAY = datetime.timedelta(days=1)
SETTLEMENT_DUE_SOON = 7  # days before the deadline the group is told it is coming
EVIDENCE_GRACE = 3 * DAY  # a receipt photo often follows the entry by a day or two


def _rules_by_round() -> dict[int, ProjectRules]:
    return {rules.round_id: rules for rules in ProjectRules.objects.all()}


def _projects(*statuses):
    return Project.objects.filter(status__in=statuses).select_related(
        "application__group__representative", "application__round"
    )


def _since(status: str):
    return Max("status_changes__at", filter=Q(status_changes__to_status=status))


def _due(project, *, key, subject, template, context=None):
    return ReminderDue(
        user=project.application.group.representative,
        dedup_key=key,
        subject=subject,
        subject_params={"title": str(project)},
        template=template,
        context={"project": project, **(context or {})},
        related=project,
    )


def collect_agreement_not_signed(now):
    """Projects waiting for the group's agreement longer than the round's days. Two queries."""
    rules = _rules_by_round()
    projects = _projects(workflow.AGREEMENT).filter(agreement__isnull=True).annotate(since=_since(workflow.AGREEMENT))
    for project in projects:
        days = (
            rules[project.application.round_id].agreement_reminder_days if project.application.round_id in rules else 7
        )
        if project.since is None or project.since > now - days * DAY:
            continue
        yield _due(
            project,
            key=f"project-agreement:D+{days}:project:{project.pk}",
            subject=_("Please sign the agreement for your project: %(title)s"),
            template="projects/email/agreement_not_signed",
            context={"days": days},
        )


def collect_disbursement_not_requested(now):
    """Projects under way with no instalment requested after the round's days. Two queries."""
    rules = _rules_by_round()
    projects = (
        _projects(workflow.ACTIVE)
        .annotate(since=_since(workflow.ACTIVE), requests=Count("disbursements"))
        .filter(requests=0)
    )
    for project in projects:
        round_rules = rules.get(project.application.round_id)
        days = round_rules.disbursement_reminder_days if round_rules else 14
        if project.since is None or project.since > now - days * DAY:
            continue
        yield _due(
            project,
            key=f"project-disbursement:D+{days}:project:{project.pk}",
            subject=_("You have not requested the subsidy yet: %(title)s"),
            template="projects/email/disbursement_not_requested",
            context={"days": days},
        )


def collect_settlement_due(now):
    """The settlement is due within a week (once), or overdue (once). Two queries."""
    today = local(now).date()
    rules = {r.round_id: r for r in ProjectRules.objects.filter(period_end__isnull=False)}
    if not rules:
        return
    projects = _projects(*workflow.LEDGER_OPEN).filter(application__round_id__in=list(rules))
    for project in projects:
        due = rules[project.application.round_id].settlement_due_on
        if today > due:
            occasion, subject = "overdue", _("Your settlement is overdue: %(title)s")
        elif (due - today).days <= SETTLEMENT_DUE_SOON:
            occasion, subject = "soon", _("Your settlement is due soon: %(title)s")
        else:
            continue
        yield _due(
            project,
            key=f"project-settlement-{occasion}:{due:%Y%m%d}:project:{project.pk}",
            subject=subject,
            template="projects/email/settlement_due",
            context={"due": due, "overdue": occasion == "overdue"},
        )


def collect_evidence_missing(now):
    """Expenses recorded over three days ago still without evidence: one email per newest such
    expense (a new one missing evidence is a new occasion). Two queries."""
    projects = (
        _projects(*workflow.LEDGER_OPEN)
        .annotate(
            missing=Count("expenses", filter=Q(expenses__evidence="", expenses__created_at__lte=now - EVIDENCE_GRACE)),
            newest=Max("expenses__id", filter=Q(expenses__evidence="", expenses__created_at__lte=now - EVIDENCE_GRACE)),
        )
        .filter(missing__gt=0)
    )
    for project in projects:
        yield _due(
            project,
            key=f"project-evidence:project:{project.pk}:expense:{project.newest}",
            subject=_("Some expenses have no receipt yet: %(title)s"),
            template="projects/email/evidence_missing",
            context={"missing": project.missing},
        )


def collect_corrections_requested(now):
    """Staff asked for settlement corrections: one email per request. One query."""
    projects = _projects(workflow.CORRECTIONS).annotate(
        request_id=Max("status_changes__id", filter=Q(status_changes__to_status=workflow.CORRECTIONS))
    )
    for project in projects:
        note = project.status_changes.filter(pk=project.request_id).values_list("note", flat=True).first()
        yield _due(
            project,
            key=f"project-corrections:project:{project.pk}:change:{project.request_id}",
            subject=_("The district asks about your settlement: %(title)s"),
            template="projects/email/corrections_requested",
            context={"note": note or ""},
        )


KINDS = [
    ReminderKind(
        name="project_agreement",
        label=_("Reminders to sign the project agreement"),
        essential=True,
        collect=collect_agreement_not_signed,
    ),
    ReminderKind(
        name="project_disbursement",
        label=_("Reminders to request the subsidy"),
        essential=False,
        collect=collect_disbursement_not_requested,
    ),
    ReminderKind(
        name="project_settlement_due",
        label=_("Settlement deadline reminders"),
        essential=True,
        collect=collect_settlement_due,
    ),
    ReminderKind(
        name="project_evidence_missing",
        label=_("Reminders about expenses without a receipt"),
        essential=False,
        collect=collect_evidence_missing,
    ),
    ReminderKind(
        name="project_corrections",
        label=_("Settlement corrections the district asked for"),
        essential=True,
        collect=collect_corrections_requested,
    ),
]


def register_all() -> None:
    for kind in KINDS:
        register(kind)
