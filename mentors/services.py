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
class AutoAssignResult:
    created: int = 0
    moved: int = 0
    unchanged: int = 0
    pinned: int = 0
    loads: dict = field(default_factory=dict)


def _round_group_ids(round: GrantRound) -> set[int]:
    """Groups that need a mentor in the round: those with a live application, plus any already assigned."""
    live = Application.objects.filter(round=round).exclude(
        status__in=[Application.Status.REJECTED, Application.Status.WITHDRAWN]
    )
    return set(live.values_list("group_id", flat=True)) | set(
        Assignment.objects.filter(round=round).values_list("group_id", flat=True)
    )


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


@transaction.atomic
def auto_assign(*, round: GrantRound, by) -> AutoAssignResult:
    """Balance the round's groups across the active mentors, never moving a pinned assignment.

    Loads (pinned groups included) end up at most one apart, each mentor's groups lie in as few
    regions as ``plan_assignment`` can manage, and within a region a group stays with its current
    mentor whenever that mentor still takes groups there. Every assignment made or moved is
    recorded as an AssignmentChange.
    """
    _lock_round(round.pk)
    mentors = list(Mentor.objects.filter(active=True).order_by("pk"))
    result = AutoAssignResult()
    if not mentors:
        return result
    existing = {a.group_id: a for a in Assignment.objects.select_for_update().filter(round=round)}
    groups = list(CommunityGroup.objects.filter(pk__in=_round_group_ids(round)).select_related("dong", "dong__region"))
    mentor_ids = [m.pk for m in mentors]
    pinned = {gid: a for gid, a in existing.items() if a.pinned}
    result.pinned = len(pinned)

    def place_key(group):
        region = group.dong.region
        return (region is None, region.name if region else "", group.dong.order, group.dong.name, group.name, group.pk)

    groups.sort(key=place_key)
    free_groups = [g for g in groups if g.pk not in pinned]
    region_of = {g.pk: g.dong.region_id for g in groups}
    pinned_regions, current = defaultdict(list), defaultdict(Counter)
    for gid, a in pinned.items():
        if a.mentor_id in mentor_ids and gid in region_of:
            pinned_regions[a.mentor_id].append(region_of[gid])
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

    now = timezone.now()
    to_create, to_update, changes = [], [], []
    for group in free_groups:
        mentor_id = target[group.pk]
        current = existing.get(group.pk)
        from_mentor_id = current.mentor_id if current else None
        if from_mentor_id == mentor_id:
            result.unchanged += 1
            continue
        if current is None:
            to_create.append(Assignment(group=group, round=round, mentor_id=mentor_id))
            result.created += 1
        else:
            current.mentor_id = mentor_id
            to_update.append(current)
            result.moved += 1
        changes.append(
            AssignmentChange(
                group=group,
                round=round,
                from_mentor_id=from_mentor_id,
                to_mentor_id=mentor_id,
                by=by,
                at=now,
                reason=AssignmentChange.Reason.AUTO,
            )
        )
    Assignment.objects.bulk_create(to_create)
    Assignment.objects.bulk_update(to_update, ["mentor"])
    AssignmentChange.objects.bulk_create(changes)
    result.loads = {mentor.pk: capacities[mentor.pk] for mentor in mentors}
    return result
