"""Official documents as PDF (WeasyPrint, Debian's Pango and the Noto CJK fonts): the
selection notice (선정 통지서), the non-selection notice with its reason, an application's
full content and the submission receipt, laid out as a district's official letter (district,
document number, date, seal). Always in Korean, whoever prints them.

Which letters exist for an application is ``available_kinds``; the decision notices only
once ``Application.decision_visible_to_resident`` says the decision is released.
"""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from grants import workflow
from grants.models import Application, BudgetLine
from networks.models import GroupMember

SELECTION = "selection"
NON_SELECTION = "non_selection"
APPLICATION = "application"
RECEIPT = "receipt"
KINDS = {
    SELECTION: _("Selection notice"),
    NON_SELECTION: _("Non-selection notice"),
    APPLICATION: _("Application (full content)"),
    RECEIPT: _("Submission receipt"),
}
# The short code of each kind in the document number.
CODES = {SELECTION: "선정", NON_SELECTION: "미선정", APPLICATION: "신청", RECEIPT: "접수"}
LETTER_LANGUAGE = "ko"


def available_kinds(application: Application, *, staff: bool) -> list[str]:
    """The letters that may be printed for ``application`` now. Staff may print a decision
    notice before the results are published (to prepare the post); residents may not."""
    kinds = [APPLICATION]
    if application.submitted_at is not None:
        kinds.append(RECEIPT)
    released = staff or application.decision_visible_to_resident
    if released and application.status == workflow.APPROVED:
        kinds.append(SELECTION)
    if released and application.status == workflow.REJECTED:
        kinds.append(NON_SELECTION)
    return kinds


def document_number(application: Application, kind: str) -> str:
    """The letter's number: round year, kind and application, stable across reprints."""
    return f"{application.round.district.name}-{application.round.year}-{CODES[kind]}-{application.pk:05d}"


def _dated(application: Application, kind: str):
    moment = {RECEIPT: application.submitted_at, SELECTION: application.decided_at}.get(kind)
    if kind == NON_SELECTION:
        moment = application.decided_at
    return timezone.localtime(moment or timezone.now())


def letters_queryset():
    return Application.objects.select_related(
        "group", "group__dong", "group__representative", "round", "round__district", "field"
    ).prefetch_related(
        Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("order", "id")),
        Prefetch("group__members", queryset=GroupMember.objects.order_by("order", "id")),
    )


def _context(application: Application, kind: str) -> dict:
    lines = list(application.budget_lines.all())
    subsidy = sum(line.amount for line in lines if line.source == BudgetLine.Source.SUBSIDY)
    own = sum(line.amount for line in lines if line.source == BudgetLine.Source.SELF)
    return {
        "kind": kind,
        "title": KINDS[kind],
        "application": application,
        "district": application.round.district,
        "number": document_number(application, kind),
        "date": _dated(application, kind),
        "budget_lines": lines,
        "subsidy_total": subsidy,
        "self_total": own,
        "project_total": subsidy + own,
        "members": list(application.group.members.all()),
    }


def render_pdf(documents: list[tuple[Application, str]]) -> bytes:
    """One PDF with every ``(application, kind)`` letter, each starting on a new page."""
    from weasyprint import HTML

    with translation.override(LETTER_LANGUAGE):
        html = render_to_string("grants/letters/letters.html", {"letters": [_context(a, k) for a, k in documents]})
    return HTML(string=html).write_pdf()


def filename(application: Application, kind: str) -> str:
    return f"{kind}-{application.round.year}-{application.pk}.pdf"
