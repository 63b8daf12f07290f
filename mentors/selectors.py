"""Reads for the mentor pages and the staff coverage view. Every function here runs a fixed
number of queries whatever the number of groups: per-row facts are annotated in SQL."""

import datetime

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Application, GrantRound
from mentors.models import Assignment, CoachingVisit, EducationSession, FollowUp, Mentor, SessionInvitation
from networks.models import CommunityGroup, Forum
from portal.errors import NotFound


def current_round() -> GrantRound | None:
    """The round mentors work in now: the open round, else the latest one."""
    return GrantRound.objects.open_now().first() or GrantRound.objects.first()


def _open_follow_ups_subquery():
    return Coalesce(
        Subquery(
            FollowUp.objects.filter(visit__group=OuterRef("group"), done_at__isnull=True)
            .values("visit__group")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def assignments_with_visit_facts(assignments: QuerySet) -> QuerySet:
    """Annotate each assignment with its group's visit facts (``Assignment.objects.with_visit_facts``:
    last visit, days without one, overdue), open follow-ups, application status and field for
    the assignment's round; overdue first."""
    application = Application.objects.filter(group=OuterRef("group"), round=OuterRef("round"))
    return (
        assignments.with_visit_facts()
        .select_related("group", "group__dong", "round")
        .annotate(
            open_follow_ups=_open_follow_ups_subquery(),
            application_status=Subquery(application.values("status")[:1]),
            field_name=Subquery(application.values("field__name")[:1]),
        )
        .order_by("-overdue", F("last_visit").asc(nulls_first=True), "group__name", "id")
    )


def mentor_home_assignments(mentor: Mentor, round: GrantRound) -> QuerySet:
    """The mentor's groups in ``round``, overdue (no visit within the round's limit) first."""
    return assignments_with_visit_facts(Assignment.objects.filter(mentor=mentor, round=round))


def mentor_home_counts(mentor: Mentor, round: GrantRound) -> tuple[int, int]:
    """``(groups, overdue groups)`` of the mentor in ``round``, in one query (the home page's
    pager and its warning)."""
    rows = (
        Assignment.objects.filter(mentor=mentor, round=round)
        .with_visit_facts()
        .order_by()
        .values("overdue")
        .annotate(n=Count("id"))
    )
    counts = {row["overdue"]: row["n"] for row in rows}
    return sum(counts.values()), counts.get(True, 0)


def upcoming_sessions(mentor: Mentor) -> QuerySet:
    return EducationSession.objects.filter(mentor=mentor).upcoming().annotate(invited=Count("invitations"))


def not_a_mentor() -> NotFound:
    """The 404 for someone without a mentor profile who opens a mentor page."""
    return NotFound(
        _("These pages are for the support team's mentors. Your own pages are in the menu."),
        next_url=reverse("home"),
        next_label=_("Go to the start page"),
    )


def assignment_for_mentor(user, group_id: int) -> Assignment:
    """The group's assignment to this user's mentor profile in the current round; 404 for anyone
    else, a former mentor of the group included (see ``mentors.access``), with what to do instead."""
    if not getattr(user, "is_mentor", False):
        raise not_a_mentor()
    round_ = current_round()
    assignment = (
        Assignment.objects.filter(mentor__user=user, group_id=group_id, round=round_)
        .select_related("group", "group__dong", "group__representative", "round", "mentor")
        .first()
        if round_ is not None
        else None
    )
    if assignment is None:
        raise NotFound(
            _(
                "This group is not one of your groups, so its page is not open to you. Your groups are listed on "
                "your mentor home. If it should be yours, ask the district office to assign it to you."
            ),
            next_url=reverse("mentors:home"),
            next_label=_("Go to my groups"),
        )
    return assignment


def group_application(group: CommunityGroup, round: GrantRound) -> Application | None:
    """The group's application in the round, with budget lines and attachments (three queries)."""
    return (
        Application.objects.filter(group=group, round=round)
        .select_related("field")
        .prefetch_related("budget_lines", "attachments")
        .first()
    )


def group_visits(group: CommunityGroup) -> QuerySet:
    return (
        CoachingVisit.objects.filter(group=group)
        .select_related("mentor__user", "forum")
        .prefetch_related("follow_ups", "photos")
        .order_by("-date", "-id")
    )


def forums_for_group(group: CommunityGroup) -> QuerySet:
    """Forums of the networks the group belongs to: the ones a network-support visit can be about."""
    return Forum.objects.filter(network__memberships__group=group).select_related("network").distinct()


def group_for_resident(user, group_id: int) -> CommunityGroup:
    """The group this user represents; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    group = CommunityGroup.objects.filter(pk=group_id, representative=user).select_related("dong").first()
    if group is None:
        raise Http404
    return group


def resident_visit_summaries(group: CommunityGroup) -> QuerySet:
    """What the group sees of its visits: never the private notes (deferred, never rendered)."""
    return (
        CoachingVisit.objects.filter(group=group)
        .only("id", "date", "kind", "duration_minutes", "topics", "group_id", "mentor__user__name")
        .select_related("mentor__user")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_date", "id")))
        .order_by("-date", "-id")
    )


def resident_session_invitations(group: CommunityGroup) -> QuerySet:
    return SessionInvitation.objects.filter(group=group).select_related("session").order_by("-session__starts_at")


def session_for_mentor(user, session_id: int) -> EducationSession:
    """A session this user's mentor profile runs; 404 for anyone else."""
    if not getattr(user, "is_mentor", False):
        raise not_a_mentor()
    session = EducationSession.objects.filter(pk=session_id, mentor__user=user).first()
    if session is None:
        raise Http404
    return session


# --- Staff coverage ------------------------------------------------------------------


def visits_per_mentor_per_month(*, since: datetime.date) -> list[dict]:
    """Rows of (mentor id, month, visits) since the first of ``since``'s month."""
    return list(
        CoachingVisit.objects.filter(date__gte=since.replace(day=1))
        .annotate(month=TruncMonth("date"))
        .values("mentor_id", "month")
        .annotate(visits=Count("id"))
        .order_by("mentor_id", "month")
    )


def groups_without_recent_visit(round: GrantRound) -> QuerySet:
    return (
        assignments_with_visit_facts(Assignment.objects.filter(round=round))
        .filter(overdue=True)
        .select_related("mentor__user")
    )


def overdue_follow_ups() -> QuerySet:
    return (
        FollowUp.objects.filter(done_at__isnull=True, due_date__lt=timezone.localdate())
        .select_related("visit__group", "visit__mentor__user")
        .order_by("due_date", "id")
    )


def mentor_groups(mentor: Mentor, round: GrantRound | None) -> QuerySet:
    """The groups assigned to the mentor in the round, by name (for invitations)."""
    if round is None:
        return CommunityGroup.objects.none()
    return CommunityGroup.objects.filter(mentor_assignments__mentor=mentor, mentor_assignments__round=round).order_by(
        "name"
    )
