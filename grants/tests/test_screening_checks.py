"""The automatic eligibility checklist."""

import pytest

from grants import screening, workflow
from grants.models import EligibilityOverride
from grants.tests.factories import AttachmentFactory
from tests.factories import ApplicationFactory, BudgetLineFactory, CommunityGroupFactory, DongFactory, GrantRoundFactory

Check = EligibilityOverride.Check


def results(application):
    return {check.code: check.passed for check in screening.eligibility_checks(application)}


@pytest.mark.django_db
def test_every_check_fails_for_an_application_breaking_every_rule():
    round_ = GrantRoundFactory(min_group_size=5, max_per_group=5_000_000, min_self_contribution_percent=10)
    other_district_dong = DongFactory(district__code="elsewhere", district__name="북구")
    group = CommunityGroupFactory(member_count=3, dong=other_district_dong)
    application = ApplicationFactory(round=round_, group=group, requested_amount=6_000_000, status="screening")
    BudgetLineFactory(application=application, amount=6_000_000)
    BudgetLineFactory(application=application, amount=100_000, source="self")
    second_group = CommunityGroupFactory(representative=group.representative)
    ApplicationFactory(round=round_, group=second_group, status=workflow.SUBMITTED)

    assert results(application) == dict.fromkeys(Check.values, False)


@pytest.mark.django_db
def test_every_check_passes_for_an_eligible_application():
    round_ = GrantRoundFactory()
    application = ApplicationFactory(round=round_, group__dong__district=round_.district, requested_amount=3_000_000)
    BudgetLineFactory(application=application, amount=3_000_000)
    BudgetLineFactory(application=application, amount=400_000, source="self")
    for kind in ["plan", "budget", "registration", "signatures"]:
        AttachmentFactory(application=application, kind=kind)

    assert results(application) == dict.fromkeys(Check.values, True)
