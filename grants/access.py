"""The one rule for reading a resident's document, wherever it is read (the resident's
download route, the mentor's group page, the admin), and the one way it is served: checked,
then written to the access log, then streamed.

Who may read an application's documents:
- the group's representative (who uploaded them);
- district staff holding ``grants.view_attachment`` (superusers hold every permission). A staff
  account without it is refused; so are reviewers: the reviewer group does not get it, because
  the documents are the participants' signatures and registration papers, while the plan and the
  budget a reviewer scores are typed into the application itself;
- whoever a higher app vouches for through ``DOCUMENT_READERS``. ``mentors`` adds the group's
  mentor *in the current round* (see ``mentors.access``), so grants never names mentors.

Every read by anyone but the representative is logged (``accounts.services.access_record``);
the representative reading their own upload is not a read of someone else's data.
"""

from collections.abc import Callable

from django.http import FileResponse, Http404

from accounts.models import AccessLog
from accounts.services import access_record
from grants.models import Application, Attachment

DOCUMENT_PERMISSION = "grants.view_attachment"

# Callables ``(user, application) -> bool`` that higher apps append to in ``AppConfig.ready()``.
DOCUMENT_READERS: list[Callable[[object, Application], bool]] = []


def can_read_document(user, attachment: Attachment) -> bool:
    """May ``user`` open ``attachment``? The one rule (see the module docstring)."""
    if not (user.is_authenticated and user.is_active):
        return False
    application = attachment.application
    if application.group.representative_id == user.pk:
        return True
    if user.is_staff and user.has_perm(DOCUMENT_PERMISSION):
        return True
    return any(rule(user, application) for rule in DOCUMENT_READERS)


def document_queryset():
    return Attachment.objects.select_related("application__group", "application__round")


def serve_document(*, user, attachment: Attachment, as_attachment: bool = True) -> FileResponse:
    """The file as a response, after the access-log row is written. Call only once
    ``can_read_document`` said yes. 404 when the file itself is gone."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    application = attachment.application
    if application.group.representative_id != user.pk:
        access_record(
            user=user,
            action=AccessLog.Action.DOWNLOAD,
            subject=attachment,
            person=application.group.representative_id,
            detail=str(application),
        )
    return FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
