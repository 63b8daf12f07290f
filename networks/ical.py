"""iCalendar feeds of forums, in Seoul time with stable UIDs."""

import datetime
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.text import one_line

SEOUL = ZoneInfo("Asia/Seoul")
DEFAULT_LENGTH = datetime.timedelta(hours=2)


def _uid_domain() -> str:
    return urlparse(settings.PORTAL_BASE_URL).hostname or "maeul-portal"


def forum_uid(forum) -> str:
    """Stable for the forum's life: calendar apps update the event instead of duplicating it."""
    return f"forum-{forum.pk}@{_uid_domain()}"


def forums_calendar(forums, *, name: str) -> bytes:
    """An iCalendar document with one VEVENT per forum, times given with TZID=Asia/Seoul."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Maeul Portal//Forums//KO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", "Asia/Seoul")
    base = settings.PORTAL_BASE_URL.rstrip("/")
    for forum in forums:
        starts_at = forum.starts_at.astimezone(SEOUL)
        ends_at = (forum.ends_at or forum.starts_at + DEFAULT_LENGTH).astimezone(SEOUL)
        event = icalendar.Event()
        event.add("uid", forum_uid(forum))
        event.add("dtstamp", forum.updated_at.astimezone(datetime.UTC))
        event.add("last-modified", forum.updated_at.astimezone(datetime.UTC))
        event.add("dtstart", starts_at)
        event.add("dtend", ends_at)
        # Names are one line (portal.text); the agenda keeps its line breaks, escaped by icalendar.
        event.add("summary", one_line(f"{forum.title} ({forum.network.name})"))
        event.add("location", one_line(forum.place))
        event.add("description", forum.agenda)
        event.add("url", base + reverse("networks:forum", args=[forum.pk]))
        calendar.add_component(event)
    today = timezone.localdate()
    calendar.add_missing_timezones(
        first_date=today - datetime.timedelta(days=3650), last_date=today + datetime.timedelta(days=3650)
    )
    return calendar.to_ical()
