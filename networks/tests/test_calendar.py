import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from networks.models import Network
from tests.factories import DongFactory, ForumFactory

SEOUL = ZoneInfo("Asia/Seoul")
pytestmark = pytest.mark.django_db


def events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_network_feed_gives_the_forum_in_seoul_time(client, network):
    # 19:00 in Seoul is 10:00 UTC
    starts_at = datetime.datetime(2030, 3, 14, 10, 0, tzinfo=datetime.UTC)
    forum = ForumFactory(network=network, title="봄맞이 공론장", starts_at=starts_at, place="양동 주민센터")
    found = events(client.get(reverse("networks:calendar", args=[network.pk])))
    event = found[f"forum-{forum.pk}@127.0.0.1"]
    start = event.decoded("dtstart")
    assert start == starts_at
    assert (start.astimezone(SEOUL).hour, start.astimezone(SEOUL).minute) == (19, 0)
    assert event["dtstart"].params["TZID"] == "Asia/Seoul"
    assert event.decoded("dtend") - start == datetime.timedelta(hours=2)
    assert "봄맞이 공론장" in str(event["summary"]) and str(event["location"]) == "양동 주민센터"


def test_the_feed_lists_only_its_networks_forums_and_uids_are_stable(client, network):
    mine = ForumFactory(network=network)
    other = ForumFactory(network=Network.objects.get(dong=DongFactory()))
    url = reverse("networks:calendar", args=[network.pk])
    first = set(events(client.get(url)))
    mine.title = "제목 변경"
    mine.save()
    assert set(events(client.get(url))) == first == {f"forum-{mine.pk}@127.0.0.1"}
    everything = events(client.get(reverse("networks:calendar_all")))
    assert {f"forum-{mine.pk}@127.0.0.1", f"forum-{other.pk}@127.0.0.1"} <= set(everything)


def test_the_feed_carries_a_seoul_timezone_definition(client, network):
    ForumFactory(network=network)
    calendar = icalendar.Calendar.from_ical(client.get(reverse("networks:calendar_all")).content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Seoul"]


def test_one_forum_can_be_added_to_a_phone_calendar_on_its_own(client, network):
    starts_at = datetime.datetime(2030, 5, 2, 5, 30, tzinfo=datetime.UTC)
    forum = ForumFactory(network=network, title="골목 공론장", starts_at=starts_at)
    ForumFactory(network=network, title="다른 공론장")
    page = client.get(reverse("networks:forum", args=[forum.pk]))
    link = reverse("networks:forum_calendar", args=[forum.pk])
    assert link in page.content.decode()
    found = events(client.get(link))
    assert list(found) == [f"forum-{forum.pk}@127.0.0.1"]
    assert found[f"forum-{forum.pk}@127.0.0.1"].decoded("dtstart").astimezone(SEOUL).hour == 14


def test_a_calendar_file_for_a_missing_forum_is_404(client, db):
    assert client.get(reverse("networks:forum_calendar", args=[999999])).status_code == 404


def test_a_forum_title_with_line_breaks_serves_its_calendar(client, network):
    forum = ForumFactory(network=network, title="봄맞이\r\n공론장\nX-INJECTED:1", place="양동\r\n주민센터")
    for url in (
        reverse("networks:forum_calendar", args=[forum.pk]),
        reverse("networks:calendar", args=[network.pk]),
        reverse("networks:calendar_all"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        calendar = icalendar.Calendar.from_ical(response.content)
        assert "X-INJECTED" not in calendar.walk("VEVENT")[0]
        (event,) = calendar.walk("VEVENT")
        assert str(event["summary"]).startswith("봄맞이 공론장 X-INJECTED:1")
        assert str(event["location"]) == "양동 주민센터"
        assert "\n" not in str(calendar.get("x-wr-calname", ""))
