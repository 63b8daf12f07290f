"""A funded application's life after the decision: plan, agreement, disbursement, spending,
settlement (협약 → 교부 → 집행 → 정산).

Money is in whole won (``PositiveBigIntegerField``). The running totals on ``Project``
(``disbursed_total``, ``subsidy_spent``) are kept by ``projects.services`` under the
project's row lock; the CheckConstraints behind them are the last line of defence.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models import Application, BudgetLine, GrantRound


class ProjectRules(models.Model):
    """A round's rules for funded projects, as data staff edit (one row per round)."""

    round = models.OneToOneField(
        GrantRound, on_delete=models.CASCADE, related_name="project_rules", verbose_name=_("round")
    )
    period_start = models.DateField(_("project period starts"), null=True, blank=True)
    period_end = models.DateField(_("project period ends"), null=True, blank=True)
    max_instalments = models.PositiveSmallIntegerField(_("instalments allowed"), default=2)
    plan_change_threshold_percent = models.PositiveSmallIntegerField(
        _("plan change needing approval (% of a category)"), default=20
    )
    instructor_hourly_cap = models.PositiveBigIntegerField(
        _("instructor fee cap per hour (KRW)"), null=True, blank=True
    )
    meal_per_person_cap = models.PositiveBigIntegerField(_("meal cap per person (KRW)"), null=True, blank=True)
    settlement_due_days = models.PositiveSmallIntegerField(_("settlement due after the period ends (days)"), default=14)
    agreement_reminder_days = models.PositiveSmallIntegerField(
        _("remind to sign the agreement after (days)"), default=7
    )
    disbursement_reminder_days = models.PositiveSmallIntegerField(
        _("remind to request the first instalment after (days)"), default=14
    )
    interim_report_due_on = models.DateField(_("interim report due on"), null=True, blank=True)
    final_report_due_days = models.PositiveSmallIntegerField(
        _("final report due after the period ends (days)"), default=30
    )
    report_reminder_days = models.PositiveSmallIntegerField(_("remind about a report this many days before"), default=7)

    class Meta:
        verbose_name = _("project rules")
        verbose_name_plural = _("project rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="project_rules_period_ordered",
            ),
            models.CheckConstraint(condition=Q(max_instalments__gte=1), name="project_rules_one_instalment_at_least"),
            models.CheckConstraint(
                condition=Q(plan_change_threshold_percent__lte=100), name="project_rules_threshold_percent_valid"
            ),
        ]

    def __str__(self):
        return f"{self.round}"

    def report_due_on(self, kind):
        """The day a report of ``kind`` is due (the one home of the report schedule)."""
        if kind == ProjectReport.Kind.INTERIM:
            return self.interim_report_due_on
        if self.period_end is None:
            return None
        return self.period_end + datetime.timedelta(days=self.final_report_due_days)

    @property
    def settlement_due_on(self):
        """The last day to submit the settlement (the one home of this rule)."""
        if self.period_end is None:
            return None
        return self.period_end + datetime.timedelta(days=self.settlement_due_days)


class BudgetCategory(models.Model):
    """A budget category of a round (staff-editable), with the subsidy system's expense item code."""

    round = models.ForeignKey(
        GrantRound, on_delete=models.CASCADE, related_name="budget_categories", verbose_name=_("round")
    )
    key = models.SlugField(_("key"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    subsidy_code = models.CharField(_("subsidy system expense item code"), max_length=30, blank=True)
    subsidy_allowed = models.BooleanField(
        _("may be paid from the subsidy"), default=True, help_text=_("Untick for costs only self-contribution may pay.")
    )
    is_instructor_fee = models.BooleanField(_("instructor fees (hourly cap applies)"), default=False)
    is_meal = models.BooleanField(_("meals (per-person cap applies)"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("budget category")
        verbose_name_plural = _("budget categories")
        ordering = ["round", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "key"], name="budget_category_unique_key_in_round")]

    def __str__(self):
        return self.name


class GrantConditions(models.Model):
    """The round's grant conditions (협약 조건), versioned: an edit is a new version."""

    round = models.ForeignKey(
        GrantRound, on_delete=models.CASCADE, related_name="grant_conditions", verbose_name=_("round")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("conditions"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("grant conditions")
        verbose_name_plural = _("grant conditions")
        ordering = ["round", "-version"]
        constraints = [models.UniqueConstraint(fields=["round", "version"], name="grant_conditions_unique_version")]

    def __str__(self):
        return f"{self.round} v{self.version}"


class ProjectQuerySet(models.QuerySet):
    def for_representative(self, user):
        """Projects of the groups this user represents."""
        return self.filter(application__group__representative=user)

    def with_list_relations(self):
        return self.select_related("application", "application__group", "application__round", "application__field")

    def waiting_for_staff(self):
        """Projects with something for staff to do: a plan to confirm, an agreement to
        countersign, an instalment to pay or a settlement to review."""
        return self.filter(
            Q(plan_versions__status="submitted")
            | Q(status="agreement", agreement__isnull=False, agreement__countersigned_at__isnull=True)
            | Q(disbursements__status="requested")
            | Q(status="settlement_submitted")
        ).distinct()

    def settlement_overdue(self, today):
        """Projects still spending after their round's settlement deadline (the period's end
        plus ``settlement_due_days``). One query for the rules, then a filter."""
        rounds = [
            rules.round_id
            for rules in ProjectRules.objects.filter(period_end__isnull=False)
            if rules.settlement_due_on < today
        ]
        return self.filter(status__in=["active", "corrections"], application__round_id__in=rounds)


class Project(models.Model):
    """One per approved application, opened by ``grants.signals.decision_released``."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Adjusting the plan")
        AGREEMENT = "agreement", _("Agreement")
        ACTIVE = "active", _("Under way")
        SETTLEMENT_SUBMITTED = "settlement_submitted", _("Settlement submitted")
        CORRECTIONS = "corrections", _("Settlement corrections requested")
        RETURN_DUE = "return_due", _("Settled, return due")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Award cancelled")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="project", verbose_name=_("application")
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.PLANNING)
    award = models.PositiveBigIntegerField(_("award (KRW)"))
    original_award = models.PositiveBigIntegerField(_("award at the decision (KRW)"))
    disbursed_total = models.PositiveBigIntegerField(_("disbursed (KRW)"), default=0, editable=False)
    subsidy_spent = models.PositiveBigIntegerField(_("subsidy spent (KRW)"), default=0, editable=False)
    self_spent = models.PositiveBigIntegerField(_("self-contribution spent (KRW)"), default=0, editable=False)
    recovery_due = models.PositiveBigIntegerField(
        _("disbursed above the award, to recover (KRW)"), default=0, editable=False
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # The database refuses any total disbursed above the award. After staff reduce or
            # cancel an award, what was already paid above it is owed back (recovery_due).
            models.CheckConstraint(
                condition=Q(disbursed_total__lte=F("award") + F("recovery_due")), name="project_disbursed_within_award"
            ),
            models.CheckConstraint(condition=Q(award__lte=F("original_award")), name="project_award_not_raised"),
            models.CheckConstraint(
                condition=Q(subsidy_spent__lte=F("disbursed_total")), name="project_subsidy_spent_within_disbursed"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="project_status_idx")]

    def __str__(self):
        return str(self.application)

    @property
    def undisbursed(self) -> int:
        return max(0, self.award - self.disbursed_total)


class ProjectStatusChange(models.Model):
    """Who moved a project from one status to another, when and why."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("project")
    )
    from_status = models.CharField(_("from"), max_length=24, choices=Project.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=Project.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("project status change")
        verbose_name_plural = _("project status changes")
        ordering = ["project", "at", "id"]

    def __str__(self):
        return f"{self.project_id}: {self.from_status} → {self.to_status}"


class PlanVersion(models.Model):
    """One version of a project's budget. Every version is kept; one is confirmed at a time."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("As applied")
        ADJUSTMENT = "adjustment", _("Adjusted to the award")
        CHANGE = "change", _("Plan change")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for staff")
        CONFIRMED = "confirmed", _("Confirmed")
        RECORDED = "recorded", _("Recorded (within the threshold)")
        REFUSED = "refused", _("Refused")
        SUPERSEDED = "superseded", _("Superseded")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="plan_versions", verbose_name=_("project")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(_("reason"), blank=True)
    subsidy_total = models.PositiveBigIntegerField(_("subsidy (KRW)"), default=0)
    self_total = models.PositiveBigIntegerField(_("self-contribution (KRW)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("staff note"), blank=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="plan_version_unique_number"),
            # At most one version is in force (confirmed or recorded) at a time.
            models.UniqueConstraint(
                fields=["project"], condition=Q(status__in=["confirmed", "recorded"]), name="plan_version_one_in_force"
            ),
            models.UniqueConstraint(
                fields=["project"], condition=Q(status__in=["draft", "submitted"]), name="plan_version_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.project} v{self.number}"

    @property
    def total(self) -> int:
        return self.subsidy_total + self.self_total


class PlanLine(models.Model):
    # Who pays: the same two sources as the application's budget lines (one home).
    Source = BudgetLine.Source

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="lines", verbose_name=_("version"))
    category = models.ForeignKey(BudgetCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    item = models.CharField(_("item"), max_length=200)
    source = models.CharField(_("funding source"), max_length=10, choices=Source.choices)
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        ordering = ["version", "order", "id"]

    def __str__(self):
        return f"{self.item}: {self.amount:,}"


class Agreement(models.Model):
    """The group's agreement (협약): which conditions it accepted, who and when, and the account.

    The bank account is personal data: staff only, every view access-logged, masked elsewhere
    (``projects.selectors.masked_account``).
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="agreement", verbose_name=_("project")
    )
    conditions = models.ForeignKey(
        GrantConditions, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("conditions accepted")
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("accepted by")
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    self_contribution_confirmed = models.BooleanField(_("self-contribution secured"))
    bank_name = models.CharField(_("bank"), max_length=50)
    account_holder = models.CharField(_("account holder"), max_length=100)
    account_number = models.CharField(_("account number"), max_length=40)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("countersigned by"),
    )
    countersigned_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(condition=Q(self_contribution_confirmed=True), name="agreement_self_contribution"),
            models.CheckConstraint(
                condition=Q(countersigned_by__isnull=True, countersigned_at__isnull=True)
                | Q(countersigned_by__isnull=False, countersigned_at__isnull=False),
                name="agreement_countersign_complete",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.conditions}"


class Disbursement(models.Model):
    """One instalment (교부): requested by the group, approved and paid by staff."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PAID = "paid", _("Paid")
        REFUSED = "refused", _("Refused")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="disbursements", verbose_name=_("project")
    )
    number = models.PositiveSmallIntegerField(_("instalment"))
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="disbursement_unique_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False, decided_at__isnull=False),
                name="disbursement_paid_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.project} #{self.number}: {self.amount:,}"


def evidence_path(instance, filename):
    # A random name outside the web root; the original name is kept in the row.
    return f"evidence/{instance.project_id}/{uuid.uuid4().hex}"


class Expense(models.Model):
    """One line of the spending ledger (집행 내역)."""

    # Who pays: the same two sources as the application's budget lines (one home).
    Source = BudgetLine.Source

    class Method(models.TextChoices):
        CARD = "card", _("Subsidy card")
        TRANSFER = "transfer", _("Bank transfer")
        CASH = "cash", _("Cash")

    class EvidenceKind(models.TextChoices):
        CARD_SLIP = "card_slip", _("Card slip")
        TAX_INVOICE = "tax_invoice", _("Tax invoice")
        RECEIPT = "receipt", _("Receipt")
        OTHER = "other", _("Other")

    class Review(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        ACCEPTED = "accepted", _("Accepted")
        DISALLOWED = "disallowed", _("Disallowed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="expenses", verbose_name=_("project"))
    spent_on = models.DateField(_("date"))
    category = models.ForeignKey(BudgetCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    source = models.CharField(_("funding source"), max_length=10, choices=Source.choices)
    payee = models.CharField(_("paid to"), max_length=200)
    purpose = models.CharField(_("what for"), max_length=300)
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))
    method = models.CharField(_("payment method"), max_length=10, choices=Method.choices)
    hours = models.PositiveSmallIntegerField(_("hours (instructor fees)"), null=True, blank=True)
    headcount = models.PositiveSmallIntegerField(_("people (meals)"), null=True, blank=True)
    evidence_kind = models.CharField(
        _("evidence"), max_length=12, choices=EvidenceKind.choices, default=EvidenceKind.RECEIPT
    )
    evidence = models.FileField(_("evidence file"), upload_to=evidence_path, max_length=255, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_content_type = models.CharField(_("evidence content type"), max_length=100, blank=True)
    flags = models.TextField(_("rule flags for staff"), blank=True)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING)
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    group_answer = models.TextField(_("the group's answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["project", "spent_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(
                condition=~Q(review="disallowed") | ~Q(review_reason=""), name="expense_disallowed_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["project", "source", "category"], name="expense_project_totals_idx")]

    def __str__(self):
        return f"{self.spent_on} {self.payee}: {self.amount:,}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence)


class Settlement(models.Model):
    """The group's settlement (정산) and staff's result: the subsidy to return, in whole won."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="settlement", verbose_name=_("project")
    )
    interest = models.PositiveBigIntegerField(_("interest earned (KRW)"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    note = models.TextField(_("note from the group"), blank=True)
    accepted_subsidy = models.PositiveBigIntegerField(_("accepted subsidy spending (KRW)"), null=True, blank=True)
    return_amount = models.PositiveBigIntegerField(_("subsidy to return (KRW)"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    returned_amount = models.PositiveBigIntegerField(_("returned (KRW)"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.CheckConstraint(
                condition=Q(return_amount__isnull=True) | Q(decided_at__isnull=False),
                name="settlement_return_when_decided",
            ),
            models.CheckConstraint(
                condition=Q(returned_amount__isnull=True) | Q(returned_on__isnull=False), name="settlement_return_dated"
            ),
        ]

    def __str__(self):
        return f"{self.project}"


class AwardChange(models.Model):
    """Staff reduced, cancelled or reinstated an award, with the reason."""

    class Kind(models.TextChoices):
        REDUCE = "reduce", _("Reduced")
        CANCEL = "cancel", _("Cancelled")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="award_changes", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_amount = models.PositiveBigIntegerField(_("award before (KRW)"))
    to_amount = models.PositiveBigIntegerField(_("award after (KRW)"))
    recovery_added = models.PositiveBigIntegerField(_("added to recover (KRW)"), default=0)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("award change")
        verbose_name_plural = _("award changes")
        ordering = ["project", "at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(to_amount__lt=F("from_amount")), name="award_change_lowers"),
            models.CheckConstraint(condition=~Q(reason=""), name="award_change_has_reason"),
        ]

    def __str__(self):
        return f"{self.project}: {self.from_amount:,} → {self.to_amount:,}"


class ProjectReport(models.Model):
    """What a funded project did: the interim and the final report (one of each per project)."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    done_against_plan = models.TextField(_("what was done against the plan"), blank=True)
    activities_held = models.TextField(_("activities held"), blank=True)
    residents_taking_part = models.PositiveIntegerField(_("residents taking part"), null=True, blank=True)
    would_change = models.TextField(_("what you would change"), blank=True)
    staff_note = models.TextField(_("staff note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")
        ordering = ["project", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="project_report_one_per_kind"),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(submitted_at__isnull=False) & Q(submitted_by__isnull=False)),
                name="project_report_submitted_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "returned"])
                | (Q(reviewed_at__isnull=False) & Q(reviewed_by__isnull=False)),
                name="project_report_reviewed_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(staff_note=""), name="project_report_returned_has_note"
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()}"


class ProjectReportEvent(models.Model):
    """Audit row for every report act (saved, submitted, accepted, returned)."""

    class Action(models.TextChoices):
        SAVED = "saved", _("Saved")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    report = models.ForeignKey(ProjectReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.report} · {self.get_action_display()}"
