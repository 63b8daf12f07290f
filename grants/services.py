"""Writes to applications. Every status change goes through ``transition``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants import notices, workflow
from grants.models import Application, StatusChange


class TransitionNotAllowed(ValidationError):
    pass


@transaction.atomic
def transition(
    *, application: Application, to_status: str, by, note: str = "", actor: str | None = None, **changes
) -> Application:
    """Move ``application`` to ``to_status`` if the workflow allows it.

    Locks the row, re-reads its status, records a ``StatusChange`` (who, when, from, to,
    note), applies ``changes`` to the row, and emails the resident after commit.
    ``actor`` (``workflow.RESIDENT`` or ``workflow.STAFF``) restricts who may make the move.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    from_status = locked.status
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
        application=locked, from_status=from_status, to_status=to_status, by=by, at=now, note=note
    )
    notices.status_changed(application=locked, change=change)
    application.refresh_from_db()
    return locked


# --- resident side (issue 3)
# Writes a group's representative makes: the group, the draft step by step, its documents and
# consents, submission and withdrawal. Each locks the application row and re-checks that the
# resident may still change it, so a staff decision in between is never overwritten.

from django.db import IntegrityError  # noqa: E402

from grants import consents as consent_texts  # noqa: E402
from grants import selectors  # noqa: E402
from grants.models import Attachment, BudgetLine, Consent, GrantRound  # noqa: E402
from networks.models import CommunityGroup, GroupMember  # noqa: E402


class NotEditable(ValidationError):
    pass


class AlreadySubmitted(Exception):
    """The application has already left the resident's hands (a double click or a second tab)."""


def round_closed_message(round_) -> str:
    return _("The round closed on %(date)s, so new applications can no longer be submitted.") % {
        "date": timezone.localtime(round_.closes_at).strftime("%Y-%m-%d %H:%M")
    }


def _lock_editable(application: Application) -> Application:
    locked = Application.objects.select_for_update(of=("self",)).select_related("round").get(pk=application.pk)
    if not locked.resident_can_edit:
        raise NotEditable(_("This application is with the district now and cannot be changed."), code="not_editable")
    if locked.status == workflow.DRAFT and not locked.round.is_open():
        raise NotEditable(round_closed_message(locked.round), code="round_closed")
    return locked


@transaction.atomic
def save_group(
    *, representative, fields: dict, members: list[dict], group: CommunityGroup | None = None
) -> CommunityGroup:
    """Create or update the representative's group and replace its participant list."""
    if group is None:
        group = CommunityGroup(representative=representative)
    elif group.representative_id != representative.pk:
        raise PermissionError("only the representative edits the group")
    for name, value in fields.items():
        setattr(group, name, value)
    group.save()
    group.members.all().delete()
    GroupMember.objects.bulk_create(
        GroupMember(group=group, name=member["name"], role=member.get("role", ""), order=index)
        for index, member in enumerate(members)
    )
    return group


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


@transaction.atomic
def submit_application(*, application: Application, by) -> Application:
    """Submit once: a second submit raises ``AlreadySubmitted`` instead of a second history row."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "group", "group__dong")
        .get(pk=application.pk)
    )
    if locked.status not in (workflow.DRAFT, workflow.CHANGES_REQUESTED):
        raise AlreadySubmitted
    if locked.status == workflow.DRAFT and not locked.round.is_open():
        raise NotEditable(round_closed_message(locked.round), code="round_closed")
    problems = selectors.submission_problems(locked)
    if problems:
        raise ValidationError([problem.message for problem in problems], code="incomplete")
    return transition(application=locked, to_status=workflow.SUBMITTED, by=by, actor=workflow.RESIDENT)


@transaction.atomic
def withdraw_application(*, application: Application, by) -> Application:
    return transition(application=application, to_status=workflow.WITHDRAWN, by=by, actor=workflow.RESIDENT)
