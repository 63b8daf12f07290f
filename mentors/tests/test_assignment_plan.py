"""Properties of the assignment planner, on random districts (no database)."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from mentors.services import plan_assignment


@st.composite
def districts(draw):
    mentor_ids = draw(st.lists(st.integers(1, 50), min_size=1, max_size=5, unique=True))
    free_regions = sorted(draw(st.lists(st.sampled_from(["A", "B", "C", "D", None]), max_size=60)), key=str)
    pinned = {pk: draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), max_size=2)) for pk in mentor_ids}
    current = {pk: Counter(draw(st.lists(st.sampled_from(["A", "B", "C", "D"]), max_size=5))) for pk in mentor_ids}
    return mentor_ids, free_regions, pinned, current


@settings(max_examples=150, deadline=None)
@given(districts())
def test_the_plan_places_every_free_group_once_and_balances_loads(district):
    mentor_ids, free_regions, pinned, current = district
    capacities, quotas = plan_assignment(
        mentor_ids=mentor_ids, free_regions=free_regions, pinned_regions=pinned, current=current
    )
    assert sum(quotas.values(), Counter()) == Counter(free_regions)
    for pk in mentor_ids:
        assert sum(quotas[pk].values()) == capacities[pk] - len(pinned[pk])
    pinned_most = max(len(p) for p in pinned.values())
    if min(capacities.values()) >= pinned_most:  # the pins leave room to balance
        assert max(capacities.values()) - min(capacities.values()) <= 1


@settings(max_examples=60, deadline=None)
@given(districts())
def test_planning_again_from_its_own_result_keeps_everything(district):
    mentor_ids, free_regions, pinned, _current = district
    _capacities, first = plan_assignment(
        mentor_ids=mentor_ids, free_regions=free_regions, pinned_regions=pinned, current={}
    )
    _capacities, second = plan_assignment(
        mentor_ids=mentor_ids, free_regions=free_regions, pinned_regions=pinned, current=first
    )
    assert second == first
