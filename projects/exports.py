"""Spreadsheets for staff: one project's settlement sheet and a round's summary, as xlsx or
CSV. Korean headers, amounts as numbers with a thousands format, every cell through
``portal.spreadsheets`` (no live formulas), totals computed from the same rows."""

import io

from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from grants.models import GrantRound
from portal.spreadsheets import csv_writer, xlsx_row
from projects import workflow
from projects.models import Expense, Project

EXPORT_LANGUAGE = "ko"
THOUSANDS = "#,##0"


def _xlsx(sheets: list[tuple[str, list[list]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            cells = xlsx_row(sheet, row)
            for cell in cells:
                if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                    cell.number_format = THOUSANDS
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM so Excel reads the Korean


# --- one project's settlement sheet


def settlement_rows(project: Project) -> list[list]:
    """Every expense (date, category and its subsidy-system code, source, payee, purpose,
    amount, method, evidence, review), then the settlement's totals."""
    expenses = list(project.expenses.select_related("category").order_by("spent_on", "id"))
    settlement = getattr(project, "settlement", None)
    rows = [
        [
            _("date"),
            _("Category"),
            _("subsidy system expense item code"),
            _("funding source"),
            _("paid to"),
            _("what for"),
            _("Amount (KRW)"),
            _("payment method"),
            _("evidence"),
            _("evidence file"),
            _("review"),
            _("reason"),
        ]
    ]
    for e in expenses:
        rows.append(
            [
                e.spent_on,
                e.category.name,
                e.category.subsidy_code,
                e.get_source_display(),
                e.payee,
                e.purpose,
                e.amount,
                e.get_method_display(),
                e.get_evidence_kind_display(),
                _("yes") if e.evidence else _("no"),
                e.get_review_display(),
                e.review_reason,
            ]
        )
    subsidy = sum(e.amount for e in expenses if e.source == Expense.Source.SUBSIDY)
    own = sum(e.amount for e in expenses if e.source == Expense.Source.SELF)
    disallowed = sum(
        e.amount for e in expenses if e.source == Expense.Source.SUBSIDY and e.review == Expense.Review.DISALLOWED
    )
    rows += [
        [],
        [_("Award"), project.award],
        [_("Paid to the group"), project.disbursed_total],
        [_("Subsidy spent"), subsidy],
        [_("Self-contribution spent"), own],
        [_("Disallowed subsidy spending"), disallowed],
        [_("Interest"), settlement.interest if settlement else 0],
        [_("Subsidy to return"), settlement.return_amount if settlement else None],
        [_("Returned"), settlement.returned_amount if settlement else None],
    ]
    return rows


def settlement_sheet(*, project: Project, export_format: str) -> bytes:
    with translation.override(EXPORT_LANGUAGE):
        rows = settlement_rows(project)
        if export_format == "csv":
            return _csv(rows)
        return _xlsx([(_("Settlement"), rows)])


# --- a round's summary


def round_projects(round_: GrantRound):
    """The round's projects with their disallowed subsidy spending (one query)."""
    return (
        Project.objects.filter(application__round=round_)
        .select_related("application__group", "application__field", "settlement")
        .annotate(
            disallowed=Sum(
                "expenses__amount",
                filter=Q(expenses__source=Expense.Source.SUBSIDY, expenses__review=Expense.Review.DISALLOWED),
                default=0,
            )
        )
        .order_by("application__field__order", "application__group__name", "id")
    )


SUMMARY_AMOUNTS = ["award", "disbursed", "subsidy_spent", "self_spent", "disallowed", "to_return", "returned"]


def summary_rows(round_: GrantRound) -> list[list]:
    rows = [
        [
            _("group"),
            _("Field"),
            _("status"),
            _("award (KRW)"),
            _("disbursed (KRW)"),
            _("subsidy spent (KRW)"),
            _("self-contribution spent (KRW)"),
            _("Disallowed subsidy spending"),
            _("to return (KRW)"),
            _("returned (KRW)"),
        ]
    ]
    totals = dict.fromkeys(SUMMARY_AMOUNTS, 0)
    for project in round_projects(round_):
        settlement = getattr(project, "settlement", None)
        to_return = settlement.return_amount if settlement and settlement.return_amount is not None else 0
        if project.status == workflow.CANCELLED:
            to_return = project.recovery_due
        values = {
            "award": project.award,
            "disbursed": project.disbursed_total,
            "subsidy_spent": project.subsidy_spent,
            "self_spent": project.self_spent,
            "disallowed": project.disallowed,
            "to_return": to_return,
            "returned": (settlement.returned_amount or 0) if settlement else 0,
        }
        for key, value in values.items():
            totals[key] += value
        application = project.application
        rows.append(
            [
                application.group.name,
                application.field.name if application.field else "",
                str(workflow.PHASES[project.status].staff_label),
                *(values[key] for key in SUMMARY_AMOUNTS),
            ]
        )
    rows.append([_("Total"), "", "", *(totals[key] for key in SUMMARY_AMOUNTS)])
    return rows


def round_summary(*, round_: GrantRound, export_format: str) -> bytes:
    with translation.override(EXPORT_LANGUAGE):
        rows = summary_rows(round_)
        if export_format == "csv":
            return _csv(rows)
        return _xlsx([(_("Round summary"), rows)])


def filename(stem: str, export_format: str) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.{export_format}"
