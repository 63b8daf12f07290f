"""Scoring on the round's rubric, and conflicts of interest enforced in the service and the DB."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from grants import services
from grants.models import Review, Score
from grants.tests.factories import CriterionFactory
from grants.tests.helpers import assign_reviewer, make_in_review, reviewer_group
from tests.factories import UserFactory


@pytest.fixture
def reviewer(db):
    user = UserFactory(email="reviewer@example.com", name="심사위원", is_staff=True)
    user.groups.add(reviewer_group())
    return user


@pytest.fixture
def scored_setup(reviewer, staff):
    application = make_in_review()
    assign_reviewer(reviewer, application, by=staff)
    criteria = [
        CriterionFactory(round=application.round, name="공공성", weight=3, max_score=10),
        CriterionFactory(round=application.round, name="실현가능성", weight=1, max_score=5),
    ]
    return application, criteria


def test_a_review_score_is_the_weighted_mean_of_its_criteria_out_of_100(reviewer, scored_setup):
    application, (public, feasible) = scored_setup

    review = services.review_score(application=application, reviewer=reviewer, values={public.pk: 8, feasible.pk: 5})

    # (8/10·3 + 5/5·1) / 4 · 100 = 85
    assert review.weighted_score == Decimal("85.00")
    assert review.scores.count() == 2


def test_several_reviewers_score_the_same_application(reviewer, staff, scored_setup):
    application, (public, feasible) = scored_setup

    services.review_score(application=application, reviewer=reviewer, values={public.pk: 10, feasible.pk: 5})
    services.review_score(application=application, reviewer=staff, values={public.pk: 0, feasible.pk: 0})

    assert sorted(Review.objects.values_list("weighted_score", flat=True)) == [Decimal("0.00"), Decimal("100.00")]


def test_a_score_out_of_range_or_missing_is_refused(reviewer, scored_setup):
    application, (public, feasible) = scored_setup

    with pytest.raises(services.ValidationError):
        services.review_score(application=application, reviewer=reviewer, values={public.pk: 11, feasible.pk: 1})
    with pytest.raises(services.ValidationError):
        services.review_score(application=application, reviewer=reviewer, values={public.pk: 5})


def test_a_reviewer_who_declared_a_conflict_cannot_score(reviewer, scored_setup):
    application, (public, feasible) = scored_setup
    services.review_score(application=application, reviewer=reviewer, values={public.pk: 8, feasible.pk: 5})

    review = services.review_declare_conflict(application=application, reviewer=reviewer, note="대표가 친척입니다")

    assert review.weighted_score is None and not review.scores.exists()
    with pytest.raises(services.ConflictOfInterestDeclared):
        services.review_score(application=application, reviewer=reviewer, values={public.pk: 8, feasible.pk: 5})


def test_the_database_refuses_a_score_under_a_conflicted_review(reviewer, scored_setup):
    application, (public, _feasible) = scored_setup
    review = services.review_declare_conflict(application=application, reviewer=reviewer, note="이해관계")

    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(review=review, criterion=public, value=5)
        # The composite foreign key is deferred to commit; check it now, inside the test's transaction.
        with transaction.get_connection().cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_database_refuses_a_conflict_on_a_review_that_still_has_scores(reviewer, scored_setup):
    application, (public, feasible) = scored_setup
    review = services.review_score(application=application, reviewer=reviewer, values={public.pk: 8, feasible.pk: 5})

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(conflict_of_interest=True, weighted_score=None, scored_at=None)


def test_the_database_refuses_a_score_total_on_a_conflicted_review(reviewer, scored_setup):
    application, _criteria = scored_setup
    review = services.review_declare_conflict(application=application, reviewer=reviewer, note="이해관계")

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(weighted_score=Decimal("50"))


def test_a_staff_member_without_the_scoring_permission_cannot_score(scored_setup):
    application, (public, feasible) = scored_setup
    clerk = UserFactory(is_staff=True)

    with pytest.raises(PermissionDenied):
        services.review_score(application=application, reviewer=clerk, values={public.pk: 1, feasible.pk: 1})


@pytest.mark.django_db
def test_the_reviewer_group_set_up_by_migrate_may_view_applications_and_score_but_not_decide():
    codenames = set(Group.objects.get(name="reviewer").permissions.values_list("codename", flat=True))

    assert {"view_application", "view_budgetline", "view_review", "score_application"} == codenames
    assert "decide_application" not in codenames
    assert "view_attachment" not in codenames
    assert not any(c.startswith(("add_", "change_", "delete_")) for c in codenames)
