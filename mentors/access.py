"""What a mentor may reach, and the one rule for reading a visit photo.

Access follows the *current* assignment: a mentor follows a group when the group is assigned to
them in the current round (``selectors.current_round``: the open round, else the latest). Only
then do they see the group's page, its documents (any round's, for continuity of coaching), log
visits and close its follow-ups.

A **former** mentor (assigned to the group only in an earlier round) keeps only their own record:
the visits they logged themselves (editable inside the 14-day window like any visit of theirs)
and those visits' photos. They lose the group's page, its documents, its other mentors' visits,
and logging new visits. Staff read photos with ``mentors.view_visitphoto`` (superusers hold every
permission); a staff account without it is refused.
"""

from django.http import FileResponse

from accounts.models import AccessLog
from accounts.services import access_record
from mentors.models import Assignment, VisitPhoto
from mentors.selectors import current_round

PHOTO_PERMISSION = "mentors.view_visitphoto"


def current_assignments(user):
    """The user's assignments in the current round (none for a non-mentor)."""
    round_ = current_round() if getattr(user, "is_mentor", False) else None
    if round_ is None:
        return Assignment.objects.none()
    return Assignment.objects.filter(mentor__user=user, round=round_)


def follows_group_now(user, group_id: int) -> bool:
    """Is ``user`` the group's mentor in the current round?"""
    return current_assignments(user).filter(group_id=group_id).exists()


def reads_group_documents(user, application) -> bool:
    """Registered in ``grants.access.DOCUMENT_READERS``: the group's current mentor."""
    return follows_group_now(user, application.group_id)


def can_read_photo(user, photo: VisitPhoto) -> bool:
    """May ``user`` open ``photo``? Staff with the permission, the mentor who logged the visit,
    or the group's current mentor."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff and user.has_perm(PHOTO_PERMISSION):
        return True
    if not getattr(user, "is_mentor", False):
        return False
    return photo.visit.mentor.user_id == user.pk or follows_group_now(user, photo.visit.group_id)


def photo_queryset():
    return VisitPhoto.objects.select_related("visit__mentor", "visit__group")


def serve_photo(*, user, photo: VisitPhoto) -> FileResponse:
    """The photo inline, after the access-log row is written (call once ``can_read_photo`` said yes)."""
    handle = photo.file.open("rb")
    access_record(
        user=user,
        action=AccessLog.Action.VIEW,
        subject=photo,
        person=photo.visit.group.representative_id,
        detail=str(photo.visit),
    )
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=0"
    return response
