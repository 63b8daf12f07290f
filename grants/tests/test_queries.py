"""Query counts pinned on the resident's pages, the same with 1 and 50 applications."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.models import StatusChange
from tests.factories import ApplicationFactory, BudgetLineFactory, GrantRoundFactory

pytestmark = pytest.mark.django_db

# Explain any new query before raising a bound.
# open rounds, their envelopes with fields, closed rounds, the next opening or closing (how long
# portal.public_cache may keep the page); a cached page costs none.
HOME_ANONYMOUS = 4
HOME_RESIDENT = 9  # + session, user, group, my applications in the open round, and the nav's mentor check
MY_APPLICATIONS = 7  # session, user, applications (+group, round, field), status changes, group, open round, mentor
# session, user, application (+group, dong, district, round, field), then the step's own reads
STEP_BOUNDS = {
    "apply_project": 5,  # + the round's fields
    "apply_budget": 5,  # + budget lines
    "apply_documents": 5,  # + attachments
    "apply_consent": 5,  # + consents
    "apply_review": 7,  # + lines, attachments, consents
    "application_detail": 8,  # + the status changes
}


def add_past_applications(group, count: int) -> None:
    """``count`` closed rounds, each with this group's application, lines and a history."""
    now = timezone.now()
    for index in range(count):
        round_ = GrantRoundFactory(
            year=2000 + index,
            opens_at=now - datetime.timedelta(days=400 + index),
            closes_at=now - datetime.timedelta(days=300 + index),
        )
        application = ApplicationFactory(group=group, round=round_, status="submitted")
        BudgetLineFactory(application=application)
        StatusChange.objects.create(application=application, from_status="draft", to_status="submitted")


def queries(client, url) -> int:
    cache.clear()  # the cost of building the page, not of serving it from portal.public_cache
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("as_resident", [False, True])
def test_home_page_queries_do_not_grow_with_rounds_or_applications(
    client, resident, draft, as_resident, django_assert_max_num_queries
):
    if as_resident:
        client.force_login(resident)
    add_past_applications(draft.group, 1)
    small = queries(client, reverse("home"))
    add_past_applications(draft.group, 49)
    cache.clear()
    with django_assert_max_num_queries(HOME_RESIDENT if as_resident else HOME_ANONYMOUS):
        large = queries(client, reverse("home"))
    assert small == large


def test_my_applications_queries_do_not_grow(client, resident, draft, django_assert_max_num_queries):
    client.force_login(resident)
    add_past_applications(draft.group, 1)
    small = queries(client, reverse("grants:my_applications"))
    add_past_applications(draft.group, 49)
    with django_assert_max_num_queries(MY_APPLICATIONS):
        large = queries(client, reverse("grants:my_applications"))
    assert small == large


@pytest.mark.parametrize("view", list(STEP_BOUNDS))
def test_each_step_has_a_fixed_number_of_queries(client, resident, complete_draft, view, django_assert_max_num_queries):
    client.force_login(resident)
    url = reverse(f"grants:{view}", args=[complete_draft.pk])
    add_past_applications(complete_draft.group, 1)
    small = queries(client, url)
    add_past_applications(complete_draft.group, 49)
    for _ in range(20):
        BudgetLineFactory(application=complete_draft, amount=10, source="self")
    with django_assert_max_num_queries(STEP_BOUNDS[view]):
        large = queries(client, url)
    assert small == large


def test_the_group_page_queries_do_not_grow_with_participants(
    client, resident, open_round, django_assert_max_num_queries
):
    from networks.models import GroupMember

    client.force_login(resident)
    group = resident.represented_groups.get()
    GroupMember.objects.create(group=group, name="가", role="대표")
    small = queries(client, reverse("grants:group"))
    GroupMember.objects.bulk_create(GroupMember(group=group, name=f"이웃{n}", order=n) for n in range(49))
    # session, user, group (+dong, district), members, dongs for the select, open rounds, envelopes, mentor check
    with django_assert_max_num_queries(8):
        large = queries(client, reverse("grants:group"))
    assert small == large
