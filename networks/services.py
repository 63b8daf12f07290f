"""Writes to networks, memberships, forums, registrations and decisions.

Membership rules:
- every dong has exactly one dong network, created with the dong;
- a group is an *automatic* member of its dong's network and of every regional network of its
  dong's region; when the group's dong (or the dong's region) changes, the automatic
  memberships follow;
- staff and coordinators add groups from elsewhere to a regional network by hand (*manual*
  memberships), which no resync ever removes.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from networks.models import (
    CommunityGroup,
    Decision,
    Dong,
    Forum,
    ForumRegistration,
    GroupChange,
    Network,
    NetworkMembership,
)

AUTOMATIC = NetworkMembership.Source.AUTOMATIC
MANUAL = NetworkMembership.Source.MANUAL


class ForumFull(ValidationError):
    """Every place at the forum is taken."""

    def __init__(self):
        super().__init__(_("Sorry, this forum is full: every place is taken."), code="forum_full")


class AlreadyRegistered(ValidationError):
    def __init__(self):
        super().__init__(_("You are already registered for this forum."), code="already_registered")


class RegistrationClosed(ValidationError):
    def __init__(self):
        super().__init__(_("Registration has closed: this forum has already started."), code="registration_closed")


class ForumNotStarted(ValidationError):
    def __init__(self):
        super().__init__(
            _("Attendance, minutes and decisions can be recorded once the forum has started."),
            code="forum_not_started",
        )


# --- Membership ---------------------------------------------------------------------------


# --- group history ------------------------------------------------------------------------

GROUP_RECORDED_FIELDS = ["name", "kind", "dong", "member_count", "contact_phone", "contact_email", "description"]


def group_state(group: CommunityGroup) -> dict:
    """The group as plain data (the dong by id and name, the participants by name and role),
    for the change history and for an application's snapshot at submission."""
    state = {name: getattr(group, name) for name in GROUP_RECORDED_FIELDS if name != "dong"}
    dong = Dong.objects.get(pk=group.dong_id) if group.dong_id else None
    state["dong"] = {"id": dong.pk, "name": dong.name} if dong else None
    state["members"] = [{"name": m.name, "role": m.role} for m in group.members.order_by("order", "id")]
    return state


def record_group_change(*, group: CommunityGroup, by, before: dict) -> GroupChange | None:
    """Compare the group now with ``before`` (``group_state`` taken before the edit) and record
    what changed, by whom and when. Nothing changed: no row."""
    after = group_state(group)
    changes = {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
    if not changes:
        return None
    return GroupChange.objects.create(group=group, by=by, changes=changes)


def _automatic_network_ids(group: CommunityGroup) -> set[int]:
    """The networks ``group`` belongs to by place: its dong's network and its region's networks."""
    place = Q(kind=Network.Kind.DONG, dong_id=group.dong_id)
    region_id = Dong.objects.filter(pk=group.dong_id).values_list("region_id", flat=True).first()
    if region_id is not None:
        place |= Q(kind=Network.Kind.REGIONAL, region_id=region_id)
    return set(Network.objects.filter(place).values_list("pk", flat=True))


@transaction.atomic
def ensure_dong_network(*, dong: Dong) -> Network:
    """Return the dong's network, creating it (named after the dong) if it does not exist."""
    network = Network.objects.filter(kind=Network.Kind.DONG, dong=dong).first()
    if network is None:
        # The name is stored data: write it in the site's language, not the current visitor's.
        with translation.override(settings.LANGUAGE_CODE):
            name = gettext("%(dong)s village network") % {"dong": dong.name}
        network = Network.objects.create(kind=Network.Kind.DONG, district_id=dong.district_id, dong=dong, name=name)
    return network


@transaction.atomic
def sync_group_networks(*, group: CommunityGroup) -> None:
    """Make the group's automatic memberships match its dong and region (manual ones stay)."""
    wanted = _automatic_network_ids(group)
    NetworkMembership.objects.filter(group=group, source=AUTOMATIC).exclude(network_id__in=wanted).delete()
    NetworkMembership.objects.bulk_create(
        [NetworkMembership(network_id=network_id, group=group, source=AUTOMATIC) for network_id in wanted],
        ignore_conflicts=True,
    )


@transaction.atomic
def sync_network(*, network: Network) -> None:
    """Make the network's automatic members match its dong (or its region's dongs), in a
    constant number of queries however many groups there are. Manual members stay."""
    if network.kind == Network.Kind.DONG:
        groups = CommunityGroup.objects.filter(dong_id=network.dong_id)
    else:
        groups = CommunityGroup.objects.filter(dong__region_id=network.region_id)
    group_ids = list(groups.values_list("pk", flat=True))
    NetworkMembership.objects.filter(network=network, source=AUTOMATIC).exclude(group_id__in=group_ids).delete()
    NetworkMembership.objects.bulk_create(
        [NetworkMembership(network=network, group_id=group_id, source=AUTOMATIC) for group_id in group_ids],
        ignore_conflicts=True,
    )


@transaction.atomic
def sync_dong(*, dong: Dong) -> None:
    """After a dong is saved: make sure it has its network, and move its groups' regional
    memberships to the dong's current region."""
    network = ensure_dong_network(dong=dong)
    sync_network(network=network)
    regional = Network.objects.filter(kind=Network.Kind.REGIONAL)
    wanted = list(regional.filter(region_id=dong.region_id).values_list("pk", flat=True)) if dong.region_id else []
    group_ids = list(dong.groups.values_list("pk", flat=True))
    NetworkMembership.objects.filter(
        group_id__in=group_ids, source=AUTOMATIC, network__kind=Network.Kind.REGIONAL
    ).exclude(network_id__in=wanted).delete()
    NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(network_id=network_id, group_id=group_id, source=AUTOMATIC)
            for network_id in wanted
            for group_id in group_ids
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def resync_all() -> int:
    """Create missing dong networks and rebuild every automatic membership. Returns the
    number of networks synced. Safe to run at any time (the admin action and
    ``manage.py resync_networks`` call it)."""
    for dong in Dong.objects.filter(networks__isnull=True):
        ensure_dong_network(dong=dong)
    networks = list(Network.objects.all())
    for network in networks:
        sync_network(network=network)
    return len(networks)


def _check_regional(network: Network) -> None:
    if network.kind != Network.Kind.REGIONAL:
        raise ValidationError(
            _("Groups join a dong network by their dong; only regional networks take groups by hand."),
            code="not_regional",
        )


@transaction.atomic
def add_group_to_network(*, network: Network, group: CommunityGroup) -> NetworkMembership:
    """Add ``group`` to a regional network by hand. A group already there stays as it is."""
    _check_regional(network)
    membership, _created = NetworkMembership.objects.get_or_create(
        network=network, group=group, defaults={"source": MANUAL}
    )
    return membership


@transaction.atomic
def remove_group_from_network(*, network: Network, group: CommunityGroup) -> None:
    """Remove a group added by hand. Members by place leave only when their dong changes."""
    _check_regional(network)
    membership = NetworkMembership.objects.filter(network=network, group=group).first()
    if membership is None:
        return
    if membership.source == AUTOMATIC:
        raise ValidationError(
            _("This group belongs to the network through its dong; change the dong's region instead."),
            code="automatic_membership",
        )
    membership.delete()


# --- Forums -------------------------------------------------------------------------------


@transaction.atomic
def schedule_forum(*, network: Network, organiser, **fields) -> Forum:
    """Create a forum of ``network`` organised by ``organiser``."""
    forum = Forum(network=network, organiser=organiser, **fields)
    forum.full_clean()
    forum.save()
    return forum


def check_capacity(*, forum: Forum, capacity: int | None) -> None:
    """The one home of "a capacity never drops below the places already taken" (the service
    checks it under the forum's row lock; the admin form asks it to show the error in place)."""
    if capacity is None or forum.pk is None:
        return
    taken = forum.registrations.filter(cancelled_at__isnull=True).count()
    if capacity < taken:
        raise ValidationError(
            {
                "capacity": ValidationError(
                    _("%(taken)d people have already registered: the capacity cannot be lower."),
                    code="capacity_below_registrations",
                    params={"taken": taken},
                )
            }
        )


@transaction.atomic
def update_forum(*, forum: Forum, **fields) -> Forum:
    """Change a forum's details. The capacity never drops below the places already taken."""
    locked = Forum.objects.select_for_update().get(pk=forum.pk)
    if "capacity" in fields:
        check_capacity(forum=locked, capacity=fields["capacity"])
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def register(*, forum: Forum, user, group: CommunityGroup | None = None) -> ForumRegistration:
    """Give ``user`` a place at ``forum``, optionally on behalf of one of their groups.

    The forum row is locked (``SELECT ... FOR UPDATE``) before the active registrations are
    counted, so concurrent registrations queue up and the capacity is never exceeded.
    A forum not open to all takes only representatives registering for a member group.
    Raises ``RegistrationClosed``, ``AlreadyRegistered``, ``ForumFull`` or a ``ValidationError``.
    """
    locked = Forum.objects.select_for_update().get(pk=forum.pk)
    if locked.has_started:
        raise RegistrationClosed()
    if group is not None and group.representative_id != user.pk:
        raise ValidationError(_("You can only register on behalf of a group you represent."), code="not_your_group")
    if not locked.open_to_all and (
        group is None or not NetworkMembership.objects.filter(network_id=locked.network_id, group=group).exists()
    ):
        raise ValidationError(
            _("This forum is for the network's member groups: register on behalf of your member group."),
            code="members_only",
        )
    active = ForumRegistration.objects.filter(forum=locked, cancelled_at__isnull=True)
    if active.filter(user=user).exists():
        raise AlreadyRegistered()
    if active.count() >= locked.capacity:
        raise ForumFull()
    return ForumRegistration.objects.create(forum=locked, user=user, group=group)


@transaction.atomic
def cancel_registration(*, registration: ForumRegistration) -> ForumRegistration:
    """Cancel a registration (kept with ``cancelled_at`` for the record); frees the place."""
    locked = ForumRegistration.objects.select_for_update().get(pk=registration.pk)
    if locked.cancelled_at is None:
        if locked.forum.has_started:
            raise ValidationError(_("The forum has already started; it is too late to cancel."), code="too_late")
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
    return locked


@transaction.atomic
def record_outcome(*, forum: Forum, attended_ids, walk_in_count: int, minutes: str) -> Forum:
    """Record who came (registration ids marked present; the other active ones absent),
    the walk-ins and the minutes. Only once the forum has started."""
    locked = Forum.objects.select_for_update().get(pk=forum.pk)
    if not locked.has_started:
        raise ForumNotStarted()
    active = locked.registrations.filter(cancelled_at__isnull=True)
    attended_ids = {int(pk) for pk in attended_ids}
    active.filter(pk__in=attended_ids).update(attended=True)
    active.exclude(pk__in=attended_ids).update(attended=False)
    locked.walk_in_count = walk_in_count
    locked.minutes = minutes
    locked.attendance_recorded_at = timezone.now()
    locked.save(update_fields=["walk_in_count", "minutes", "attendance_recorded_at", "updated_at"])
    return locked


@transaction.atomic
def add_decision(*, forum: Forum, text: str, owner: str = "", due_date=None) -> Decision:
    """Record a decision the forum took, with who carries it out and by when."""
    if not forum.has_started:
        raise ForumNotStarted()
    decision = Decision(forum=forum, text=text, owner=owner, due_date=due_date)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def set_decision_done(*, decision: Decision, done: bool = True) -> Decision:
    """Mark a decision carried out (or reopen it)."""
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if done and locked.done_at is None:
        locked.done_at = timezone.now()
    elif not done:
        locked.done_at = None
    locked.save(update_fields=["done_at"])
    return locked


def publish_group_description(*, group: CommunityGroup) -> None:
    """Make the group's description public from now on (once; later calls change nothing).
    ``grants`` calls it when a funding decision for the group is released."""
    CommunityGroup.objects.filter(pk=group.pk, description_public_since__isnull=True).update(
        description_public_since=timezone.now()
    )
