"""Settlement arithmetic in whole won. The one home of the return formula."""


def subsidy_to_return(*, disbursed: int, accepted_subsidy: int, interest: int, award: int) -> int:
    """What the group returns: disbursed − accepted subsidy spending + interest earned.

    Accepted spending counts up to the (possibly reduced) award only, so after a reduction or
    a cancellation whatever was paid above the award is returned too. Integers in, an integer
    out; never negative.
    """
    counted = min(accepted_subsidy, award, disbursed)
    return max(0, disbursed - counted) + max(0, interest)


def percent(part: int, whole: int) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when there is no whole)."""
    return part * 100 // whole if whole else 0
