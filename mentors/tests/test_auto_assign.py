from collections import Counter, defaultdict

import pytest

from accounts.models import User
from grants.models import Application
from mentors.models import Assignment, AssignmentChange, Mentor
from mentors.services import auto_assign, save_manual_assignment
from networks.models import CommunityGroup, Dong
from tests.factories import (
    DistrictFactory,
    FieldFactory,
    GrantRoundFactory,
    MentorFactory,
    RegionFactory,
    UserFactory,
)

GROUPS, DONGS, REGIONS, MENTORS = 109, 18, 4, 6


@pytest.fixture
def district_of_109_groups(db):
    """109 groups with a live application, spread over 18 dongs in 4 regions, built in bulk."""
    district = DistrictFactory()
    regions = [RegionFactory(district=district, name=f"권역{i}") for i in range(REGIONS)]
    dongs = Dong.objects.bulk_create(
        Dong(district=district, region=regions[i % REGIONS], name=f"{i}동", code=f"D{i:02d}", order=i)
        for i in range(DONGS)
    )
    users = User.objects.bulk_create(User(email=f"rep{i}@example.com", name=f"대표{i}") for i in range(GROUPS))
    groups = CommunityGroup.objects.bulk_create(
        CommunityGroup(name=f"공동체{i:03d}", dong=dongs[(i * 7) % DONGS], representative=users[i], member_count=8)
        for i in range(GROUPS)
    )
    grant_round = GrantRoundFactory(district=district)
    field = FieldFactory()
    Application.objects.bulk_create(
        Application(group=g, round=grant_round, field=field, status=Application.Status.APPROVED) for g in groups
    )
    mentors = [MentorFactory() for _ in range(MENTORS)]
    return grant_round, groups, mentors


def loads(grant_round):
    return Counter(
        Assignment.objects.filter(round=grant_round, mentor__active=True).values_list("mentor_id", flat=True)
    )


def regions_summed(pairs) -> int:
    """Sum over mentors of the number of distinct regions their groups lie in."""
    regions = defaultdict(set)
    for mentor_id, region_id in pairs:
        regions[mentor_id].add(region_id)
    return sum(len(r) for r in regions.values())


def round_robin_baseline(groups, mentors, pinned: dict[int, int]) -> int:
    """Regions-per-mentor of the naive way: pinned stay, the rest dealt out one by one in id order."""
    region_of = dict(CommunityGroup.objects.values_list("pk", "dong__region_id"))
    pairs = [(mentor_id, region_of[gid]) for gid, mentor_id in pinned.items()]
    free = [g.pk for g in sorted(groups, key=lambda g: g.pk) if g.pk not in pinned]
    pairs += [(mentors[i % len(mentors)].pk, region_of[gid]) for i, gid in enumerate(free)]
    return regions_summed(pairs)


@pytest.fixture
def pinned(district_of_109_groups, staff):
    """Seven groups assigned by hand: three to the first mentor, two each to two others."""
    grant_round, groups, mentors = district_of_109_groups
    chosen = {0: [groups[3], groups[40], groups[77]], 2: [groups[5], groups[6]], 5: [groups[100], groups[50]]}
    for mentor_index, mentor_groups in chosen.items():
        for group in mentor_groups:
            save_manual_assignment(
                assignment=Assignment(group=group, round=grant_round, mentor=mentors[mentor_index]), by=staff
            )
    return {a.group_id: a.mentor_id for a in Assignment.objects.filter(round=grant_round)}


@pytest.mark.django_db
def test_auto_assign_balances_109_groups_keeps_pins_and_beats_round_robin_on_regions(
    district_of_109_groups, pinned, staff
):
    grant_round, groups, mentors = district_of_109_groups
    assert all(Assignment.objects.filter(pinned=True).values_list("pinned", flat=True))
    assert len(pinned) == 7

    result = auto_assign(round=grant_round, by=staff)

    assert Assignment.objects.filter(round=grant_round).count() == GROUPS
    counts = loads(grant_round)
    assert len(counts) == MENTORS
    assert max(counts.values()) - min(counts.values()) <= 1
    assert {a.group_id: a.mentor_id for a in Assignment.objects.filter(pinned=True)} == pinned
    assert (result.created, result.moved, result.pinned) == (GROUPS - 7, 0, 7)

    actual = regions_summed(
        Assignment.objects.filter(round=grant_round).values_list("mentor_id", "group__dong__region")
    )
    baseline = round_robin_baseline(groups, mentors, pinned)
    print(f"regions per mentor summed: auto-assign {actual}, round-robin {baseline}, loads {sorted(counts.values())}")
    assert actual <= baseline, f"auto-assign spreads mentors over {actual} regions, round-robin over {baseline}"
    assert actual < baseline  # and it is actually better, not merely no worse

    changes = AssignmentChange.objects.filter(reason=AssignmentChange.Reason.AUTO)
    assert changes.count() == GROUPS - 7
    assert set(changes.values_list("by", flat=True)) == {staff.pk}
    assert not changes.filter(from_mentor__isnull=False).exists()


@pytest.mark.django_db
def test_running_auto_assign_twice_moves_nothing(district_of_109_groups, pinned, staff):
    grant_round, _groups, _mentors = district_of_109_groups
    auto_assign(round=grant_round, by=staff)
    before = AssignmentChange.objects.count()
    result = auto_assign(round=grant_round, by=staff)
    assert (result.created, result.moved) == (0, 0)
    assert AssignmentChange.objects.count() == before


@pytest.mark.django_db
def test_when_a_mentor_leaves_their_unpinned_groups_move_and_each_move_is_recorded(
    district_of_109_groups, pinned, staff
):
    grant_round, _groups, mentors = district_of_109_groups
    auto_assign(round=grant_round, by=staff)
    leaving = mentors[1]
    leaving_groups = set(Assignment.objects.filter(mentor=leaving).values_list("group_id", flat=True))
    Mentor.objects.filter(pk=leaving.pk).update(active=False)

    result = auto_assign(round=grant_round, by=staff)

    assert not Assignment.objects.filter(mentor=leaving).exists()
    counts = loads(grant_round)
    assert len(counts) == MENTORS - 1
    assert max(counts.values()) - min(counts.values()) <= 1
    assert {a.group_id: a.mentor_id for a in Assignment.objects.filter(pinned=True)} == pinned
    moves = AssignmentChange.objects.filter(from_mentor=leaving)
    assert set(moves.values_list("group_id", flat=True)) == leaving_groups
    assert result.moved >= len(leaving_groups)
    assert moves.count() <= result.moved


@pytest.mark.django_db
def test_auto_assign_leaves_out_rejected_and_withdrawn_applications(district_of_109_groups, staff):
    grant_round, groups, _mentors = district_of_109_groups
    Application.objects.filter(group__in=groups[:4]).update(status=Application.Status.REJECTED)
    Application.objects.filter(group__in=groups[4:6]).update(status=Application.Status.WITHDRAWN)
    auto_assign(round=grant_round, by=staff)
    assert Assignment.objects.filter(round=grant_round).count() == GROUPS - 6


@pytest.mark.django_db
def test_auto_assign_with_no_active_mentor_does_nothing(district_of_109_groups, staff):
    grant_round, _groups, _mentors = district_of_109_groups
    Mentor.objects.update(active=False)
    result = auto_assign(round=grant_round, by=staff)
    assert result.created == 0
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_a_hand_made_assignment_is_pinned_and_recorded(district_of_109_groups, staff):
    grant_round, groups, mentors = district_of_109_groups
    assignment = save_manual_assignment(
        assignment=Assignment(group=groups[0], round=grant_round, mentor=mentors[0]), by=staff
    )
    assert assignment.pinned
    assignment.mentor = mentors[1]
    save_manual_assignment(assignment=assignment, by=UserFactory())
    change = AssignmentChange.objects.order_by("id").last()
    assert (change.from_mentor, change.to_mentor, change.reason) == (mentors[0], mentors[1], "manual")
