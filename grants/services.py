"""Writes to applications. Every status change goes through ``transition``.

Sections: the workflow core; the staff side (screening, reviews, decisions and the budget,
exports, the access log); the resident side (group, draft steps, documents, consents,
submission and withdrawal).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.consents import set_notices_consent
from accounts.models import AccessLog
from accounts.services import access_record
from grants import consents as consent_texts
from grants import notices, roles, screening, selectors, signals, workflow
from grants.models import (
    Application,
    Attachment,
    BudgetLine,
    Consent,
    Criterion,
    EligibilityOverride,
    ExportJob,
    FieldEnvelope,
    GrantRound,
    Review,
    ReviewerAssignment,
    Score,
    StatusChange,
)
from networks.models import CommunityGroup, GroupMember
from networks.services import group_state, record_group_change


class TransitionNotAllowed(ValidationError):
    pass


@transaction.atomic
def transition(
    *,
    application: Application,
    to_status: str,
    by,
    note: str = "",
    actor: str | None = None,
    change_details: dict | None = None,
    **changes,
) -> Application:
    """Move ``application`` to ``to_status`` if the workflow allows it.

    Locks the row, re-reads its status, records a ``StatusChange`` (who, when, from, to,
    note, plus ``change_details`` such as a change request's steps and deadline), applies
    ``changes`` to the row, and emails the resident after commit.
    ``actor`` (``workflow.RESIDENT`` or ``workflow.STAFF``) restricts who may make the move.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    from_status = locked.status
    held = to_status in workflow.RELEASED_DECISIONS
    if held:
        # Queue behind (or ahead of) a publication of the round, which locks the same row,
        # so a decision is released either by the publication or here, never by neither.
        locked.round = GrantRound.objects.select_for_update(no_key=True).get(pk=locked.round_id)
    if not workflow.is_allowed(from_status, to_status, actor):
        raise TransitionNotAllowed(
            _("An application that is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": workflow.PHASES[from_status].staff_label, "to": workflow.PHASES[to_status].staff_label},
            code="transition_not_allowed",
        )
    now = timezone.now()
    locked.status = to_status
    if to_status == workflow.SUBMITTED:
        locked.submitted_at = now
    if workflow.PHASES[to_status].decided:
        locked.decided_at = now
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    change = StatusChange.objects.create(
        application=locked,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=now,
        note=note,
        **(change_details or {}),
    )
    if not held:
        notices.status_changed(application=locked, change=change)
    elif locked.decision_visible_to_resident:
        _release_decision(application=locked, by=by)
    application.refresh_from_db()
    return locked


def _release_decision(*, application: Application, by) -> None:
    """The decision is visible to the resident from now on: email them (through the outbox,
    inside the caller's transaction) and tell the higher apps."""
    notices.decision_released(application=application)
    signals.decision_released.send(sender=Application, application=application, by=by)


# --- staff side (issue 4)


class NotApprovable(ValidationError):
    pass


class BudgetExceeded(ValidationError):
    pass


class ConflictOfInterestDeclared(ValidationError):
    pass


@transaction.atomic
def staff_transition(*, application: Application, to_status: str, by, note: str = "") -> Application:
    """A staff move without extra data (start screening). Decisions have their own services."""
    if to_status in (workflow.APPROVED, workflow.REJECTED, workflow.CHANGES_REQUESTED, workflow.IN_REVIEW):
        raise TransitionNotAllowed(_("Use the decision form for this step."), code="use_decision_form")
    return transition(application=application, to_status=to_status, by=by, note=note, actor=workflow.STAFF)


@transaction.atomic
def eligibility_override_set(
    *, application: Application, criterion: str, passed: bool, reason: str, by
) -> EligibilityOverride:
    """Record staff's own verdict on one automatic eligibility check, with the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for the override."), code="override_reason_required")
    if criterion not in EligibilityOverride.Check.values:
        raise ValidationError(_("Unknown eligibility check."), code="unknown_check")
    override, _created = EligibilityOverride.objects.update_or_create(
        application=application,
        criterion=criterion,
        defaults={"passed": passed, "reason": reason, "by": by, "at": timezone.now()},
    )
    return override


@transaction.atomic
def screening_pass(*, application: Application, by, note: str = "") -> Application:
    """Send a screened application to review once every eligibility check passes (as checked
    automatically or as overridden by staff)."""
    failing = [check.label for check in screening.eligibility_checks(application) if not check.passed]
    if failing:
        raise ValidationError(
            _("These eligibility checks do not pass: %(checks)s. Override them with a reason or reject.")
            % {"checks": ", ".join(str(label) for label in failing)},
            code="not_eligible",
        )
    return transition(application=application, to_status=workflow.IN_REVIEW, by=by, note=note, actor=workflow.STAFF)


def _decide_with_text(*, application, to_status, text, by, missing_message, code, change_details=None) -> Application:
    """A staff decision whose text (a reason or a note) is required and shown to the resident."""
    text = text.strip()
    if not text:
        raise ValidationError(missing_message, code=code)
    return transition(
        application=application,
        to_status=to_status,
        by=by,
        note=text,
        actor=workflow.STAFF,
        change_details=change_details,
        decision_note=text,
    )


@transaction.atomic
def application_reject(*, application: Application, reason: str, by) -> Application:
    """Reject at screening or review; the reason is shown to the resident."""
    return _decide_with_text(
        application=application,
        to_status=workflow.REJECTED,
        text=reason,
        by=by,
        missing_message=_("Give the reason for the rejection."),
        code="reason_required",
    )


@transaction.atomic
def application_request_changes(*, application: Application, note: str, by, steps=(), respond_by=None) -> Application:
    """Send the application back to the resident with a note on what to change, optionally
    the parts that need work (``StatusChange.Step`` values; the resident's pages link straight
    to them) and a date to respond by (not in the past)."""
    unknown = set(steps) - set(StatusChange.Step.values)
    if unknown:
        raise ValidationError(_("Unknown part of the application."), code="unknown_step")
    if respond_by is not None and respond_by < timezone.localdate():
        raise ValidationError(_("The date for the changes cannot be in the past."), code="respond_by_past")
    ordered = [step for step in StatusChange.Step.values if step in set(steps)]
    return _decide_with_text(
        application=application,
        to_status=workflow.CHANGES_REQUESTED,
        text=note,
        by=by,
        missing_message=_("Say what the group should change."),
        code="note_required",
        change_details={"steps": ordered, "respond_by": respond_by},
    )


@transaction.atomic
def application_approve(*, application: Application, amount: int, by, note: str = "") -> Application:
    """Approve an application in review with ``awarded_amount=amount``.

    Inside one transaction: lock the application and check it is approvable, then reserve
    the amount with conditional UPDATEs on the round and on the field's envelope, each of
    which must change exactly one row. Concurrent approvals queue on those rows and
    re-check the condition against the committed total, so the budget can never be
    overspent (the CheckConstraints behind them are the last line of defence). Raises
    ``NotApprovable`` or ``BudgetExceeded`` (both ``ValidationError``); on any error
    nothing is reserved.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not workflow.is_allowed(locked.status, workflow.APPROVED, workflow.STAFF):
        raise NotApprovable(
            _("“%(title)s” is “%(status)s” and cannot be approved; only applications in review can.")
            % {"title": locked, "status": workflow.PHASES[locked.status].staff_label},
            code="not_in_review",
        )
    if amount is None or amount <= 0:
        raise NotApprovable(_("The awarded amount must be more than zero."), code="amount_not_positive")
    if amount > locked.requested_amount:
        raise NotApprovable(
            _("The awarded amount (%(amount)s KRW) is more than the %(requested)s KRW requested.")
            % {"amount": f"{amount:,}", "requested": f"{locked.requested_amount:,}"},
            code="amount_over_request",
        )
    reserved = GrantRound.objects.filter(pk=locked.round_id, awarded_total__lte=F("budget") - amount).update(
        awarded_total=F("awarded_total") + amount
    )
    if reserved != 1:
        remaining = GrantRound.objects.get(pk=locked.round_id).remaining
        raise BudgetExceeded(
            _("Awarding %(amount)s KRW would overspend the round’s budget: %(remaining)s KRW remain.")
            % {"amount": f"{amount:,}", "remaining": f"{remaining:,}"},
            code="round_budget_exceeded",
        )
    if locked.field_id is not None:
        envelopes = FieldEnvelope.objects.filter(round_id=locked.round_id, field_id=locked.field_id)
        reserved = envelopes.filter(Q(amount__isnull=True) | Q(awarded_total__lte=F("amount") - amount)).update(
            awarded_total=F("awarded_total") + amount
        )
        envelope = envelopes.first() if reserved != 1 else None
        if envelope is not None:  # the field has an envelope and it is too small
            raise BudgetExceeded(
                _("Awarding %(amount)s KRW would overspend the “%(field)s” envelope: %(remaining)s KRW remain.")
                % {
                    "amount": f"{amount:,}",
                    "field": envelope.field,
                    "remaining": f"{envelope.amount - envelope.awarded_total:,}",
                },
                code="envelope_exceeded",
            )
    approved = transition(
        application=locked,
        to_status=workflow.APPROVED,
        by=by,
        note=note,
        actor=workflow.STAFF,
        awarded_amount=amount,
        decision_note=note,
    )
    return approved


class AlreadyPublished(ValidationError):
    pass


@transaction.atomic
def round_publish_results(*, round_: GrantRound, by) -> GrantRound:
    """Publish ``round_``'s results in one act: from now on residents see its decisions.

    Locks the round, refuses a second publication, stamps ``results_published_at``, queues
    each decided application's decision email in the outbox and sends
    ``grants.signals.decision_released`` for it, all in the same transaction (``projects``
    opens each funded project from it). Decisions taken afterwards are released at once by
    ``transition``.
    """
    locked = GrantRound.objects.select_for_update().get(pk=round_.pk)
    if locked.results_published_at is not None:
        raise AlreadyPublished(_("These results were already published."), code="already_published")
    locked.results_published_at = timezone.now()
    locked.save(update_fields=["results_published_at"])
    for application in publication_decided(locked).select_related("group__representative").order_by("pk"):
        application.round = locked
        _release_decision(application=application, by=by)
    round_.results_published_at = locked.results_published_at
    return locked


def publication_decided(round_: GrantRound):
    """The applications whose decisions publishing ``round_`` releases (one email each)."""
    return Application.objects.filter(round=round_, status__in=workflow.RELEASED_DECISIONS)


def applications_approve_bulk(*, awards: list[tuple[Application, int]], by) -> list[tuple[Application, str | None]]:
    """Approve each (application, amount) in its own transaction through ``application_approve``.

    Returns ``(application, None)`` for each approval and ``(application, reason)`` for each
    refusal, so one refusal (budget, status) never undoes the others.
    """
    results = []
    for application, amount in awards:
        try:
            application_approve(application=application, amount=amount, by=by)
        except ValidationError as error:
            results.append((application, " ".join(error.messages)))
        else:
            results.append((application, None))
    return results


def applications_propose_amounts(
    *, amounts: list[tuple[Application, int | None]], by
) -> list[tuple[Application, str | None]]:
    """Set (or clear, with ``None``) the committee's proposed amount of each application in
    review: more than zero and at most the request. Returns ``(application, reason)`` for
    each refusal, ``(application, None)`` for each amount saved."""
    results = []
    for application, amount in amounts:
        if application.status != workflow.IN_REVIEW:
            results.append((application, _("only applications in review get a proposed amount.")))
        elif amount is not None and not 0 < amount <= application.requested_amount:
            results.append(
                (
                    application,
                    _("the proposed amount must be more than zero and at most the %(requested)s KRW requested.")
                    % {"requested": f"{application.requested_amount:,}"},
                )
            )
        else:
            Application.objects.filter(pk=application.pk, status=workflow.IN_REVIEW).update(proposed_amount=amount)
            results.append((application, None))
    return results


# Reviewers may be assigned until the committee decides.
ASSIGNABLE_STATUSES = (workflow.SUBMITTED, workflow.SCREENING, workflow.IN_REVIEW)


@transaction.atomic
def reviewers_assign(*, reviewer, applications, by) -> list[tuple[Application, str | None]]:
    """Assign ``reviewer`` to each application (singly or in bulk); assigning twice is a no-op.

    Returns ``(application, None)`` for each assignment made or kept and
    ``(application, reason)`` for each refusal (decided, withdrawn or a draft).
    """
    if not reviewer.is_active or not reviewer.has_perm("grants.score_application"):
        raise ValidationError(_("%(name)s is not a reviewer.") % {"name": reviewer}, code="not_a_reviewer")
    results, accepted = [], []
    for application in applications:
        if application.status in ASSIGNABLE_STATUSES:
            accepted.append(application)
            results.append((application, None))
        else:
            results.append(
                (
                    application,
                    _("it is “%(status)s”; reviewers are assigned before the decision.")
                    % {"status": workflow.PHASES[application.status].staff_label},
                )
            )
    ReviewerAssignment.objects.bulk_create(
        [ReviewerAssignment(application=a, reviewer=reviewer, assigned_by=by) for a in accepted],
        ignore_conflicts=True,
    )
    return results


def reviewers_assign_field(*, reviewer, round_: GrantRound, field, by) -> list[tuple[Application, str | None]]:
    """Assign ``reviewer`` to every application of ``field`` in ``round_`` not yet decided."""
    applications = Application.objects.filter(round=round_, field=field, status__in=ASSIGNABLE_STATUSES)
    return reviewers_assign(reviewer=reviewer, applications=list(applications.order_by("pk")), by=by)


@transaction.atomic
def reviewer_unassign(*, reviewer, application: Application, by) -> None:
    """Take ``reviewer`` off ``application``; their review, if any, stays on record."""
    ReviewerAssignment.objects.filter(application=application, reviewer=reviewer).delete()


def _weighted_score(criteria: list[Criterion], values: dict[int, int]) -> Decimal:
    total_weight = sum(criterion.weight for criterion in criteria)
    points = sum(Decimal(values[c.pk]) / c.max_score * c.weight for c in criteria)
    return (points * 100 / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _lock_for_scoring(application: Application) -> None:
    """Serialise score changes per application (application row first, then the review), so
    two reviewers saving at once cannot each store an average that misses the other's score."""
    Application.objects.select_for_update().filter(pk=application.pk).values_list("pk", flat=True).get()


def _store_average_score(application: Application) -> None:
    """Keep ``Application.average_score`` and ``score_count`` equal to the mean and number of
    its scored reviews (conflicts excluded). Called by every service that changes a score, in
    its transaction and under ``_lock_for_scoring``; the staff list sorts by the stored value."""
    scored = Review.objects.filter(application=application, weighted_score__isnull=False)
    summary = scored.aggregate(average=Avg("weighted_score"), count=Count("id"))
    average = summary["average"]
    if average is not None:
        average = Decimal(average).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    Application.objects.filter(pk=application.pk).update(average_score=average, score_count=summary["count"])
    application.average_score, application.score_count = average, summary["count"]


def _check_reviewer(reviewer, application: Application) -> None:
    if not reviewer.has_perm("grants.score_application"):
        raise PermissionDenied
    if (
        roles.reviewer_scope(reviewer)
        and not ReviewerAssignment.objects.filter(application=application, reviewer=reviewer).exists()
    ):
        raise PermissionDenied


@transaction.atomic
def review_declare_conflict(*, application: Application, reviewer, note: str) -> Review:
    """Declare a conflict of interest: any scores this reviewer gave are removed, and from now
    on the reviewer cannot score this application (the database refuses score rows too)."""
    _check_reviewer(reviewer, application)
    note = note.strip()
    if not note:
        raise ValidationError(_("Describe the conflict of interest."), code="conflict_note_required")
    _lock_for_scoring(application)
    review, _created = Review.objects.select_for_update().get_or_create(application=application, reviewer=reviewer)
    review.scores.all().delete()
    review.conflict_of_interest = True
    review.conflict_note = note
    review.weighted_score = None
    review.scored_at = None
    review.save()
    _store_average_score(application)
    return review


@transaction.atomic
def review_score(*, application: Application, reviewer, values: dict[int, int], comment: str = "") -> Review:
    """Score ``application`` on every criterion of its round (``values``: criterion id → score).

    Refused when the reviewer declared a conflict of interest, when the application is not in
    review, or when a score is missing or out of range.
    """
    _check_reviewer(reviewer, application)
    if application.status != workflow.IN_REVIEW:
        raise ValidationError(_("Only applications in review can be scored."), code="not_in_review")
    _lock_for_scoring(application)
    review, _created = Review.objects.select_for_update().get_or_create(application=application, reviewer=reviewer)
    if review.conflict_of_interest:
        raise ConflictOfInterestDeclared(
            _("You declared a conflict of interest for this application and cannot score it."),
            code="conflict_of_interest",
        )
    criteria = list(Criterion.objects.filter(round_id=application.round_id))
    if not criteria:
        raise ValidationError(_("This round has no scoring criteria yet."), code="no_criteria")
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None or not 0 <= value <= criterion.max_score:
            raise ValidationError(
                _("Give “%(criterion)s” a score from 0 to %(max)s.")
                % {"criterion": criterion.name, "max": criterion.max_score},
                code="score_out_of_range",
            )
    review.scores.all().delete()
    Score.objects.bulk_create([Score(review=review, criterion=c, value=values[c.pk]) for c in criteria])
    review.weighted_score = _weighted_score(criteria, values)
    review.comment = comment.strip()
    review.scored_at = timezone.now()
    review.save()
    _store_average_score(application)
    return review


@transaction.atomic
def export_request(*, user, filters: dict, export_format: str) -> ExportJob:
    """Queue a large export for the Celery worker (enqueued after commit)."""
    job = ExportJob.objects.create(requested_by=user, filters=filters, format=export_format)
    access_record(user=user, action=AccessLog.Action.EXPORT, subject=job, detail=f"job {job.pk}: {filters}")

    def enqueue():
        from grants.tasks import build_export

        build_export.delay(job.pk)

    # robust: with Redis down the request still succeeds; the job stays pending and the staff
    # member can ask again (the admin shows its status).
    transaction.on_commit(enqueue, robust=True)
    return job


def export_build(*, job_id: int) -> str:
    """Claim a waiting export (pending → running must change one row), write its file."""
    from django.core.files.base import ContentFile

    from grants import exports

    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING
    )
    if claimed != 1:
        return "not-pending"
    job = ExportJob.objects.get(pk=job_id)
    try:
        content, row_count = exports.build(filters=job.filters, export_format=job.format)
    except Exception as error:
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    job.file.save(exports.filename(job.format), ContentFile(content), save=False)
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE, file=job.file.name, row_count=row_count, finished_at=timezone.now()
    )
    return "done"


# --- resident side (issue 3)
# Writes a group's representative makes: the group, the draft step by step, its documents and
# consents, submission and withdrawal. Each locks the application row and re-checks that the
# resident may still change it, so a staff decision in between is never overwritten.


class NotEditable(ValidationError):
    pass


class AlreadySubmitted(Exception):
    """The application has already left the resident's hands (a double click or a second tab)."""


def round_closed_message(round_) -> str:
    return round_.closed_message()


def _lock_editable(application: Application) -> Application:
    """Lock the row and re-ask ``Application.resident_edit_refusal`` on what is committed."""
    locked = Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
    refusal = locked.resident_edit_refusal()
    if refusal is not None:
        raise NotEditable(refusal.message, code=refusal.code)
    return locked


@transaction.atomic
def save_group(
    *, representative, fields: dict, members: list[dict], group: CommunityGroup | None = None
) -> CommunityGroup:
    """Create or update the representative's group and replace its participant list."""
    if group is None:
        group = CommunityGroup(representative=representative)
        before = None
    elif group.representative_id != representative.pk:
        raise PermissionError("only the representative edits the group")
    else:
        before = group_state(CommunityGroup.objects.get(pk=group.pk))
    for name, value in fields.items():
        setattr(group, name, value)
    group.save()
    group.members.all().delete()
    GroupMember.objects.bulk_create(
        GroupMember(group=group, name=member["name"], role=member.get("role", ""), order=index)
        for index, member in enumerate(members)
    )
    if before is not None:
        record_group_change(group=group, by=representative, before=before)
    return group


def group_snapshot_fields(group: CommunityGroup) -> dict:
    """The application fields that keep what it was judged on (see ``Application.judged_group``)."""
    return {
        "submitted_group_name": group.name,
        "submitted_group_kind": group.kind,
        "submitted_dong_id": group.dong_id,
        "submitted_member_count": group.member_count,
        "submitted_members": [{"name": m.name, "role": m.role} for m in group.members.order_by("order", "id")],
    }


def start_application(*, group: CommunityGroup, round_: GrantRound, by) -> tuple[Application, bool]:
    """The group's application to the round, created once. A second call (double click, a second
    tab, a parallel request) gets the first one's row: the unique constraint decides."""
    try:
        with transaction.atomic():
            return Application.objects.get_or_create(group=group, round=round_, defaults={"created_by": by})
    except IntegrityError:
        return Application.objects.get(group=group, round=round_), False


PROJECT_FIELDS = ["field", "title", "purpose", "plan", "schedule", "expected_outcomes", "resident_participation"]


@transaction.atomic
def save_project(*, application: Application, **values) -> Application:
    locked = _lock_editable(application)
    for name in PROJECT_FIELDS:
        if name in values:
            setattr(locked, name, values[name])
    locked.save()
    return locked


@transaction.atomic
def save_budget(*, application: Application, lines: list[dict]) -> Application:
    """Replace the budget lines; the requested amount becomes the subsidy total."""
    locked = _lock_editable(application)
    locked.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=locked,
            category=line["category"],
            item=line["item"],
            amount=line["amount"],
            source=line["source"],
            order=index,
        )
        for index, line in enumerate(lines)
    )
    locked.requested_amount = sum(line["amount"] for line in lines if line["source"] == BudgetLine.Source.SUBSIDY)
    locked.save(update_fields=["requested_amount", "updated_at"])
    return locked


@transaction.atomic
def add_attachment(*, application: Application, kind: str, upload, original_name: str, content_type: str, by):
    from grants.uploads import MAX_FILES

    locked = _lock_editable(application)
    if locked.attachments.count() >= MAX_FILES:
        raise ValidationError(_("You can attach at most %(max)s files.") % {"max": MAX_FILES}, code="too_many_files")
    attachment = Attachment(
        application=locked,
        kind=kind,
        original_name=original_name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(original_name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def delete_attachment(*, attachment: Attachment) -> None:
    _lock_editable(attachment.application)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def record_consents(*, application: Application, answers: dict[str, bool], by) -> None:
    """One row per consent kind, each recorded separately with the wording version."""
    locked = _lock_editable(application)
    for kind, granted in answers.items():
        Consent.objects.update_or_create(
            application=locked,
            kind=kind,
            defaults={"granted": granted, "text_version": consent_texts.WORDING_VERSION, "recorded_by": by},
        )
    if Consent.Kind.NOTICES in answers and by is not None and by.pk == locked.group.representative_id:
        # The optional news consent is the person's, not the application's: the latest answer holds.
        set_notices_consent(user=by, granted=answers[Consent.Kind.NOTICES])


@transaction.atomic
def submit_application(*, application: Application, by) -> Application:
    """Submit once: a second submit raises ``AlreadySubmitted`` instead of a second history row."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "group", "group__dong")
        .get(pk=application.pk)
    )
    if locked.status not in (workflow.DRAFT, workflow.CHANGES_REQUESTED, workflow.WITHDRAWN):
        raise AlreadySubmitted
    refusal = locked.resident_edit_refusal()
    if refusal is not None:
        raise NotEditable(refusal.message, code=refusal.code)
    problems = selectors.submission_problems(locked)
    if problems:
        raise ValidationError([problem.message for problem in problems], code="incomplete")
    return transition(
        application=locked,
        to_status=workflow.SUBMITTED,
        by=by,
        actor=workflow.RESIDENT,
        **group_snapshot_fields(locked.group),
    )


@transaction.atomic
def withdraw_application(*, application: Application, by) -> Application:
    return transition(application=application, to_status=workflow.WITHDRAWN, by=by, actor=workflow.RESIDENT)
