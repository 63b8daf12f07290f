"""Reminders about forums, registered from ``NetworksConfig.ready()``: residents registered
for a forum that starts tomorrow (a Seoul day)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.consents import optional_messages_q
from networks.models import ForumRegistration
from notifications.reminders import EMAIL_AND_TEXT, ReminderDue, ReminderKind, is_digest_hour, local, register
from notifications.texts import TextTemplate


def collect_forum_tomorrow(now):
    """One reminder per active registration for a forum starting tomorrow. One query."""
    if not is_digest_hour(now):
        return
    today = local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow, day_after = today + datetime.timedelta(days=1), today + datetime.timedelta(days=2)
    registrations = (
        ForumRegistration.objects.filter(
            optional_messages_q("user__"),
            cancelled_at__isnull=True,
            forum__starts_at__gte=tomorrow,
            forum__starts_at__lt=day_after,
        )
        .select_related("user", "forum__network")
        .order_by("forum_id", "pk")
    )
    for registration in registrations:
        forum = registration.forum
        yield ReminderDue(
            user=registration.user,
            dedup_key=f"forum-tomorrow:forum:{forum.pk}:user:{registration.user_id}",
            subject=_("Tomorrow: %(title)s"),
            subject_params={"title": forum.title},
            template="networks/email/forum_tomorrow",
            context={"forum": forum, "network": forum.network},
            related=forum,
            text_variables={"time": f"{local(forum.starts_at):%H:%M}"},
            link=reverse("networks:forum", args=[forum.pk]),
        )


# The 알림톡 template as registered with Kakao: code and exact text per language.
FORUM_TOMORROW_TEXT = TextTemplate(
    codes={"ko": "MAEUL_FORUM_V1_KO", "en": "MAEUL_FORUM_V1_EN"},
    texts={
        "ko": "[마을공동체 포털] #{name}님, 내일 #{time} 공론장이 열립니다.\n#{url}\n알림 끄기: #{stop_url}",
        "en": "[Maeul Portal] #{name}, your forum is tomorrow at #{time}.\n#{url}\nStop: #{stop_url}",
    },
)

FORUM_TOMORROW = ReminderKind(
    name="forum_tomorrow",
    label=_("Reminders the day before a forum you registered for"),
    essential=False,
    collect=collect_forum_tomorrow,
    channels=EMAIL_AND_TEXT,
    text=FORUM_TOMORROW_TEXT,
)


def register_all() -> None:
    register(FORUM_TOMORROW)
