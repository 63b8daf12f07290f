"""The one rule for non-essential messages and the person's optional consent (PIPA §22).

A non-essential message (a reminder kind with ``essential=False``: missing documents, a forum
tomorrow, news) goes to a resident only while they agree to programme news by email and text
(``User.notices_consent``, answered at the application's consent step or on "My data") and
have not asked to suspend processing. Essential messages (receipts, decisions, deadlines,
changes asked) are part of the application the person made and need no such consent. The
staff and mentor digests are messages people get for their work, not news: they do not ask it.

Use the predicate for one person and the ``Q`` for a query (the reminder kinds filter with it,
so the sweep stays at a fixed number of queries).
"""

from django.db.models import Q
from django.utils import timezone


def may_receive_optional_messages(user) -> bool:
    return bool(user is not None and user.is_active and user.notices_consent and user.processing_suspended_at is None)


def optional_messages_q(prefix: str = "") -> Q:
    """The same rule as a filter; ``prefix`` is the path to the user, e.g. ``"group__representative__"``."""
    return Q(
        **{
            f"{prefix}is_active": True,
            f"{prefix}notices_consent": True,
            f"{prefix}processing_suspended_at__isnull": True,
        }
    )


def set_notices_consent(*, user, granted: bool, now=None) -> None:
    """Record the person's latest answer (an UPDATE of two columns)."""
    now = now or timezone.now()
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=user.pk).update(notices_consent=granted, notices_consent_at=now)
    user.notices_consent, user.notices_consent_at = granted, now
