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
