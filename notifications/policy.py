"""Which channels a notice reaches a person by: the one home of that rule.

- A kind declares the channels it may use (``ReminderKind.channels``) and whether it is
  essential (deadlines, decisions, settlement).
- **Essential**: email, and the person's preferred phone channel (알림톡 or SMS) when they
  have a mobile number and the kind has a text. Consent is not asked: these are part of the
  application the person made.
- **Not essential**: only if the person has not switched the kind off (``EmailPreference``),
  then email, and the preferred phone channel only with their consent to programme news by
  text (``has_text_consent``).
- An 알림톡 that cannot be delivered falls back to one SMS/LMS (``notifications.delivery``);
  that is the transport's business, not a second choice here.
"""

from __future__ import annotations

from notifications.models import ChannelPreference, EmailPreference, Message
from notifications.reminders import ReminderKind, registry
from portal.phones import is_mobile

EMAIL = Message.Channel.EMAIL
ALIMTALK = Message.Channel.ALIMTALK
SMS = Message.Channel.SMS
TEXT_CHANNELS = (ALIMTALK, SMS)

_UNSET = object()


def has_text_consent(user) -> bool:
    """Whether ``user`` agreed to non-essential notices by text message / KakaoTalk.

    What the consent means is owned by accounts (issue 11b: "the optional email and text
    consent actually controls whether non-essential messages go out"); this reads the one
    flag accounts exposes, ``User.notices_consent`` (a field or property). Without that flag
    nobody has consented: no non-essential text goes out.
    """
    return bool(getattr(user, "notices_consent", False))


def preferred_channel(user, *, preference=_UNSET) -> str:
    """The person's chosen channel; without a choice, 알림톡 if they have a mobile number, else email.

    ``preference`` may be passed (a ``ChannelPreference`` or None) when the caller loaded it in bulk.
    """
    if preference is _UNSET:
        preference = ChannelPreference.objects.filter(user=user).first() if user.pk else None
    if preference is not None:
        return preference.preferred
    return ALIMTALK if is_mobile(user.phone) else EMAIL


def channels_for(*, user, kind: ReminderKind | str, preference=_UNSET, kind_enabled: bool | None = None) -> list[str]:
    """The channels ``user`` gets a notice of ``kind`` by, email first; ``[]`` means none.

    ``preference`` (``ChannelPreference`` or None) and ``kind_enabled`` (the person's switch for
    a non-essential kind) may be passed by callers that loaded them in bulk (the sweep);
    otherwise they are read here (one query each).
    """
    if isinstance(kind, str):
        kind = registry.get(kind) or ReminderKind(name=kind, label=kind, essential=True)
    if not user.is_active:
        return []
    if not kind.essential:
        if kind_enabled is None:
            kind_enabled = not EmailPreference.objects.filter(user=user, kind=kind.name, enabled=False).exists()
        if not kind_enabled:
            return []
    channels = [EMAIL] if user.email and EMAIL in kind.channels else []
    preferred = preferred_channel(user, preference=preference)
    wants_text = preferred in TEXT_CHANNELS and preferred in kind.channels and is_mobile(user.phone)
    if wants_text and (kind.essential or has_text_consent(user)):
        channels.append(preferred)
    return channels
