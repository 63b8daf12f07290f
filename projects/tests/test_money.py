"""Settlement arithmetic over generated ledgers: whole won, never negative, nothing lost."""

from hypothesis import given
from hypothesis import strategies as st

from projects.money import subsidy_to_return

won = st.integers(min_value=1, max_value=50_000_000)


@st.composite
def ledgers(draw):
    """An award, the instalments paid within it, and expenses reviewed by staff, where
    accepted subsidy spending never exceeds what was paid (as the database guarantees)."""
    award = draw(st.integers(min_value=1, max_value=100_000_000))
    instalments = draw(st.lists(st.integers(min_value=1, max_value=award), min_size=0, max_size=4))
    disbursed = 0
    for amount in instalments:
        if disbursed + amount <= award:
            disbursed += amount
    expenses = draw(st.lists(st.tuples(won, st.booleans()), max_size=40))
    spent, accepted = 0, 0
    for amount, ok in expenses:
        if spent + amount > disbursed:
            continue
        spent += amount
        accepted += amount if ok else 0
    interest = draw(st.integers(min_value=0, max_value=1_000_000))
    return award, disbursed, spent, accepted, interest


@given(ledgers())
def test_return_is_disbursed_minus_accepted_spending_plus_interest(ledger):
    award, disbursed, spent, accepted, interest = ledger
    returned = subsidy_to_return(disbursed=disbursed, accepted_subsidy=accepted, interest=interest, award=award)
    assert isinstance(returned, int)
    assert returned == disbursed - accepted + interest
    assert returned >= interest >= 0
    # Every won paid out is either accepted spending or returned: no rounding loss.
    assert accepted + (returned - interest) == disbursed


@given(ledgers(), st.integers(min_value=0, max_value=100_000_000))
def test_after_a_reduction_everything_paid_above_the_new_award_comes_back(ledger, reduced):
    award, disbursed, _spent, accepted, interest = ledger
    reduced = min(reduced, award)
    returned = subsidy_to_return(disbursed=disbursed, accepted_subsidy=accepted, interest=interest, award=reduced)
    assert returned >= 0
    assert returned - interest >= disbursed - reduced
    assert returned == disbursed - min(accepted, reduced) + interest
