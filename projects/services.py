"""Writes to funded projects. Every status change goes through ``transition``.

Sections: opening and the workflow core; the plan; the agreement; disbursements; the
ledger; settlement; award changes. Services take keyword-only arguments and never a request.

Locking order (the same as ``grants.services.application_approve``, so no deadlocks):
application row → project row → round row → field envelope row.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessLog
from accounts.services import access_record
from grants.models import Application, BudgetLine, FieldEnvelope, GrantRound
from grants.uploads import check_upload
from projects import money, rules, workflow
from projects.models import (
    Agreement,
    AwardChange,
    BudgetCategory,
    Disbursement,
    Expense,
    GrantConditions,
    PlanLine,
    PlanVersion,
    Project,
    ProjectStatusChange,
    Settlement,
)
from projects.selectors import plan_in_force


class TransitionNotAllowed(ValidationError):
    pass


class NotAllowedNow(ValidationError):
    pass


class OverAward(ValidationError):
    pass


class OverDisbursed(ValidationError):
    pass


def _lock(project: Project) -> Project:
    """The project's row, locked. A plain primary-key lookup (no join), so the plan stays an
    index scan even on freshly bulk-loaded tables; the application and round load by key."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    locked.application = Application.objects.select_related("round").get(pk=locked.application_id)
    return locked


@transaction.atomic
def transition(*, project: Project, to_status: str, by, note: str = "", actor: str | None = None) -> Project:
    """Move ``project`` to ``to_status`` if the workflow allows it, with an audit row.

    Locks the row and re-reads its status; records who, when, from, to and why.
    """
    locked = _lock(project)
    from_status = locked.status
    if not workflow.is_allowed(from_status, to_status, actor):
        raise TransitionNotAllowed(
            _("A project that is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": workflow.PHASES[from_status].staff_label, "to": workflow.PHASES[to_status].staff_label},
            code="transition_not_allowed",
        )
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    ProjectStatusChange.objects.create(project=locked, from_status=from_status, to_status=to_status, by=by, note=note)
    project.status = to_status
    return locked


# --- opening


def categories_for(round_: GrantRound) -> dict[str, BudgetCategory]:
    """The round's budget categories by key, created from the application form's categories
    the first time a round needs them (staff edit names and codes afterwards)."""
    existing = {c.key: c for c in BudgetCategory.objects.filter(round=round_)}
    if not existing:
        for order, (key, label) in enumerate(BudgetLine.Category.choices):
            existing[key] = BudgetCategory.objects.get_or_create(
                round=round_,
                key=key,
                defaults={
                    "name": str(label),
                    "order": order,
                    "is_instructor_fee": key == BudgetLine.Category.INSTRUCTOR,
                },
            )[0]
    return existing


@transaction.atomic
def project_open(*, application: Application, by=None) -> Project:
    """Open the project of an approved application; a second call returns the same project.

    Version 1 of the plan copies the application's budget lines. When the award equals the
    subsidy asked for, that plan is in force and the project goes straight to the agreement;
    otherwise the group first adjusts the plan to the award.
    """
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    existing = Project.objects.filter(application=locked).first()
    if existing is not None:
        return existing
    if locked.awarded_amount is None:
        raise NotAllowedNow(_("Only an approved application with an award becomes a project."), code="not_awarded")
    rules.rules_for(locked.round)
    categories = categories_for(locked.round)
    award = locked.awarded_amount
    project = Project.objects.create(application=locked, award=award, original_award=award)
    lines = list(locked.budget_lines.all())
    subsidy = sum(line.amount for line in lines if line.source == BudgetLine.Source.SUBSIDY)
    in_force = subsidy == award
    version = PlanVersion.objects.create(
        project=project,
        number=1,
        kind=PlanVersion.Kind.APPLICATION,
        status=PlanVersion.Status.CONFIRMED if in_force else PlanVersion.Status.SUPERSEDED,
        subsidy_total=subsidy,
        self_total=sum(line.amount for line in lines if line.source == BudgetLine.Source.SELF),
        created_by=by,
        decided_by=by if in_force else None,
        decided_at=timezone.now() if in_force else None,
    )
    fallback = categories.get(BudgetLine.Category.OTHER) or next(iter(categories.values()))
    PlanLine.objects.bulk_create(
        [
            PlanLine(
                version=version,
                category=categories.get(line.category, fallback),
                item=line.item,
                source=line.source,
                amount=line.amount,
                order=index,
            )
            for index, line in enumerate(lines)
        ]
    )
    project.status = workflow.AGREEMENT if in_force else workflow.PLANNING
    project.save(update_fields=["status"])
    ProjectStatusChange.objects.create(project=project, from_status="", to_status=project.status, by=by)
    return project


# --- the plan


def _subsidy_by_category(lines) -> dict[int, int]:
    totals: dict[int, int] = {}
    for line in lines:
        if line.source == PlanLine.Source.SUBSIDY:
            totals[line.category_id] = totals.get(line.category_id, 0) + line.amount
    return totals


@transaction.atomic
def plan_submit(*, project: Project, lines: list[dict], by, reason: str = "") -> PlanVersion:
    """A new plan version from ``lines`` (dicts: category, item, source, amount).

    While planning it is the adjustment to the award: its subsidy must equal the award and the
    round's self-contribution rule must hold; staff confirm it. Later it is a plan change:
    within the round's threshold it is recorded at once, beyond it it waits for staff.
    Every version is kept.
    """
    locked = _lock(project)
    round_ = locked.application.round
    if locked.status not in (workflow.PLANNING, *workflow.LEDGER_OPEN, workflow.AGREEMENT):
        raise NotAllowedNow(_("The plan can no longer be changed."), code="plan_closed")
    if locked.plan_versions.filter(status=PlanVersion.Status.SUBMITTED).exists():
        raise NotAllowedNow(_("A plan version is already waiting for staff."), code="plan_waiting")
    lines = [line for line in lines if line.get("amount")]
    if not lines:
        raise ValidationError(_("Add at least one budget line."), code="no_lines")
    subsidy = sum(line["amount"] for line in lines if line["source"] == PlanLine.Source.SUBSIDY)
    own = sum(line["amount"] for line in lines if line["source"] == PlanLine.Source.SELF)
    errors = []
    if subsidy != locked.award:
        errors.append(
            ValidationError(
                _("The subsidy lines add up to %(subsidy)s KRW; they must add up to the award, %(award)s KRW.")
                % {"subsidy": f"{subsidy:,}", "award": f"{locked.award:,}"},
                code="subsidy_not_award",
            )
        )
    problem = rules.self_contribution_error(round_=round_, subsidy=subsidy, own=own)
    if problem is not None:
        errors.append(problem)
    for line in lines:
        if line["category"].round_id != round_.pk:
            errors.append(ValidationError(_("Unknown budget category."), code="bad_category"))
    if errors:
        raise ValidationError(errors)
    planning = locked.status in (workflow.PLANNING, workflow.AGREEMENT) and plan_in_force(locked) is None
    current = plan_in_force(locked)
    if planning:
        kind, status = PlanVersion.Kind.ADJUSTMENT, PlanVersion.Status.SUBMITTED
    else:
        before = _subsidy_by_category(current.lines.all()) if current else {}
        after: dict[int, int] = {}
        for line in lines:
            if line["source"] == PlanLine.Source.SUBSIDY:
                after[line["category"].pk] = after.get(line["category"].pk, 0) + line["amount"]
        needs = rules.change_needs_approval(rules=rules.rules_for(round_), before=before, after=after)
        if needs and not reason.strip():
            raise ValidationError(
                _("This change moves more than the round allows without approval: give the reason."),
                code="reason_required",
            )
        kind = PlanVersion.Kind.CHANGE
        status = PlanVersion.Status.SUBMITTED if needs else PlanVersion.Status.RECORDED
    number = (locked.plan_versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    if status == PlanVersion.Status.RECORDED and current is not None:
        current.status = PlanVersion.Status.SUPERSEDED
        current.save(update_fields=["status"])
    version = PlanVersion.objects.create(
        project=locked,
        number=number,
        kind=kind,
        status=status,
        reason=reason.strip(),
        subsidy_total=subsidy,
        self_total=own,
        created_by=by,
    )
    PlanLine.objects.bulk_create(
        [
            PlanLine(
                version=version,
                category=line["category"],
                item=line["item"],
                source=line["source"],
                amount=line["amount"],
                order=index,
            )
            for index, line in enumerate(lines)
        ]
    )
    return version


@transaction.atomic
def plan_decide(*, version: PlanVersion, approve: bool, by, note: str = "") -> PlanVersion:
    """Staff confirm or refuse a submitted plan version. Confirming the adjustment to the award
    moves the project on to the agreement."""
    project = _lock(version.project)
    locked = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != PlanVersion.Status.SUBMITTED:
        raise NotAllowedNow(_("This plan version is not waiting for a decision."), code="plan_not_waiting")
    if not approve and not note.strip():
        raise ValidationError(_("Say why the plan is refused."), code="note_required")
    now = timezone.now()
    if approve:
        PlanVersion.objects.filter(
            project=project, status__in=[PlanVersion.Status.CONFIRMED, PlanVersion.Status.RECORDED]
        ).update(status=PlanVersion.Status.SUPERSEDED)
    locked.status = PlanVersion.Status.CONFIRMED if approve else PlanVersion.Status.REFUSED
    locked.decided_by, locked.decided_at, locked.decision_note = by, now, note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve and project.status == workflow.PLANNING:
        transition(project=project, to_status=workflow.AGREEMENT, by=by, note=note, actor=workflow.STAFF)
    version.refresh_from_db()
    return locked


# --- the agreement


@transaction.atomic
def conditions_publish(*, round_: GrantRound, text: str, by) -> GrantConditions:
    """A new version of the round's grant conditions (earlier versions stay as accepted)."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the conditions."), code="text_required")
    GrantRound.objects.select_for_update().get(pk=round_.pk)
    number = (
        GrantConditions.objects.filter(round=round_).order_by("-version").values_list("version", flat=True).first() or 0
    ) + 1
    return GrantConditions.objects.create(round=round_, version=number, text=text, created_by=by)


def current_conditions(round_: GrantRound) -> GrantConditions | None:
    return GrantConditions.objects.filter(round=round_).order_by("-version").first()


@transaction.atomic
def agreement_accept(
    *,
    project: Project,
    conditions: GrantConditions,
    self_contribution_confirmed: bool,
    bank_name: str,
    account_holder: str,
    account_number: str,
    by,
) -> Agreement:
    """The representative accepts the conditions (the version read), confirms the
    self-contribution is secured and gives the account. Accepting again before staff
    countersign replaces the acceptance (the newest conditions, a corrected account)."""
    locked = _lock(project)
    if locked.status != workflow.AGREEMENT:
        raise NotAllowedNow(_("The agreement cannot be signed now."), code="not_agreement")
    latest = current_conditions(locked.application.round)
    if latest is None or conditions.pk != latest.pk:
        raise ValidationError(
            _("The grant conditions were updated while you were reading. Please read them again."), code="stale"
        )
    errors = []
    if not self_contribution_confirmed:
        errors.append(ValidationError(_("Confirm that the self-contribution is secured."), code="self_not_confirmed"))
    digits = "".join(ch for ch in account_number if ch.isdigit())
    if not (bank_name.strip() and account_holder.strip()):
        errors.append(ValidationError(_("Give the bank and the account holder."), code="bank_missing"))
    if not 8 <= len(digits) <= 20:
        errors.append(ValidationError(_("The account number should have 8 to 20 digits."), code="account_number"))
    if errors:
        raise ValidationError(errors)
    agreement, _created = Agreement.objects.update_or_create(
        project=locked,
        defaults={
            "conditions": conditions,
            "accepted_by": by,
            "accepted_at": timezone.now(),
            "self_contribution_confirmed": True,
            "bank_name": bank_name.strip(),
            "account_holder": account_holder.strip(),
            "account_number": account_number.strip(),
        },
    )
    return agreement


@transaction.atomic
def agreement_countersign(*, project: Project, by) -> Project:
    """Staff countersign the accepted agreement; the project is under way."""
    locked = _lock(project)
    agreement = Agreement.objects.select_for_update().filter(project=locked).first()
    if agreement is None:
        raise NotAllowedNow(_("The group has not accepted the agreement yet."), code="not_accepted")
    if plan_in_force(locked) is None:
        raise NotAllowedNow(_("Confirm the plan first."), code="plan_not_confirmed")
    agreement.countersigned_by, agreement.countersigned_at = by, timezone.now()
    agreement.save(update_fields=["countersigned_by", "countersigned_at"])
    return transition(
        project=locked, to_status=workflow.ACTIVE, by=by, note=_("Agreement countersigned"), actor=workflow.STAFF
    )


def bank_account_view(*, project: Project, user) -> dict:
    """The full bank account, for staff only; every view is written to the access log."""
    if not user.is_staff:
        raise PermissionDenied
    agreement = Agreement.objects.get(project=project)
    access_record(
        user=user,
        action=AccessLog.Action.VIEW,
        subject=agreement,
        person=project.application.group.representative_id,
        detail="bank account",
    )
    return {"bank": agreement.bank_name, "holder": agreement.account_holder, "number": agreement.account_number}


def masked_account_number(number: str) -> str:
    """All but the last four digits hidden: ``●●●●●●1234``."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return "●" * max(0, len(digits) - 4) + digits[-4:]


# --- disbursements


@transaction.atomic
def disbursement_request(*, project: Project, amount: int, by) -> Disbursement:
    """The group asks for an instalment, at most what is left of the award, within the
    round's number of instalments."""
    locked = _lock(project)
    if locked.status not in workflow.LEDGER_OPEN:
        raise NotAllowedNow(_("The subsidy can be requested once the agreement is countersigned."), code="not_active")
    if amount is None or amount <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="amount_not_positive")
    if amount > locked.undisbursed:
        raise OverAward(
            _("At most %(left)s KRW of the award is left to request.") % {"left": f"{locked.undisbursed:,}"},
            code="over_award",
        )
    allowed = rules.rules_for(locked.application.round).max_instalments
    used = locked.disbursements.exclude(status=Disbursement.Status.REFUSED).count()
    if used >= allowed:
        raise NotAllowedNow(
            _("This round pays the subsidy in at most %(n)s instalment(s).") % {"n": allowed}, code="too_many"
        )
    number = (locked.disbursements.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Disbursement.objects.create(project=locked, number=number, amount=amount, requested_by=by)


@transaction.atomic
def disbursement_pay(*, disbursement: Disbursement, by, paid_on, note: str = "") -> Disbursement:
    """Staff approve a requested instalment and record the payment date.

    The project's ``disbursed_total`` grows by a conditional UPDATE that must change exactly
    one row (``disbursed_total <= award - amount``), so concurrent approvals can never pay
    more than the award; the CheckConstraint behind it is the last line of defence.
    """
    locked = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if locked.status != Disbursement.Status.REQUESTED:
        raise NotAllowedNow(_("This instalment is not waiting for payment."), code="not_requested")
    if paid_on is None:
        raise ValidationError(_("Give the payment date."), code="paid_on_required")
    project = Project.objects.get(pk=locked.project_id)
    if project.status not in workflow.LEDGER_OPEN:
        raise NotAllowedNow(_("This project cannot receive payments now."), code="not_active")
    paid = Project.objects.filter(
        pk=locked.project_id, status__in=workflow.LEDGER_OPEN, disbursed_total__lte=F("award") - locked.amount
    ).update(disbursed_total=F("disbursed_total") + locked.amount)
    if paid != 1:
        project.refresh_from_db()
        raise OverAward(
            _("Paying %(amount)s KRW would pay more than the award: %(left)s KRW are left.")
            % {"amount": f"{locked.amount:,}", "left": f"{project.undisbursed:,}"},
            code="over_award",
        )
    locked.status = Disbursement.Status.PAID
    locked.paid_on, locked.decided_by, locked.decided_at, locked.note = paid_on, by, timezone.now(), note.strip()
    locked.save(update_fields=["status", "paid_on", "decided_by", "decided_at", "note"])
    return locked


@transaction.atomic
def disbursement_refuse(*, disbursement: Disbursement, by, note: str) -> Disbursement:
    locked = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if locked.status != Disbursement.Status.REQUESTED:
        raise NotAllowedNow(_("This instalment is not waiting for payment."), code="not_requested")
    if not note.strip():
        raise ValidationError(_("Say why the request is refused."), code="note_required")
    locked.status, locked.decided_by, locked.decided_at, locked.note = (
        Disbursement.Status.REFUSED,
        by,
        timezone.now(),
        note.strip(),
    )
    locked.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return locked


# --- the ledger


def _spend(project_id: int, source: str, amount: int) -> None:
    """Add ``amount`` (negative to take it back) to the project's spending total of ``source``.
    Subsidy spending grows only while it stays within what was disbursed."""
    projects = Project.objects.filter(pk=project_id)
    if source == Expense.Source.SUBSIDY:
        if amount > 0:
            projects = projects.filter(subsidy_spent__lte=F("disbursed_total") - amount)
        changed = projects.update(subsidy_spent=F("subsidy_spent") + amount)
    else:
        changed = projects.update(self_spent=F("self_spent") + amount)
    if changed != 1:
        left = Project.objects.values_list("disbursed_total", "subsidy_spent").get(pk=project_id)
        raise OverDisbursed(
            _("Subsidy spending cannot exceed what was paid to you: %(left)s KRW of the subsidy are left to spend.")
            % {"left": f"{left[0] - left[1]:,}"},
            code="over_disbursed",
        )


def _check_expense(project: Project, values: dict) -> str:
    """Refuse on a refusing breach; return the flags for staff (one per line)."""
    breaches = rules.expense_breaches(
        rules=rules.rules_for(project.application.round),
        category=values["category"],
        source=values["source"],
        spent_on=values["spent_on"],
        amount=values["amount"],
        hours=values.get("hours"),
        headcount=values.get("headcount"),
    )
    refusing = [ValidationError(b.message, code=b.code) for b in breaches if b.refuse]
    if refusing:
        raise ValidationError(refusing)
    return "\n".join(b.message for b in breaches if not b.refuse)


EXPENSE_FIELDS = (
    "spent_on",
    "category",
    "source",
    "payee",
    "purpose",
    "amount",
    "method",
    "hours",
    "headcount",
    "evidence_kind",
)


def _attach_evidence(expense: Expense, upload) -> None:
    name, content_type = check_upload(upload)
    if expense.evidence:
        old = (expense.evidence.storage, expense.evidence.name)
        transaction.on_commit(lambda: old[0].delete(old[1]))
    expense.evidence.save(name, upload, save=False)
    expense.evidence_name, expense.evidence_content_type = name, content_type


@transaction.atomic
def expense_record(*, project: Project, by, evidence=None, **values) -> Expense:
    """Record one expense in the ledger, checked against the round's spending rules; subsidy
    spending never exceeds what was disbursed. ``evidence`` (optional) is content-checked
    like every other upload."""
    locked = _lock(project)
    if locked.status not in workflow.LEDGER_OPEN:
        raise NotAllowedNow(_("Expenses can be recorded while the project is under way."), code="ledger_closed")
    if values["category"].round_id != locked.application.round_id:
        raise ValidationError(_("Unknown budget category."), code="bad_category")
    if not values.get("amount") or values["amount"] <= 0:
        raise ValidationError(_("The amount must be more than zero."), code="amount_not_positive")
    flags = _check_expense(locked, values)
    _spend(locked.pk, values["source"], values["amount"])
    expense = Expense(
        project=locked, created_by=by, flags=flags, **{k: values.get(k) for k in EXPENSE_FIELDS if k in values}
    )
    if evidence is not None:
        _attach_evidence(expense, evidence)
    try:
        expense.save()
    except Exception:
        if expense.evidence:
            expense.evidence.delete(save=False)
        raise
    return expense


@transaction.atomic
def expense_update(*, expense: Expense, by, evidence=None, answer: str | None = None, **values) -> Expense:
    """Correct an expense (while the ledger is open); a correction of a disallowed expense
    goes back to staff for review. ``answer`` is the group's reply to staff."""
    project = _lock(expense.project)
    locked = Expense.objects.select_for_update().get(pk=expense.pk)
    if project.status not in workflow.LEDGER_OPEN:
        raise NotAllowedNow(_("Expenses can be changed while the project is under way."), code="ledger_closed")
    merged = {k: getattr(locked, k) for k in EXPENSE_FIELDS} | values
    if merged["category"].round_id != project.application.round_id:
        raise ValidationError(_("Unknown budget category."), code="bad_category")
    flags = _check_expense(project, merged)
    _spend(project.pk, locked.source, -locked.amount)
    _spend(project.pk, merged["source"], merged["amount"])
    for name, value in merged.items():
        setattr(locked, name, value)
    locked.flags = flags
    if answer is not None:
        locked.group_answer = answer.strip()
    if evidence is not None:
        _attach_evidence(locked, evidence)
    if locked.review == Expense.Review.DISALLOWED:
        locked.review, locked.reviewed_by, locked.reviewed_at = Expense.Review.PENDING, None, None
    locked.save()
    return locked


@transaction.atomic
def expense_delete(*, expense: Expense, by) -> None:
    project = _lock(expense.project)
    locked = Expense.objects.select_for_update().get(pk=expense.pk)
    if project.status not in workflow.LEDGER_OPEN:
        raise NotAllowedNow(_("Expenses can be changed while the project is under way."), code="ledger_closed")
    _spend(project.pk, locked.source, -locked.amount)
    if locked.evidence:
        storage, name = locked.evidence.storage, locked.evidence.name
        transaction.on_commit(lambda: storage.delete(name))
    locked.delete()


# --- settlement


@transaction.atomic
def settlement_submit(*, project: Project, interest: int, by, note: str = "") -> Settlement:
    """The group submits its settlement with the interest the subsidy earned."""
    locked = _lock(project)
    if interest is None or interest < 0:
        raise ValidationError(_("Give the interest earned (0 if none)."), code="interest_required")
    if locked.status not in workflow.LEDGER_OPEN:
        raise NotAllowedNow(_("The settlement cannot be submitted now."), code="not_active")
    settlement, _created = Settlement.objects.update_or_create(
        project=locked,
        defaults={"interest": interest, "submitted_by": by, "submitted_at": timezone.now(), "note": note.strip()},
    )
    transition(project=locked, to_status=workflow.SETTLEMENT_SUBMITTED, by=by, note=note, actor=workflow.RESIDENT)
    return settlement


@transaction.atomic
def expense_review(*, expense: Expense, accepted: bool, by, reason: str = "") -> Expense:
    """Staff accept or disallow one expense of a submitted settlement (a reason for disallowing)."""
    project = _lock(expense.project)
    if project.status != workflow.SETTLEMENT_SUBMITTED:
        raise NotAllowedNow(_("Expenses are reviewed once the settlement is submitted."), code="not_submitted")
    reason = reason.strip()
    if not accepted and not reason:
        raise ValidationError(_("Give the reason for disallowing this expense."), code="reason_required")
    locked = Expense.objects.select_for_update().get(pk=expense.pk)
    locked.review = Expense.Review.ACCEPTED if accepted else Expense.Review.DISALLOWED
    locked.review_reason, locked.reviewed_by, locked.reviewed_at = reason, by, timezone.now()
    locked.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at"])
    return locked


@transaction.atomic
def settlement_request_corrections(*, project: Project, by, note: str) -> Project:
    if not note.strip():
        raise ValidationError(_("Say what the group should answer or correct."), code="note_required")
    return transition(project=project, to_status=workflow.CORRECTIONS, by=by, note=note.strip(), actor=workflow.STAFF)


def accepted_subsidy_spending(project: Project) -> int:
    return (
        project.expenses.filter(source=Expense.Source.SUBSIDY, review=Expense.Review.ACCEPTED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )


@transaction.atomic
def settlement_decide(*, project: Project, by, note: str = "") -> Settlement:
    """Staff close their review: every expense accepted or disallowed; the return is computed
    (``projects.money.subsidy_to_return``). Nothing to return closes the project."""
    locked = _lock(project)
    if locked.status != workflow.SETTLEMENT_SUBMITTED:
        raise NotAllowedNow(_("There is no submitted settlement to decide."), code="not_submitted")
    if locked.expenses.filter(review=Expense.Review.PENDING).exists():
        raise ValidationError(_("Accept or disallow every expense first."), code="expenses_pending")
    settlement = Settlement.objects.select_for_update().get(project=locked)
    accepted = accepted_subsidy_spending(locked)
    settlement.accepted_subsidy = accepted
    settlement.return_amount = money.subsidy_to_return(
        disbursed=locked.disbursed_total, accepted_subsidy=accepted, interest=settlement.interest, award=locked.award
    )
    settlement.decided_by, settlement.decided_at = by, timezone.now()
    settlement.save(update_fields=["accepted_subsidy", "return_amount", "decided_by", "decided_at"])
    target = workflow.RETURN_DUE if settlement.return_amount else workflow.CLOSED
    transition(project=locked, to_status=target, by=by, note=note, actor=workflow.STAFF)
    return settlement


@transaction.atomic
def settlement_record_return(*, project: Project, amount: int, returned_on, by) -> Settlement:
    """Staff record the return as paid (the full amount due); the project is closed."""
    locked = _lock(project)
    if locked.status != workflow.RETURN_DUE:
        raise NotAllowedNow(_("No return is due for this project."), code="no_return_due")
    settlement = Settlement.objects.select_for_update().get(project=locked)
    if amount != settlement.return_amount:
        raise ValidationError(
            _("The amount due is %(due)s KRW.") % {"due": f"{settlement.return_amount:,}"}, code="amount_mismatch"
        )
    if returned_on is None:
        raise ValidationError(_("Give the date of the return."), code="date_required")
    settlement.returned_amount, settlement.returned_on = amount, returned_on
    settlement.save(update_fields=["returned_amount", "returned_on"])
    transition(project=locked, to_status=workflow.CLOSED, by=by, note=_("Return received"), actor=workflow.STAFF)
    return settlement


# --- award changes


@transaction.atomic
def award_change(*, project: Project, new_amount: int, reason: str, by) -> AwardChange:
    """Reduce an award (``new_amount`` > 0) or cancel it (``new_amount`` = 0), with a reason.

    The difference goes back to the round's and the field envelope's remaining budget by
    conditional UPDATEs in the same order as ``grants.services.application_approve``
    (application, round, envelope), so racing approvals and changes keep both totals equal
    to the sum of the awards. Whatever was already disbursed above the new award becomes an
    amount to recover. A cancellation moves the project to “cancelled”.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the change."), code="reason_required")
    application = Application.objects.select_for_update().get(pk=project.application_id)
    locked = _lock(project)
    if locked.status in (workflow.CLOSED, workflow.CANCELLED):
        raise NotAllowedNow(_("A closed or cancelled project's award cannot change."), code="project_closed")
    if new_amount is None or new_amount < 0 or new_amount >= locked.award:
        raise ValidationError(
            _("The new award must be less than the current %(award)s KRW.") % {"award": f"{locked.award:,}"},
            code="not_lower",
        )
    if new_amount > 0 and locked.subsidy_spent > new_amount:
        raise ValidationError(
            _("The group has already spent %(spent)s KRW of the subsidy; reduce to no less than that or cancel.")
            % {"spent": f"{locked.subsidy_spent:,}"},
            code="below_spent",
        )
    delta = locked.award - new_amount
    released = GrantRound.objects.filter(pk=application.round_id, awarded_total__gte=delta).update(
        awarded_total=F("awarded_total") - delta
    )
    if released != 1:  # cannot happen while awarded_total is the sum of the awards
        raise ValidationError(_("The round's awarded total is inconsistent."), code="round_inconsistent")
    if application.field_id is not None:
        FieldEnvelope.objects.filter(
            Q(round_id=application.round_id, field_id=application.field_id), awarded_total__gte=delta
        ).update(awarded_total=F("awarded_total") - delta)
    recovery = max(0, locked.disbursed_total - new_amount) - locked.recovery_due
    change = AwardChange.objects.create(
        project=locked,
        kind=AwardChange.Kind.CANCEL if new_amount == 0 else AwardChange.Kind.REDUCE,
        from_amount=locked.award,
        to_amount=new_amount,
        recovery_added=max(0, recovery),
        reason=reason,
        by=by,
    )
    Project.objects.filter(pk=locked.pk).update(award=new_amount, recovery_due=F("recovery_due") + max(0, recovery))
    Application.objects.filter(pk=application.pk).update(awarded_amount=new_amount)
    if new_amount == 0:
        transition(project=locked, to_status=workflow.CANCELLED, by=by, note=reason, actor=workflow.STAFF)
    project.refresh_from_db()
    return change
