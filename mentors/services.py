"""Writes of the support team: visits, follow-ups, photos, education sessions and assignments.

Every function takes keyword arguments, runs in a transaction and never sees an HttpRequest.
"""

import datetime
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import filetype
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models import Application, GrantRound
from grants.uploads import check_image
from mentors.models import (
    Assignment,
    AssignmentChange,
    CoachingVisit,
    EducationSession,
    FollowUp,
    Mentor,
    SessionInvitation,
    VisitPhoto,
)
from networks.models import CommunityGroup

# --- Photos ---------------------------------------------------------------------------


def photo_content_type(upload) -> str:
    """The photo's real type, read from its first bytes (never from its name or the browser's
    claim); raises ValidationError unless it is a JPEG or PNG of at most 10 MB."""
    if upload.size > VisitPhoto.MAX_BYTES:
        raise ValidationError(_("“%(name)s” is larger than 10 MB."), params={"name": upload.name}, code="too_big")
    upload.seek(0)
    kind = filetype.guess(upload.read(261))
    upload.seek(0)
    if kind is None or kind.mime not in VisitPhoto.ALLOWED_TYPES:
        raise ValidationError(_("“%(name)s” is not a JPG or PNG photo."), params={"name": upload.name}, code="bad_type")
    check_image(upload)  # decodes, and refuses a decompression bomb
    return kind.mime


def _store_photos(visit: CoachingVisit, photos) -> None:
    for upload in photos:
        content_type = photo_content_type(upload)
        photo = VisitPhoto(visit=visit, original_name=upload.name[:255], content_type=content_type, size=upload.size)
        photo.file.save(upload.name, upload, save=False)
        photo.save()


# --- Visits and follow-ups ------------------------------------------------------------


@dataclass
class FollowUpData:
    description: str
    owner: str = ""
    due_date: datetime.date | None = None
    id: int | None = None
    delete: bool = False


def _save_follow_ups(visit: CoachingVisit, follow_ups: list[FollowUpData]) -> None:
    existing = {f.pk: f for f in visit.follow_ups.all()} if visit.pk else {}
    for item in follow_ups:
        current = existing.get(item.id) if item.id else None
        if item.id and current is None:
            continue  # an id that is not this visit's: ignore rather than touch another visit
        if current is not None and item.delete:
            current.delete()
        elif current is not None:
            current.description, current.owner, current.due_date = item.description, item.owner, item.due_date
            current.save(update_fields=["description", "owner", "due_date"])
        elif not item.delete and item.description:
            FollowUp.objects.create(visit=visit, description=item.description, owner=item.owner, due_date=item.due_date)


def refresh_last_visits(*, group_ids=None) -> int:
    """Set ``Assignment.last_visit_on`` to each group's latest visit date, for ``group_ids``
    (every group when None); return how many assignments were updated. Called for every saved or
    deleted visit (``mentors.signals``) and after bulk loads (the demo data). One UPDATE."""
    assignments = Assignment.objects.all() if group_ids is None else Assignment.objects.filter(group_id__in=group_ids)
    latest = CoachingVisit.objects.filter(group=OuterRef("group")).order_by("-date").values("date")[:1]
    return assignments.update(last_visit_on=Subquery(latest))


@transaction.atomic
def log_visit(
    *,
    mentor: Mentor,
    group: CommunityGroup,
    date: datetime.date,
    kind: str,
    duration_minutes: int = 60,
    attendees: int = 0,
    topics: str = "",
    notes: str = "",
    forum=None,
    follow_ups: list[FollowUpData] = (),
    photos=(),
) -> CoachingVisit:
    """Record a visit with its follow-up actions and photos."""
    visit = CoachingVisit.objects.create(
        mentor=mentor,
        group=group,
        date=date,
        kind=kind,
        duration_minutes=duration_minutes,
        attendees=attendees,
        topics=topics,
        notes=notes,
        forum=forum,
    )
    _save_follow_ups(visit, list(follow_ups))
    _store_photos(visit, photos)
    return visit


@transaction.atomic
def update_visit(
    *, visit: CoachingVisit, by, changes: dict, follow_ups: list[FollowUpData] = (), photos=()
) -> CoachingVisit:
    """Change a visit within its edit window; only its own mentor may."""
    visit = CoachingVisit.objects.select_for_update().select_related("mentor").get(pk=visit.pk)
    if not visit.editable_by(by):
        raise PermissionDenied
    allowed = {"date", "kind", "duration_minutes", "attendees", "topics", "notes", "forum"}
    for name, value in changes.items():
        if name in allowed:
            setattr(visit, name, value)
    visit.save()
    _save_follow_ups(visit, list(follow_ups))
    _store_photos(visit, photos)
    return visit


@transaction.atomic
def mark_follow_up_done(*, follow_up: FollowUp, by) -> FollowUp:
    """Mark a follow-up done once; marking it again changes nothing."""
    FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(done_at=timezone.now(), done_by=by)
    follow_up.refresh_from_db(fields=["done_at", "done_by"])
    return follow_up


# --- Education sessions -----------------------------------------------------------------


@transaction.atomic
def schedule_session(
    *,
    mentor: Mentor,
    title: str,
    starts_at: datetime.datetime,
    place: str,
    capacity: int,
    groups,
    description: str = "",
) -> EducationSession:
    """Schedule a literacy-education session and invite groups to it."""
    session = EducationSession.objects.create(
        mentor=mentor, title=title, starts_at=starts_at, place=place, capacity=capacity, description=description
    )
    SessionInvitation.objects.bulk_create([SessionInvitation(session=session, group=group) for group in groups])
    return session


@transaction.atomic
def record_attendance(*, session: EducationSession, by, attendance: dict[int, tuple[bool, int]]) -> None:
    """Record, per invited group id, whether it came and with how many people."""
    if session.mentor.user_id != by.pk:
        raise PermissionDenied
    invitations = list(SessionInvitation.objects.select_for_update().filter(session=session))
    for invitation in invitations:
        if invitation.group_id in attendance:
            attended, attendees = attendance[invitation.group_id]
            invitation.attended = attended
            invitation.attendees = attendees if attended else 0
    SessionInvitation.objects.bulk_update(invitations, ["attended", "attendees"])


# --- Assignments ------------------------------------------------------------------------


def _lock_round(round_id: int) -> None:
    """Serialise assignment writes per round: two auto-assign runs, or a run and a hand-made
    assignment, would otherwise both create a row for the same group."""
    GrantRound.objects.select_for_update().filter(pk=round_id).values_list("pk", flat=True).first()


@transaction.atomic
def save_manual_assignment(*, assignment: Assignment, by) -> Assignment:
    """Save an assignment made by staff by hand, and record the change if the mentor changed.

    A new assignment, or one whose mentor staff changed, is pinned: auto-assign leaves it be.
    """
    _lock_round(assignment.round_id)
    previous = (
        Assignment.objects.select_for_update().filter(pk=assignment.pk).values_list("mentor_id", flat=True).first()
        if assignment.pk
        else None
    )
    if previous != assignment.mentor_id:
        assignment.pinned = True
    assignment.save()
    if previous != assignment.mentor_id:
        AssignmentChange.objects.create(
            group_id=assignment.group_id,
            round_id=assignment.round_id,
            from_mentor_id=previous,
            to_mentor_id=assignment.mentor_id,
            by=by,
            reason=AssignmentChange.Reason.MANUAL,
        )
    return assignment


@dataclass
class PlannedChange:
    """One assignment auto-assign would make (``from_mentor`` None) or move."""

    group: CommunityGroup
    from_mentor: Mentor | None
    to_mentor: Mentor


@dataclass
class AutoAssignResult:
    """The plan (and, once applied, the outcome) of an auto-assign run.

    ``kept`` counts existing pairs left alone because moving them was not asked for;
    ``changes`` lists every assignment made or moved, for the preview and the notices."""

    created: int = 0
    moved: int = 0
    unchanged: int = 0
    pinned: int = 0
    kept: int = 0
    loads: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """Identifies the plan, so a confirmation applies exactly the plan that was shown."""
        import hashlib

        rows = sorted((c.group.pk, c.from_mentor.pk if c.from_mentor else 0, c.to_mentor.pk) for c in self.changes)
        return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


class PlanChanged(ValidationError):
    def __init__(self):
        super().__init__(
            _("The assignments changed since the preview. Look at the new preview and confirm again."),
            code="plan_changed",
        )


# The application statuses that make a group need a mentor: submitted (and in any later
# stage of review, or sent back for changes) or funded. Drafts, rejections and withdrawals do not.
NEEDS_A_MENTOR = [
    Application.Status.SUBMITTED,
    Application.Status.SCREENING,
    Application.Status.IN_REVIEW,
    Application.Status.CHANGES_REQUESTED,
    Application.Status.APPROVED,
]


def _round_group_ids(round: GrantRound) -> set[int]:
    """Groups that need a mentor in the round: those with a submitted or funded application."""
    return set(Application.objects.filter(round=round, status__in=NEEDS_A_MENTOR).values_list("group_id", flat=True))


def _capacities(mentor_ids: list[int], pinned_load: Counter, free: int) -> dict[int, int]:
    """Give each free slot to the least-loaded mentor: loads end up at most one apart
    whenever the pinned groups allow it."""
    loads = {pk: pinned_load[pk] for pk in mentor_ids}
    for _slot in range(free):
        least = min(loads, key=lambda pk: (loads[pk], pk))
        loads[least] += 1
    return loads


EXHAUSTIVE_MENTOR_LIMIT = 7  # 7! = 5,040 orders to try; beyond that a heuristic order


def plan_assignment(
    *,
    mentor_ids: list[int],
    free_regions: list,
    pinned_regions: dict[int, list],
    current: dict[int, Counter],
) -> tuple[dict[int, int], list[dict]]:
    """Decide how many free groups of each region each mentor takes.

    ``free_regions`` is the region of every free group, in place order (region → dong → name);
    ``pinned_regions`` the regions of each mentor's pinned groups; ``current`` each mentor's
    current free groups counted by region. Free groups are cut into consecutive runs, one per
    mentor, so a mentor's run touches as few regions as possible. The order of the runs is
    chosen to minimise the regions per mentor summed (pinned groups included), then to keep as
    many current assignments as possible; the choice depends only on the inputs, so running it
    again on its own result changes nothing.
    Returns the capacities (pinned included) and, per mentor, a Counter of regions to take.
    """
    pinned_load = Counter({pk: len(pinned_regions.get(pk, [])) for pk in mentor_ids})
    capacities = _capacities(mentor_ids, pinned_load, len(free_regions))
    takes = {pk: capacities[pk] - pinned_load[pk] for pk in mentor_ids}

    def quotas_for(order):
        quotas, position = {}, 0
        for pk in order:
            quotas[pk] = Counter(free_regions[position : position + takes[pk]])
            position += takes[pk]
        return quotas

    def score(order):
        quotas = quotas_for(order)
        spread = sum(len(set(quotas[pk]) | set(pinned_regions.get(pk, []))) for pk in order)
        kept = sum(min(n, current.get(pk, Counter())[region]) for pk in order for region, n in quotas[pk].items())
        return spread, -kept

    if len(mentor_ids) <= EXHAUSTIVE_MENTOR_LIMIT:
        orders = itertools.permutations(sorted(mentor_ids))
    else:
        rank = {region: i for i, region in enumerate(dict.fromkeys(free_regions))}

        def home(pk):
            regions = pinned_regions.get(pk) or []
            return min((rank.get(r, len(rank)) for r in regions), default=len(rank))

        orders = [sorted(mentor_ids, key=lambda pk: (home(pk), pk))]
    best = min(orders, key=score)
    return capacities, quotas_for(best)


def auto_assign_plan(*, round: GrantRound, move_existing: bool = False, _lock: bool = False) -> AutoAssignResult:
    """What auto-assign would do in ``round``, without writing anything (the preview).

    Only groups with a submitted or funded application are assigned. Pinned assignments never
    move; other existing pairs stay too unless ``move_existing`` (then the whole round is
    rebalanced). A group whose mentor is no longer active always needs a new one. Loads
    (fixed groups included) end up as even as the fixed groups allow, each mentor's groups lie
    in as few regions as ``plan_assignment`` can manage, and within a region a group stays with
    its current mentor whenever that mentor still takes groups there.
    """
    mentors = list(Mentor.objects.filter(active=True).select_related("user").order_by("pk"))
    result = AutoAssignResult()
    if not mentors:
        return result
    assignments = Assignment.objects.filter(round=round).select_related("mentor__user")
    if _lock:
        assignments = assignments.select_for_update(of=("self",))
    existing = {a.group_id: a for a in assignments}
    needing = _round_group_ids(round)
    groups = list(CommunityGroup.objects.filter(pk__in=needing | set(existing)).select_related("dong", "dong__region"))
    mentor_ids = [m.pk for m in mentors]
    by_pk = {m.pk: m for m in mentors}
    result.pinned = sum(1 for a in existing.values() if a.pinned)

    def fixed(gid) -> bool:
        assignment = existing.get(gid)
        if assignment is None:
            return False
        if assignment.pinned or gid not in needing:
            return True  # staff's choice, or a group auto-assign no longer takes: left alone
        return not move_existing and assignment.mentor_id in by_pk

    def place_key(group):
        region = group.dong.region
        return (region is None, region.name if region else "", group.dong.order, group.dong.name, group.name, group.pk)

    groups.sort(key=place_key)
    fixed_ids = {g.pk for g in groups if fixed(g.pk)}
    result.kept = sum(1 for gid in fixed_ids if not existing[gid].pinned)
    free_groups = [g for g in groups if g.pk not in fixed_ids]
    region_of = {g.pk: g.dong.region_id for g in groups}
    pinned_regions, current = defaultdict(list), defaultdict(Counter)
    for gid in fixed_ids:
        if existing[gid].mentor_id in by_pk:
            pinned_regions[existing[gid].mentor_id].append(region_of[gid])
    for group in free_groups:
        if group.pk in existing:
            current[existing[group.pk].mentor_id][region_of[group.pk]] += 1
    capacities, quotas = plan_assignment(
        mentor_ids=mentor_ids,
        free_regions=[region_of[g.pk] for g in free_groups],
        pinned_regions=pinned_regions,
        current=current,
    )

    # Within each region, a group first stays with its current mentor if that mentor takes
    # groups there; the rest fill the remaining places in place order.
    target = {}
    remaining = {pk: Counter(q) for pk, q in quotas.items()}
    for group in free_groups:
        holder = existing[group.pk].mentor_id if group.pk in existing else None
        region = region_of[group.pk]
        if holder in remaining and remaining[holder][region] > 0:
            target[group.pk] = holder
            remaining[holder][region] -= 1
    for group in free_groups:
        if group.pk not in target:
            region = region_of[group.pk]
            pk = next(pk for pk in mentor_ids if remaining[pk][region] > 0)
            target[group.pk] = pk
            remaining[pk][region] -= 1

    for group in free_groups:
        assignment = existing.get(group.pk)
        from_mentor = assignment.mentor if assignment else None
        if from_mentor is not None and from_mentor.pk == target[group.pk]:
            result.unchanged += 1
            continue
        if assignment is None:
            result.created += 1
        else:
            result.moved += 1
        result.changes.append(PlannedChange(group=group, from_mentor=from_mentor, to_mentor=by_pk[target[group.pk]]))
    result.loads = {mentor.pk: capacities[mentor.pk] for mentor in mentors}
    return result


@transaction.atomic
def auto_assign(
    *, round: GrantRound, by, move_existing: bool = False, expected_fingerprint: str | None = None
) -> AutoAssignResult:
    """Apply ``auto_assign_plan`` under the round's lock and record every change.

    With ``expected_fingerprint`` (the preview's), refuses with ``PlanChanged`` when the plan
    is no longer the one staff confirmed. Each mentor whose groups changed is emailed the
    groups they gained and lost, after commit.
    """
    _lock_round(round.pk)
    result = auto_assign_plan(round=round, move_existing=move_existing, _lock=True)
    if expected_fingerprint is not None and result.fingerprint != expected_fingerprint:
        raise PlanChanged()
    if not result.changes:
        return result
    existing = {
        a.group_id: a for a in Assignment.objects.filter(round=round, group__in=[c.group for c in result.changes])
    }
    now = timezone.now()
    to_create, to_update, audit = [], [], []
    for change in result.changes:
        current = existing.get(change.group.pk)
        if current is None:
            to_create.append(Assignment(group=change.group, round=round, mentor=change.to_mentor))
        else:
            current.mentor = change.to_mentor
            to_update.append(current)
        audit.append(
            AssignmentChange(
                group=change.group,
                round=round,
                from_mentor=change.from_mentor,
                to_mentor=change.to_mentor,
                by=by,
                at=now,
                reason=AssignmentChange.Reason.AUTO,
            )
        )
    Assignment.objects.bulk_create(to_create)
    Assignment.objects.bulk_update(to_update, ["mentor"])
    AssignmentChange.objects.bulk_create(audit)
    _notify_mentors_of_changes(round=round, changes=result.changes, at=now)
    return result


def _notify_mentors_of_changes(*, round: GrantRound, changes: list[PlannedChange], at) -> None:
    """One email per mentor whose groups changed: the groups gained and the groups lost."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.translation import gettext

    from notifications.services import queue_email

    gained, lost, mentors = defaultdict(list), defaultdict(list), {}
    for change in changes:
        gained[change.to_mentor.pk].append(change.group)
        mentors[change.to_mentor.pk] = change.to_mentor
        if change.from_mentor is not None:
            lost[change.from_mentor.pk].append(change.group)
            mentors[change.from_mentor.pk] = change.from_mentor
    stamp = at.strftime("%Y%m%d%H%M%S%f")
    for pk, mentor in sorted(mentors.items()):
        user = mentor.user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "round": round,
                "gained": sorted(gained[pk], key=lambda g: g.name),
                "lost": sorted(lost[pk], key=lambda g: g.name),
                "portal_url": settings.PORTAL_BASE_URL,
                "support": settings.SUPPORT_CONTACT,
            }
            queue_email(
                recipient=user.email,
                user=user,
                kind="mentor_assignments_changed",
                subject=gettext("Your groups in %(round)s changed: %(gained)s new, %(lost)s moved to another mentor")
                % {"round": round.title, "gained": len(gained[pk]), "lost": len(lost[pk])},
                body_text=render_to_string("mentors/email/assignments_changed.txt", context),
                body_html=render_to_string("mentors/email/assignments_changed.html", context),
                dedup_key=f"assignments:{round.pk}:{stamp}:mentor:{pk}",
            )
