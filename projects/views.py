"""The group representative's pages for a funded project (everyone else gets 404).

Home with status and next step, the plan (adjustment to the award and later changes), the
agreement, instalment requests, the spending ledger and the settlement. Views stay thin:
every write goes through ``projects.services``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.errors import summarise_errors
from accounts.models import AccessLog
from accounts.services import access_record
from projects import reports as project_reports
from projects import rules, selectors, services, workflow
from projects.forms import (
    AgreementForm,
    DisbursementRequestForm,
    ExpenseAnswerForm,
    ExpenseForm,
    PlanFormSet,
    PlanReasonForm,
    ReportForm,
    SettlementForm,
)
from projects.models import BudgetCategory, Disbursement, Expense, PlanVersion, Project, ProjectReport


def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _categories(project):
    return BudgetCategory.objects.filter(round_id=project.application.round_id).order_by("order", "id")


@login_required
@require_GET
def my_projects(request):
    projects = list(selectors.projects_for_representative(request.user))
    return render(request, "projects/my_projects.html", {"projects": projects})


@login_required
@require_GET
def project_home(request, pk):
    project = selectors.project_for_representative(request.user, pk)
    phase = workflow.PHASES[project.status]
    settlement = getattr(project, "settlement", None) if project.status != workflow.PLANNING else None
    context = {
        "project": project,
        "phase": phase,
        "changes": list(project.status_changes.select_related("by").order_by("at", "id")),
        "disbursements": list(project.disbursements.order_by("number")),
        "totals": selectors.ledger_totals(project),
        "missing_evidence": selectors.missing_evidence_count(project),
        "settlement": settlement,
        "award_changes": list(project.award_changes.order_by("at")),
        "rules": rules.rules_for(project.application.round),
    }
    return render(request, "projects/project_home.html", context)


# --- the plan


def _initial_lines(project):
    version = selectors.plan_in_force(project) or project.plan_versions.order_by("-number").first()
    if version is None:
        return []
    return [
        {"category": line.category_id, "item": line.item, "amount": line.amount, "source": line.source}
        for line in version.lines.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, pk):
    project = selectors.project_for_representative(request.user, pk)
    categories = _categories(project)
    editable = project.status in (workflow.PLANNING, workflow.AGREEMENT, *workflow.LEDGER_OPEN)
    waiting = project.plan_versions.filter(status=PlanVersion.Status.SUBMITTED).exists()
    if request.method == "POST" and editable and not waiting:
        formset = PlanFormSet(request.POST, prefix="lines", categories=categories)
        reason_form = PlanReasonForm(request.POST)
        if formset.is_valid() and reason_form.is_valid():
            try:
                version = services.plan_submit(
                    project=project, lines=formset.lines(), by=request.user, reason=reason_form.cleaned_data["reason"]
                )
            except ValidationError as error:
                for message in error.messages:
                    formset._non_form_errors.append(message)
            else:
                if version.status == PlanVersion.Status.SUBMITTED:
                    messages.success(request, _("The plan was sent to the district for confirmation."))
                else:
                    messages.success(request, _("The plan change was recorded."))
                return redirect("projects:home", pk=project.pk)
    else:
        formset = PlanFormSet(initial=_initial_lines(project), prefix="lines", categories=categories)
        reason_form = PlanReasonForm()
    context = {
        "project": project,
        "formset": formset,
        "reason_form": reason_form,
        "editable": editable and not waiting,
        "waiting": waiting,
        "versions": list(project.plan_versions.order_by("-number").prefetch_related("lines__category")),
        "round": project.application.round,
        "threshold": rules.rules_for(project.application.round).plan_change_threshold_percent,
        "error_summary": summarise_errors(formset, reason_form) if request.method == "POST" else [],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/plan.html", context, status=status)


# --- the agreement


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request, pk):
    project = selectors.project_for_representative(request.user, pk)
    conditions = services.current_conditions(project.application.round)
    existing = getattr(project, "agreement", None)
    can_sign = project.status == workflow.AGREEMENT and conditions is not None
    form = None
    if can_sign:
        if request.method == "POST":
            form = AgreementForm(request.POST)
            if form.is_valid():
                if form.cleaned_data["conditions_version"] != conditions.version:
                    form.add_error(
                        None, _("The grant conditions were updated while you were reading. Please read them again.")
                    )
                else:
                    try:
                        services.agreement_accept(
                            project=project,
                            conditions=conditions,
                            self_contribution_confirmed=form.cleaned_data["self_contribution_confirmed"],
                            bank_name=form.cleaned_data["bank_name"],
                            account_holder=form.cleaned_data["account_holder"],
                            account_number=form.cleaned_data["account_number"],
                            by=request.user,
                        )
                    except ValidationError as error:
                        _add_errors(form, error)
                    else:
                        messages.success(request, _("Thank you. The district will countersign the agreement."))
                        return redirect("projects:home", pk=project.pk)
        else:
            initial = {"conditions_version": conditions.version}
            if existing is not None:
                # The account number is not shown again, even to the group: it is typed anew.
                initial |= {"bank_name": existing.bank_name, "account_holder": existing.account_holder}
            form = AgreementForm(initial=initial)
    context = {
        "project": project,
        "conditions": existing.conditions if existing and not can_sign else conditions,
        "agreement": existing,
        "masked_number": services.masked_account_number(existing.account_number) if existing else "",
        "form": form,
        "error_summary": summarise_errors(form) if form is not None and form.is_bound else [],
    }
    return render(
        request, "projects/agreement.html", context, status=400 if form is not None and form.is_bound else 200
    )


# --- disbursements


@login_required
@require_http_methods(["GET", "POST"])
def disbursements(request, pk):
    project = selectors.project_for_representative(request.user, pk)
    can_request = project.status in workflow.LEDGER_OPEN and project.undisbursed > 0
    form = None
    if can_request:
        form = DisbursementRequestForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.disbursement_request(project=project, amount=form.cleaned_data["amount"], by=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your request was sent to the district."))
                return redirect("projects:disbursements", pk=project.pk)
    context = {
        "project": project,
        "disbursements": list(project.disbursements.order_by("number")),
        "form": form,
        "rules": rules.rules_for(project.application.round),
        "requested": sum(d.amount for d in project.disbursements.all() if d.status == Disbursement.Status.REQUESTED),
        "error_summary": summarise_errors(form) if form is not None and form.is_bound else [],
    }
    return render(
        request, "projects/disbursements.html", context, status=400 if form is not None and form.is_bound else 200
    )


# --- the ledger


def _rules_data(project, categories):
    project_rules = rules.rules_for(project.application.round)
    return {
        "rules": project_rules,
        "category_flags": [
            {
                "id": c.pk,
                "subsidy": c.subsidy_allowed,
                "instructor": c.is_instructor_fee,
                "meal": c.is_meal,
                "name": c.name,
            }
            for c in categories
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def ledger(request, pk):
    project = selectors.project_for_representative(request.user, pk)
    categories = _categories(project)
    open_ = project.status in workflow.LEDGER_OPEN
    form = None
    if open_:
        if request.method == "POST":
            form = ExpenseForm(request.POST, request.FILES, categories=categories)
            if form.is_valid():
                try:
                    services.expense_record(
                        project=project,
                        by=request.user,
                        evidence=form.cleaned_data.get("evidence_file"),
                        **form.values(),
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(request, _("The expense was recorded."))
                    return redirect("projects:ledger", pk=project.pk)
        else:
            form = ExpenseForm(
                categories=categories, initial={"spent_on": timezone.localdate(), "source": "subsidy", "method": "card"}
            )
    project.refresh_from_db()
    totals = selectors.ledger_totals(project)
    context = {
        "project": project,
        "form": form,
        "totals": totals,
        "sum": {
            "plan_subsidy": sum(t.plan_subsidy for t in totals),
            "plan_self": sum(t.plan_self for t in totals),
            "spent_subsidy": project.subsidy_spent,
            "spent_self": project.self_spent,
        },
        "expenses": list(project.expenses.select_related("category").order_by("-spent_on", "-id")),
        "error_summary": summarise_errors(form) if form is not None and form.is_bound else [],
        **_rules_data(project, categories),
    }
    return render(request, "projects/ledger.html", context, status=400 if form is not None and form.is_bound else 200)


def _expense_for(project, expense_pk) -> Expense:
    return get_object_or_404(Expense.objects.select_related("category"), pk=expense_pk, project=project)


@login_required
@require_http_methods(["GET", "POST"])
def expense_edit(request, pk, expense_pk):
    project = selectors.project_for_representative(request.user, pk)
    expense = _expense_for(project, expense_pk)
    categories = _categories(project)
    open_ = project.status in workflow.LEDGER_OPEN
    if request.method == "POST" and open_:
        form = ExpenseForm(request.POST, request.FILES, instance=expense, categories=categories)
        answer = ExpenseAnswerForm(request.POST)
        if form.is_valid() and answer.is_valid():
            try:
                services.expense_update(
                    expense=expense,
                    by=request.user,
                    evidence=form.cleaned_data.get("evidence_file"),
                    answer=answer.cleaned_data["answer"],
                    **form.values(),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The expense was updated."))
                return redirect("projects:ledger", pk=project.pk)
        status = 400
    else:
        expense = _expense_for(project, expense_pk)
        form = ExpenseForm(instance=expense, categories=categories)
        answer = ExpenseAnswerForm(initial={"answer": expense.group_answer})
        status = 200
    context = {
        "project": project,
        "expense": expense,
        "form": form,
        "answer_form": answer,
        "editable": open_,
        "error_summary": summarise_errors(form, answer) if status == 400 else [],
        **_rules_data(project, categories),
    }
    return render(request, "projects/expense_edit.html", context, status=status)


@login_required
@require_POST
def expense_delete(request, pk, expense_pk):
    project = selectors.project_for_representative(request.user, pk)
    expense = _expense_for(project, expense_pk)
    try:
        services.expense_delete(expense=expense, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The expense was deleted."))
    return redirect("projects:ledger", pk=project.pk)


@login_required
@require_GET
def evidence(request, pk, expense_pk):
    """The evidence file, for the group's representative and for staff who may view expenses
    (404 otherwise: a staff account without the permission, or a reviewer, is refused as the
    documents' rule refuses them, see grants.access)."""
    staff_reader = request.user.is_staff and request.user.has_perm("projects.view_expense")
    if staff_reader:
        project = get_object_or_404(Project.objects.select_related("application"), pk=pk)
    else:
        project = selectors.project_for_representative(request.user, pk)
    expense = _expense_for(project, expense_pk)
    if not expense.evidence:
        raise Http404
    try:
        handle = expense.evidence.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    if staff_reader:
        access_record(
            user=request.user,
            action=AccessLog.Action.DOWNLOAD,
            subject=expense,
            person=project.application.group.representative_id,
            detail="evidence",
        )
    return FileResponse(handle, filename=expense.evidence_name, content_type=expense.evidence_content_type)


# --- settlement


@login_required
@require_http_methods(["GET", "POST"])
def settlement(request, pk):
    project = selectors.project_for_representative(request.user, pk)
    can_submit = project.status in workflow.LEDGER_OPEN
    existing = getattr(project, "settlement", None)
    form = None
    if can_submit:
        if request.method == "POST":
            form = SettlementForm(request.POST)
            if form.is_valid():
                try:
                    services.settlement_submit(
                        project=project,
                        interest=form.cleaned_data["interest"],
                        note=form.cleaned_data["note"],
                        by=request.user,
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(request, _("Your settlement was submitted to the district."))
                    return redirect("projects:home", pk=project.pk)
        else:
            form = SettlementForm(initial={"interest": existing.interest if existing else 0})
    expenses = list(project.expenses.select_related("category").order_by("spent_on", "id"))
    context = {
        "project": project,
        "form": form,
        "settlement": existing,
        "expenses": expenses,
        "disallowed": [e for e in expenses if e.review == Expense.Review.DISALLOWED],
        "missing_evidence": [e for e in expenses if not e.evidence],
        "unspent": project.disbursed_total - project.subsidy_spent,
        "error_summary": summarise_errors(form) if form is not None and form.is_bound else [],
    }
    return render(
        request, "projects/settlement.html", context, status=400 if form is not None and form.is_bound else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk, kind):
    """The representative writes, saves and submits the interim or final report (others: 404)."""
    project = selectors.project_for_representative(request.user, pk)
    if kind not in ProjectReport.Kind.values:
        raise Http404
    existing = project.reports.filter(kind=kind).first()
    editable = existing is None or existing.status in project_reports.EDITABLE
    form = ReportForm(instance=existing)
    if request.method == "POST" and editable:
        form = ReportForm(request.POST, instance=existing or ProjectReport(project=project, kind=kind))
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                with transaction.atomic():
                    saved = project_reports.report_save(
                        project=project, kind=kind, by=request.user, **form.cleaned_data
                    )
                    if submit:
                        project_reports.report_submit(report=saved, by=request.user)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        for message in errors:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    _add_errors(form, error)
                if submit:  # the draft is kept even when submitting failed
                    project_reports.report_save(project=project, kind=kind, by=request.user, **form.cleaned_data)
            else:
                if submit:
                    messages.success(request, _("Your report was submitted to the district."))
                else:
                    messages.success(request, _("Your report was saved. You can finish it later."))
                return redirect("projects:report", pk=project.pk, kind=kind)
    due_on = rules.rules_for(project.application.round).report_due_on(kind)
    bound = request.method == "POST" and editable
    context = {
        "project": project,
        "form": form if editable else None,
        "report": project.reports.filter(kind=kind).first(),  # a failed submit still saved the draft
        "kind_label": ProjectReport.Kind(kind).label,
        "due_on": due_on,
        "error_summary": summarise_errors(form) if bound else [],
    }
    return render(request, "projects/report.html", context, status=400 if bound else 200)
