import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from networks import services
from networks.tests.factories import DecisionFactory, ForumRegistrationFactory
from tests.factories import CommunityGroupFactory, ForumFactory

pytestmark = pytest.mark.django_db


def test_health_counts_members_recent_forums_attendance_and_open_decisions(client, mentor, network):
    CommunityGroupFactory(dong=network.dong)
    CommunityGroupFactory(dong=network.dong)
    forum = ForumFactory(network=network)
    came = ForumRegistrationFactory(forum=forum)
    ForumRegistrationFactory(forum=forum)
    forum.starts_at = timezone.now() - datetime.timedelta(days=2)
    forum.save()
    services.record_outcome(forum=forum, attended_ids=[came.pk], walk_in_count=4, minutes="")
    ForumFactory(network=network, starts_at=timezone.now() - datetime.timedelta(days=120))
    DecisionFactory(forum=forum)
    DecisionFactory(forum=forum, due_date=timezone.localdate() - datetime.timedelta(days=1))
    services.set_decision_done(decision=DecisionFactory(forum=forum))

    client.force_login(mentor)
    response = client.get(reverse("networks:health"))

    row = next(n for n in response.context["networks"] if n.pk == network.pk)
    assert (row.member_count, row.recent_forum_count) == (2, 1)
    assert (row.open_decision_count, row.overdue_decision_count) == (2, 1)
    this_month = timezone.localdate(forum.starts_at).replace(day=1)
    assert dict(row.attendance)[this_month] == 5  # one registered resident present + four walk-ins
    html = response.content.decode()
    assert html.count("<svg") == 1 + len(response.context["networks"])
    assert 'role="img"' in html
