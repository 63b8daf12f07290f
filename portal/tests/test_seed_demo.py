import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import User
from grants.models import Application, GrantRound
from mentors.models import Assignment, CoachingVisit, Mentor
from networks.models import CommunityGroup, Dong, Network, Region

pytestmark = pytest.mark.django_db


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "networks", "grants", "projects", "mentors", "notifications"}
    }


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_builds_seo_gu_with_its_18_dongs_and_four_hub_regions(seeded):
    assert Dong.objects.count() == 18
    assert set(Region.objects.values_list("hub_dong__name", flat=True)) == {"풍암동", "금호1동", "동천동", "치평동"}
    assert not Dong.objects.filter(region__isnull=True).exists()
    assert Network.objects.filter(kind=Network.Kind.DONG).count() == 18
    assert Network.objects.filter(kind=Network.Kind.REGIONAL).count() == 4


def test_seed_funds_109_groups_in_2025_within_350_million_across_every_dong_and_field(seeded):
    round_2025 = GrantRound.objects.get(year=2025)
    assert round_2025.budget == 350_000_000
    assert round_2025.closes_at < timezone.now()
    funded = Application.objects.filter(round=round_2025, status="approved")
    assert funded.count() == 109
    awarded = funded.aggregate(total=Sum("awarded_amount"))["total"]
    assert awarded == round_2025.awarded_total <= round_2025.budget
    assert funded.values("group__dong").distinct().count() == 18
    assert funded.values("field").distinct().count() == 4
    for envelope in round_2025.envelopes.all():
        assert envelope.awarded_total <= envelope.amount


def test_seed_opens_a_2026_round_with_applications_in_every_status(seeded):
    round_2026 = GrantRound.objects.open_now().get()
    assert round_2026.year == 2026
    statuses = set(Application.objects.filter(round=round_2026).values_list("status", flat=True))
    assert statuses == set(Application.Status.values)


def test_seed_gives_each_of_six_mentors_about_18_funded_groups_with_visits(seeded):
    assert Mentor.objects.count() == 6
    loads = list(
        Assignment.objects.filter(round__year=2025).values("mentor").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert len(loads) == 6 and sum(loads) == 109 and max(loads) - min(loads) <= 19 - 17
    visited = CoachingVisit.objects.values("group").distinct().count()
    assert visited == 109


def test_seed_creates_the_demo_logins(seeded):
    assert User.objects.get(email="staff@example.com").is_staff
    assert {f"mentor{i}@example.com" for i in range(1, 7)} <= set(User.objects.values_list("email", flat=True))
    resident1 = User.objects.get(email="resident1@example.com")
    assert Application.objects.filter(group__representative=resident1).count() >= 2


def test_a_second_seed_run_changes_nothing(seeded):
    before = row_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert row_counts() == before


def test_seed_scales_to_the_number_of_groups_asked_for(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--groups", "400", stdout=io.StringIO())
    assert CommunityGroup.objects.count() == 400
    round_2026 = GrantRound.objects.get(year=2026)
    assert round_2026.awarded_total <= round_2026.budget
    assert Application.objects.filter(round__year=2025, status="approved").count() == 109


class _Undo(Exception):
    pass


def _seed_and_capture(seed):
    """Seed inside a savepoint, capture what was built, and roll it back."""
    captured = []
    try:
        with transaction.atomic():
            call_command("seed_demo", "--groups", "20", "--seed", str(seed), stdout=io.StringIO())
            captured = list(
                CommunityGroup.objects.order_by("name").values_list("name", "kind", "member_count", "dong__name")
            )
            captured += list(
                Application.objects.order_by("group__name", "round__year").values_list(
                    "group__name", "title", "status", "requested_amount"
                )
            )
            raise _Undo
    except _Undo:
        pass
    return captured


def test_seed_is_reproducible_for_the_same_seed_and_differs_for_another(settings):
    settings.DEBUG = True
    first, again, other = _seed_and_capture(7), _seed_and_capture(7), _seed_and_capture(8)
    assert first and first == again
    assert other != first


def test_seed_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not CommunityGroup.objects.exists()
