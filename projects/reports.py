"""Interim and final reports: what a funded project did. Writes only through these services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Project, ProjectReport, ProjectReportEvent

FIELDS = ("done_against_plan", "activities_held", "residents_taking_part", "would_change")
EDITABLE = (ProjectReport.Status.DRAFT, ProjectReport.Status.RETURNED)


class ReportNotAllowed(ValidationError):
    pass


def _check_representative(project: Project, by) -> None:
    if project.application.group.representative_id != by.pk:
        raise PermissionDenied(_("Only the group's representative writes its reports."))


def _locked(report: ProjectReport) -> ProjectReport:
    return (
        ProjectReport.objects.select_for_update(of=("self",))
        .select_related("project__application__group")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_save(*, project: Project, kind: str, by, **values) -> ProjectReport:
    """Create or update the draft of ``kind`` for ``project`` (the representative only)."""
    _check_representative(project, by)
    report, _created = ProjectReport.objects.select_for_update().get_or_create(project=project, kind=kind)
    if report.status not in EDITABLE:
        raise ReportNotAllowed(_("This report has been submitted and can no longer be changed."), code="not_editable")
    for name in FIELDS:
        if name in values:
            setattr(report, name, values[name])
    report.save()
    ProjectReportEvent.objects.create(report=report, action=ProjectReportEvent.Action.SAVED, by=by)
    return report


@transaction.atomic
def report_submit(*, report: ProjectReport, by) -> ProjectReport:
    report = _locked(report)
    _check_representative(report.project, by)
    if report.status not in EDITABLE:
        raise ReportNotAllowed(_("This report has already been submitted."), code="not_editable")
    missing = [n for n in FIELDS if report.__dict__[n] in ("", None)]
    if missing:
        raise ReportNotAllowed({n: _("Please fill this in before submitting.") for n in missing}, code="incomplete")
    report.status = ProjectReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.save()
    ProjectReportEvent.objects.create(report=report, action=ProjectReportEvent.Action.SUBMITTED, by=by)
    return report


def _review(report: ProjectReport, *, status: str, action: str, by, note: str) -> ProjectReport:
    report = _locked(report)
    if report.status != ProjectReport.Status.SUBMITTED:
        raise ReportNotAllowed(_("Only a submitted report can be accepted or returned."), code="not_submitted")
    report.status = status
    report.reviewed_at = timezone.now()
    report.reviewed_by = by
    if note:
        report.staff_note = note
    report.save()
    ProjectReportEvent.objects.create(report=report, action=action, by=by, note=note)
    return report


@transaction.atomic
def report_accept(*, report: ProjectReport, by, note: str = "") -> ProjectReport:
    return _review(
        report, status=ProjectReport.Status.ACCEPTED, action=ProjectReportEvent.Action.ACCEPTED, by=by, note=note
    )


@transaction.atomic
def report_return(*, report: ProjectReport, note: str, by) -> ProjectReport:
    if not note.strip():
        raise ReportNotAllowed({"staff_note": _("Say what the group should change.")}, code="note_required")
    return _review(
        report, status=ProjectReport.Status.RETURNED, action=ProjectReportEvent.Action.RETURNED, by=by, note=note
    )
