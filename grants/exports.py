"""The filtered application list with its budget lines as Excel or CSV, Korean headers,
amounts as numbers, every cell through ``portal.spreadsheets`` (no live formulas). The admin
builds small exports in the request and hands large ones to ``grants.tasks.build_export``; both
go through ``build``."""

import io

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grants.models import Application, BudgetLine
from portal.params import check_query_params, search_terms
from portal.spreadsheets import csv_writer, xlsx_row

# The admin changelist's filter parameters that an export understands, and the lookups they mean.
FILTER_LOOKUPS = {
    "round__id__exact": "round_id",
    "field__id__exact": "field_id",
    "group__dong__id__exact": "group__dong_id",
    "group__dong__region__id__exact": "group__dong__region_id",
    "status__exact": "status",
    "group__kind__exact": "group__kind",
}
SEARCH_PARAM = "q"
EXPORT_LANGUAGE = "ko"


def filters_from_params(params) -> dict:
    """Keep only the changelist parameters an export understands.

    Raises ``portal.params.BadParameters`` (the view answers 400) for an id that is not a
    number, a control character or too long a search."""
    check_query_params(params)
    return {key: params[key] for key in [*FILTER_LOOKUPS, SEARCH_PARAM] if params.get(key)}


def filtered_applications(filters: dict) -> QuerySet:
    """The applications an admin changelist with these ``filters`` shows, in its order."""
    queryset = Application.objects.select_related("group", "group__dong", "group__representative", "round", "field")
    lookups = {FILTER_LOOKUPS[key]: value for key, value in filters.items() if key in FILTER_LOOKUPS}
    queryset = queryset.filter(**lookups)
    for term in search_terms(filters.get(SEARCH_PARAM) or ""):
        queryset = queryset.filter(
            Q(title__icontains=term) | Q(group__name__icontains=term) | Q(group__representative__name__icontains=term)
        )
    return queryset.order_by("-submitted_at", "-id")


def _application_headers():
    return [
        _("Application ID"),
        _("Round"),
        _("Group"),
        _("Group kind"),
        _("Dong"),
        _("Field"),
        _("Project title"),
        _("Representative"),
        _("Status"),
        _("Requested (KRW)"),
        _("Awarded (KRW)"),
        _("Submitted at"),
    ]


def _line_headers():
    return [_("Application ID"), _("Group"), _("Category"), _("Item"), _("Funding source"), _("Amount (KRW)")]


def _application_row(application):
    submitted = timezone.localtime(application.submitted_at).replace(tzinfo=None) if application.submitted_at else None
    return [
        application.pk,
        str(application.round),
        application.group.name,
        application.group.get_kind_display(),
        application.group.dong.name,
        application.field.name if application.field else "",
        application.title,
        application.group.representative.name,
        application.get_status_display(),
        application.requested_amount,
        application.awarded_amount,
        submitted,
    ]


def _line_row(application, line):
    return [
        application.pk,
        application.group.name,
        line.get_category_display(),
        line.item,
        line.get_source_display(),
        line.amount,
    ]


def _iterate(filters: dict):
    lines = Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("order", "id"))
    return filtered_applications(filters).prefetch_related(lines).iterator(chunk_size=2000)


def filename(export_format: str) -> str:
    return f"applications-{timezone.localtime():%Y%m%d-%H%M}.{export_format}"


def build(*, filters: dict, export_format: str) -> tuple[bytes, int]:
    """Return the file's bytes and the number of applications in it."""
    with translation.override(EXPORT_LANGUAGE):
        return _build_xlsx(filters) if export_format == "xlsx" else _build_csv(filters)


def _build_xlsx(filters: dict) -> tuple[bytes, int]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    applications_sheet = workbook.create_sheet(_("Applications"))
    lines_sheet = workbook.create_sheet(_("Budget lines"))
    applications_sheet.append(xlsx_row(applications_sheet, _application_headers()))
    lines_sheet.append(xlsx_row(lines_sheet, _line_headers()))
    count = requested = awarded = line_total = 0
    for application in _iterate(filters):
        count += 1
        requested += application.requested_amount
        awarded += application.awarded_amount or 0
        applications_sheet.append(xlsx_row(applications_sheet, _application_row(application)))
        for line in application.budget_lines.all():
            line_total += line.amount
            lines_sheet.append(xlsx_row(lines_sheet, _line_row(application, line)))
    applications_sheet.append(
        xlsx_row(
            applications_sheet, [_("Total"), None, None, None, None, None, None, None, None, requested, awarded, None]
        )
    )
    lines_sheet.append(xlsx_row(lines_sheet, [_("Total"), None, None, None, None, line_total]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def _build_csv(filters: dict) -> tuple[bytes, int]:
    """One row per budget line, with its application's columns (an application without
    lines gets one row). UTF-8 with a BOM so Excel reads the Korean."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(_application_headers() + _line_headers()[2:])
    count = 0
    for application in _iterate(filters):
        count += 1
        row = _application_row(application)
        lines = list(application.budget_lines.all())
        if not lines:
            writer.writerow(row + ["", "", "", ""])
        for line in lines:
            writer.writerow(row + _line_row(application, line)[2:])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count
