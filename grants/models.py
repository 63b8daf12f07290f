"""Rounds, fields, applications, budget lines, attachments, consents and the status history."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants import workflow
from networks.models import CommunityGroup, District, Dong


def default_draft_reminder_days():
    return [7, 3, 1]


class Field(models.Model):
    """A funding field (분야), e.g. 돌봄·교육. Editable and ordered."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class GrantRoundQuerySet(models.QuerySet):
    def open_now(self):
        """Rounds accepting submissions at this moment."""
        now = timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class GrantRound(models.Model):
    """A yearly call (공모) with its budget and rules. ``awarded_total`` is kept by
    ``grants.services`` under a row lock; the constraint is the last line of defence."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("district"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    budget = models.PositiveBigIntegerField(_("budget (KRW)"))
    awarded_total = models.PositiveBigIntegerField(_("awarded so far (KRW)"), default=0, editable=False)
    target_groups = models.PositiveIntegerField(_("target number of funded groups"), null=True, blank=True)
    min_group_size = models.PositiveSmallIntegerField(_("minimum group size"), default=5)
    max_per_group = models.PositiveBigIntegerField(_("maximum subsidy per group (KRW)"), null=True, blank=True)
    min_self_contribution_percent = models.PositiveSmallIntegerField(_("minimum self-contribution (%)"), default=10)
    fields = models.ManyToManyField(Field, through="FieldEnvelope", related_name="rounds", verbose_name=_("fields"))
    # Reminder schedule, editable per round (see notifications and each app's reminders).
    draft_reminder_days = ArrayField(
        models.PositiveSmallIntegerField(),
        default=default_draft_reminder_days,
        verbose_name=_("remind drafts this many days before closing"),
        blank=True,
    )
    changes_reminder_after_days = models.PositiveSmallIntegerField(
        _("remind about requested changes after (days)"), default=5
    )
    review_waiting_days = models.PositiveSmallIntegerField(_("staff digest: waiting for review over (days)"), default=7)
    min_reviews = models.PositiveSmallIntegerField(
        _("minimum reviews per application"),
        default=2,
        help_text=_("The committee's ranking flags applications with fewer scored reviews."),
    )
    visit_overdue_days = models.PositiveSmallIntegerField(_("mentor digest: no visit for (days)"), default=30)
    results_published_at = models.DateTimeField(
        _("results published at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set once by publishing the results; decisions are visible to residents from then on."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = GrantRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant round")
        verbose_name_plural = _("grant rounds")
        ordering = ["-year", "-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="round_closes_after_opening"),
            models.CheckConstraint(condition=Q(awarded_total__lte=F("budget")), name="round_not_overspent"),
            models.CheckConstraint(
                condition=Q(min_self_contribution_percent__lte=100), name="round_self_contribution_percent_valid"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def remaining(self) -> int:
        return self.budget - self.awarded_total

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    def closed_message(self) -> str:
        return _("The round closed on %(date)s, so new applications can no longer be submitted.") % {
            "date": timezone.localtime(self.closes_at).strftime("%Y-%m-%d %H:%M")
        }

    def self_contribution_is_enough(self, *, own: int, total: int) -> bool:
        """The one home of the self-contribution rule: the group pays at least
        ``min_self_contribution_percent`` of the whole project cost.

        Compared exactly in integers (``own × 100 ≥ minimum × total``), never on a rounded
        share: 10 % passes, 9.96 % does not. An empty budget (``total == 0``) is not enough.
        The budget form, the screening checklist and the live totals (static/js/budget.js) ask
        this one rule.
        """
        return total > 0 and own * 100 >= self.min_self_contribution_percent * total

    def self_contribution_needed(self, *, total: int) -> int:
        """The smallest self-contribution (won) that satisfies the rule for ``total``."""
        return -(-self.min_self_contribution_percent * total // 100)


def self_contribution_share(*, own: int, total: int) -> Decimal:
    """The self-contribution share for display, rounded *down* to 0.1 %, so a share that fails
    the rule (9.96 %) never reads as the minimum (it shows 9.9, not 10.0)."""
    if not total:
        return Decimal("0.0")
    return (Decimal(own) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


class FieldEnvelope(models.Model):
    """A field's part of a round: which fields a round funds, with an optional budget cap."""

    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="envelopes", verbose_name=_("round"))
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="envelopes", verbose_name=_("field"))
    amount = models.PositiveBigIntegerField(
        _("envelope (KRW)"), null=True, blank=True, help_text=_("Leave empty for no cap within the round's budget.")
    )
    awarded_total = models.PositiveBigIntegerField(_("awarded so far (KRW)"), default=0, editable=False)

    class Meta:
        verbose_name = _("field envelope")
        verbose_name_plural = _("field envelopes")
        ordering = ["round", "field__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "field"], name="envelope_unique_field_in_round"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(awarded_total__lte=F("amount")), name="envelope_not_overspent"
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.field}"


class ApplicationQuerySet(models.QuerySet):
    def for_representative(self, user):
        """Applications of the groups this user represents."""
        return self.filter(group__representative=user)

    def missing_documents(self):
        """Applications still lacking at least one of ``Attachment.REQUIRED_KINDS`` (in SQL;
        the per-application list is ``Application.missing_document_kinds``)."""
        lacking = Q()
        for kind in Attachment.REQUIRED_KINDS:
            lacking |= ~Exists(Attachment.objects.filter(application=OuterRef("pk"), kind=kind))
        return self.filter(lacking) if Attachment.REQUIRED_KINDS else self.none()

    def with_list_relations(self):
        return self.select_related("group", "group__dong", "round", "field")


@dataclass(frozen=True)
class JudgedGroup:
    name: str
    kind: str
    dong: Dong
    member_count: int
    members: list | None  # [{"name", "role"}] at submission; None for a draft (read the group)
    snapshot: bool


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = workflow.DRAFT, _("Draft")
        SUBMITTED = workflow.SUBMITTED, _("Submitted")
        SCREENING = workflow.SCREENING, _("Screening")
        IN_REVIEW = workflow.IN_REVIEW, _("In review")
        CHANGES_REQUESTED = workflow.CHANGES_REQUESTED, _("Changes requested")
        APPROVED = workflow.APPROVED, _("Approved")
        REJECTED = workflow.REJECTED, _("Rejected")
        WITHDRAWN = workflow.WITHDRAWN, _("Withdrawn")

    group = models.ForeignKey(
        CommunityGroup, on_delete=models.PROTECT, related_name="applications", verbose_name=_("group")
    )
    round = models.ForeignKey(
        GrantRound, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, null=True, blank=True, related_name="applications", verbose_name=_("field")
    )
    title = models.CharField(_("project title"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    plan = models.TextField(_("plan"), blank=True)
    schedule = models.TextField(_("schedule"), blank=True)
    expected_outcomes = models.TextField(_("expected outcomes"), blank=True)
    resident_participation = models.TextField(_("how residents take part"), blank=True)
    requested_amount = models.PositiveBigIntegerField(_("requested subsidy (KRW)"), default=0)
    awarded_amount = models.PositiveBigIntegerField(_("awarded amount (KRW)"), null=True, blank=True)
    proposed_amount = models.PositiveBigIntegerField(
        _("proposed amount (KRW)"),
        null=True,
        blank=True,
        help_text=_("The committee's working figure before the decision; the award is set when approving."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Kept by the review services (grants.services._store_average_score): the staff list sorts
    # and the committee ranks by them without aggregating every review of the round.
    average_score = models.DecimalField(
        _("average score"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    score_count = models.PositiveSmallIntegerField(_("number of scored reviews"), default=0, editable=False)
    decision_note = models.TextField(_("decision note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # What the application is judged on: the group as it stood at its (latest) submission, so an
    # edit of the group afterwards changes neither the screening nor the published results.
    # Written by grants.services.submit_application; read through ``judged_group``.
    submitted_group_name = models.CharField(_("group name at submission"), max_length=100, blank=True)
    submitted_group_kind = models.CharField(_("group kind at submission"), max_length=20, blank=True)
    submitted_dong = models.ForeignKey(
        Dong,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dong at submission"),
    )
    submitted_member_count = models.PositiveIntegerField(_("members at submission"), null=True, blank=True)
    submitted_members = models.JSONField(_("participants at submission"), default=list, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "round"], name="application_one_per_group_per_round"),
            models.CheckConstraint(
                condition=Q(awarded_amount__isnull=True) | Q(status="approved"),
                name="application_award_only_when_approved",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"], name="application_round_status_idx"),
            models.Index(fields=["-submitted_at", "-id"], name="application_default_order_idx"),
            # The staff list is almost always filtered to one round, newest first.
            models.Index(fields=["round", "-submitted_at", "-id"], name="application_round_order_idx"),
            # Sorting one round by score (the staff list, the committee's ranking).
            models.Index(fields=["round", "average_score", "id"], name="application_round_score_idx"),
            # The staff search by title (``UPPER(title) LIKE``), see accounts.User.
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="application_title_trgm"),
        ]
        permissions = [
            ("decide_application", _("Can approve, reject or request changes to applications")),
            ("score_application", _("Can score applications")),
        ]

    def __str__(self):
        return self.title or f"{self.group} ({self.round.year})"

    @property
    def judged_group(self) -> "JudgedGroup":
        """The group this application is judged on: its snapshot once submitted, the live
        group before (a draft has no snapshot yet). Screening, results and exports read this."""
        if self.submitted_member_count is not None and self.submitted_dong_id is not None:
            return JudgedGroup(
                name=self.submitted_group_name,
                kind=self.submitted_group_kind,
                dong=self.submitted_dong,
                member_count=self.submitted_member_count,
                members=list(self.submitted_members),
                snapshot=True,
            )
        group = self.group
        return JudgedGroup(
            name=group.name,
            kind=group.kind,
            dong=group.dong,
            member_count=group.member_count,
            members=None,
            snapshot=False,
        )

    @property
    def phase(self) -> workflow.Phase:
        return workflow.PHASES[self.status]

    @property
    def resident_status(self) -> str:
        """The status the resident sees: a decision not yet released reads as "in review"."""
        if self.status in workflow.RELEASED_DECISIONS and not self.decision_visible_to_resident:
            return workflow.IN_REVIEW
        return self.status

    @property
    def resident_status_label(self):
        return workflow.PHASES[self.resident_status].resident_label

    @property
    def resident_changes(self) -> list:
        """The history the resident sees: the decision (and its reason) only once released.
        Uses prefetched ``status_changes`` when there are any."""
        visible = self.decision_visible_to_resident
        return [
            change
            for change in self.status_changes.all()
            if visible or change.to_status not in workflow.RELEASED_DECISIONS
        ]

    def resident_edit_refusal(self, *, at=None) -> "EditRefusal | None":
        """Why the resident may not change this application now, or ``None`` when they may.

        The one home of "may the resident still edit": the services refuse with it under a row
        lock, the views redirect with its message, and the pages hide their edit links with
        ``resident_can_edit``. A withdrawn application says so (철회) instead of "with the
        district"; a draft cannot change once its round has closed.
        """
        if self.status == workflow.WITHDRAWN:
            return EditRefusal("withdrawn", _("You withdrew this application, so it can no longer be changed."))
        if not self.phase.resident_can_edit:
            return EditRefusal("not_editable", _("This application is with the district now and cannot be changed."))
        if self.status == workflow.DRAFT and not self.round.is_open(at):
            return EditRefusal("round_closed", self.round.closed_message())
        return None

    @property
    def resident_can_edit(self) -> bool:
        """May the resident change it now (see ``resident_edit_refusal``)."""
        return self.resident_edit_refusal() is None

    @property
    def decision_visible_to_resident(self) -> bool:
        """May the resident (and the public) see this application's decision yet?

        The one home of the release rule: a decision (approval, rejection, award) stays
        internal until staff publish the round's results
        (``grants.services.round_publish_results``); a decision taken after publication
        is visible at once. Resident pages, decision emails and public results ask this;
        ``grants.signals.decision_released`` fires exactly when it turns true.
        """
        return self.status in workflow.RELEASED_DECISIONS and self.round.results_published

    def current_change_request(self) -> "StatusChange | None":
        """The staff's open change request (note, parts to change, deadline) while the
        application waits for the resident's changes; ``None`` otherwise. Uses prefetched
        ``status_changes`` when there are any."""
        if self.status != workflow.CHANGES_REQUESTED:
            return None
        requests = [change for change in self.status_changes.all() if change.to_status == workflow.CHANGES_REQUESTED]
        return max(requests, key=lambda change: (change.at, change.pk), default=None)

    def missing_document_kinds(self, attachments=None) -> list[str]:
        """The one home of "which documents are missing": required attachment kinds not yet
        uploaded, in ``Attachment.REQUIRED_KINDS`` order. Pass already-fetched ``attachments``
        to avoid the query; prefetched attachments are used too."""
        files = attachments if attachments is not None else self.attachments.all()
        present = {attachment.kind for attachment in files}
        return [kind for kind in Attachment.REQUIRED_KINDS if kind not in present]

    def missing_document_labels(self, attachments=None) -> list[str]:
        return [Attachment.Kind(kind).label for kind in self.missing_document_kinds(attachments)]


@dataclass(frozen=True)
class EditRefusal:
    """Why a resident may not change an application: a stable code and a plain message."""

    code: str
    message: str


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        ACTIVITY = "activity", _("Activity costs")
        MATERIALS = "materials", _("Materials and supplies")
        PUBLICITY = "publicity", _("Publicity and printing")
        INSTRUCTOR = "instructor", _("Instructor fees")
        MEETINGS = "meetings", _("Meetings")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        SUBSIDY = "subsidy", _("Subsidy")
        SELF = "self", _("Self-contribution")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("application")
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    item = models.CharField(_("item"), max_length=200)
    amount = models.PositiveBigIntegerField(_("amount (KRW)"))
    source = models.CharField(_("funding source"), max_length=10, choices=Source.choices, default=Source.SUBSIDY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["application", "order", "id"]

    def __str__(self):
        return f"{self.item}: {self.amount:,}"


def attachment_path(instance, filename):
    # A random name outside the web root; the original name is kept in the row.
    import uuid

    return f"attachments/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", _("Project plan")
        BUDGET = "budget", _("Budget sheet")
        REGISTRATION = "registration", _("Group registration")
        SIGNATURES = "signatures", _("Participant signatures")
        OTHER = "other", _("Other")

    # The documents a submission cannot go without. Plan and budget are typed into the form
    # itself; the participants' signatures are the one document only paper can give.
    REQUIRED_KINDS = [Kind.SIGNATURES]

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("application")
    )
    kind = models.CharField(_("document type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "kind", "uploaded_at"]

    def __str__(self):
        return self.original_name


class Consent(models.Model):
    """One personal-information consent (PIPA §15(2)), recorded separately per purpose."""

    class Kind(models.TextChoices):
        COLLECTION = "collection", _("Collection and use of personal information (required)")
        THIRD_PARTY = "third_party", _("Provision to the selection committee (required)")
        NOTICES = "notices", _("Programme news by email and text (optional)")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consents", verbose_name=_("application")
    )
    kind = models.CharField(_("consent"), max_length=20, choices=Kind.choices)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("wording version"), max_length=20)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="consent_one_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {'✓' if self.granted else '✗'}"


class StatusChange(models.Model):
    """The audit row of every status change: who, when, from, to and why. A change request
    also says which parts of the application need work (``steps``) and by when (``respond_by``)."""

    class Step(models.TextChoices):
        # The resident's pages a change request can point at (values are the step URL names).
        GROUP = "group", _("Group details")
        PROJECT = "project", _("Project")
        BUDGET = "budget", _("Budget")
        DOCUMENTS = "documents", _("Documents")
        CONSENT = "consent", _("Consent")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("application")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Application.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Application.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    steps = ArrayField(
        models.CharField(max_length=20, choices=Step.choices),
        default=list,
        blank=True,
        verbose_name=_("parts that need changes"),
    )
    respond_by = models.DateField(_("changes due by"), null=True, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["application", "at", "id"]
        indexes = [models.Index(fields=["application", "at"], name="statuschange_app_at_idx")]

    def __str__(self):
        return f"{self.application_id}: {self.from_status} → {self.to_status}"

    @property
    def resident_label(self):
        return workflow.PHASES[self.to_status].resident_label

    @property
    def step_labels(self) -> list[tuple[str, str]]:
        """(step, label) of the parts a change request points at, in page order."""
        return [(step.value, step.label) for step in self.Step if step.value in self.steps]


# --- staff side (issue 4)
class EligibilityOverride(models.Model):
    """A staff decision on one automatic eligibility check at screening: confirmed as shown, or
    overridden (passed or failed against the automatic result) with a reason."""

    class Check(models.TextChoices):
        GROUP_SIZE = "group_size", _("Group size")
        DONG_IN_DISTRICT = "dong_in_district", _("Dong in the round's district")
        SELF_CONTRIBUTION = "self_contribution", _("Self-contribution share")
        SUBSIDY_CAP = "subsidy_cap", _("Subsidy within the per-group maximum")
        DOCUMENTS = "documents", _("Required documents present")
        ONE_PER_ROUND = "one_per_round", _("No other application this round")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="eligibility_overrides", verbose_name=_("application")
    )
    criterion = models.CharField(_("check"), max_length=30, choices=Check.choices)
    passed = models.BooleanField(_("counts as passed"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("eligibility override")
        verbose_name_plural = _("eligibility overrides")
        ordering = ["application", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="eligibility_override_one_per_check"),
            models.CheckConstraint(condition=~Q(reason=""), name="eligibility_override_has_reason"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.get_criterion_display()}"


class Criterion(models.Model):
    """One line of a round's scoring rubric. A review's score is the weighted mean of its
    criteria, each scaled to 0–100."""

    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("round"))
    name = models.CharField(_("criterion"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["round", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="criterion_unique_name_in_round"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_score_positive"),
        ]

    def __str__(self):
        return self.name


class Review(models.Model):
    """A reviewer's review of one application: either a conflict of interest (and no score,
    which the database enforces) or a weighted score from the criteria."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_reviews", verbose_name=_("reviewer")
    )
    conflict_of_interest = models.BooleanField(_("conflict of interest declared"), default=False)
    conflict_note = models.TextField(_("conflict of interest note"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    weighted_score = models.DecimalField(
        _("weighted score (0–100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer"),
            # Target of the scores' composite foreign key (review, review_conflicted).
            models.UniqueConstraint(fields=["id", "conflict_of_interest"], name="review_id_conflict_unique"),
            models.CheckConstraint(
                condition=Q(conflict_of_interest=False) | Q(weighted_score__isnull=True, scored_at__isnull=True),
                name="review_conflicted_has_no_score",
            ),
            models.CheckConstraint(
                condition=Q(weighted_score__isnull=True) | Q(weighted_score__gte=0, weighted_score__lte=100),
                name="review_score_in_range",
            ),
        ]
        indexes = [models.Index(fields=["application", "weighted_score"], name="review_app_score_idx")]

    def __str__(self):
        return f"{self.reviewer} · {self.application_id}"


class Score(models.Model):
    """One criterion's score within a review. ``review_conflicted`` mirrors the review's flag
    and is tied to it by a composite foreign key (see migration), so no score row can exist
    under a conflicted review even if the service is bypassed."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.PositiveSmallIntegerField(_("score"))
    review_conflicted = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(condition=Q(review_conflicted=False), name="score_not_under_conflict"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class ReviewerAssignment(models.Model):
    """A reviewer assigned by staff to one application: a reviewer sees and scores only these."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviewer_assignments", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grant_review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        ordering = ["application", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="reviewer_assignment_once"),
        ]
        indexes = [models.Index(fields=["reviewer", "application"], name="reviewerassign_reviewer_idx")]

    def __str__(self):
        return f"{self.reviewer} · {self.application_id}"


def export_path(instance, filename):
    import uuid

    return f"exports/{uuid.uuid4().hex}-{filename}"


class ExportJob(models.Model):
    """A large export built by a Celery task; its file is served only to the requester."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel")
        CSV = "csv", _("CSV")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.XLSX)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to=export_path, max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_format_display()} · {self.created_at:%Y-%m-%d %H:%M}"
