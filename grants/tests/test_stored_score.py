"""The stored average score the staff list sorts by always equals the mean of the reviews."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from grants import services
from grants.models import Application
from grants.tests.factories import CriterionFactory
from grants.tests.helpers import assign_reviewer, make_in_review, reviewer_group
from tests.factories import UserFactory


def reviewers(count):
    people = [UserFactory(email=f"reviewer{n}@example.com", is_staff=True) for n in range(count)]
    for person in people:
        person.groups.add(reviewer_group())
    return people


@pytest.mark.django_db
def test_scoring_and_a_conflict_keep_the_stored_average_and_count():
    application = make_in_review()
    criterion = CriterionFactory(round=application.round, weight=1, max_score=10)
    first, second = reviewers(2)
    for person in (first, second):
        assign_reviewer(person, application)

    services.review_score(application=application, reviewer=first, values={criterion.pk: 9})
    services.review_score(application=application, reviewer=second, values={criterion.pk: 6})
    application.refresh_from_db()
    assert (application.average_score, application.score_count) == (Decimal("75.00"), 2)

    services.review_declare_conflict(application=application, reviewer=second, note="같은 동 주민입니다")
    application.refresh_from_db()
    assert (application.average_score, application.score_count) == (Decimal("90.00"), 1)

    services.review_declare_conflict(application=application, reviewer=first, note="가족이 참여합니다")
    application.refresh_from_db()
    assert (application.average_score, application.score_count) == (None, 0)


@pytest.mark.django_db(transaction=True)
def test_reviewers_saving_at_the_same_moment_are_all_counted():
    application = make_in_review()
    criterion = CriterionFactory(round=application.round, weight=1, max_score=10)
    people = reviewers(6)
    for person in people:
        assign_reviewer(person, application)
    barrier = threading.Barrier(len(people))
    errors = []

    def score(person, value):
        try:
            barrier.wait(timeout=10)
            services.review_score(application=application, reviewer=person, values={criterion.pk: value})
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=score, args=(p, v)) for p, v in zip(people, [10, 8, 6, 4, 2, 0], strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    application.refresh_from_db()
    assert application.score_count == 6
    assert application.average_score == Decimal("50.00")


@pytest.mark.django_db
def test_the_staff_list_sorts_by_the_stored_score(client, staff):
    criterion_round = make_in_review().round
    criterion = CriterionFactory(round=criterion_round, weight=1, max_score=10)
    person = reviewers(1)[0]
    applications = [make_in_review(round=criterion_round, title=f"사업{n}") for n in range(3)]
    for application, value in zip(applications, [3, 9, 6], strict=True):
        assign_reviewer(person, application)
        services.review_score(application=application, reviewer=person, values={criterion.pk: value})
    client.force_login(staff)

    response = client.get(f"/admin/grants/application/?round__id__exact={criterion_round.pk}&o=-8")

    shown = [a.pk for a in response.context["cl"].result_list if a.title.startswith("사업")]
    ours = Application.objects.filter(pk__in=[a.pk for a in applications])
    expected = list(ours.order_by("-average_score").values_list("pk", flat=True))
    assert shown == expected == [applications[1].pk, applications[2].pk, applications[0].pk]
