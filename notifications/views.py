"""The unsubscribe link in every non-essential email: a confirm page (GET) and the change (POST).

The signed token is the permission: it names one user and one kind, so no login is needed
(residents read email on phones where they are not signed in). A GET never changes anything,
so a mail scanner that follows links cannot unsubscribe anyone.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from notifications.reminders import is_essential, registry
from notifications.rendering import read_unsubscribe_token
from notifications.services import set_preference


def _subscription_for_token(token: str):
    """The (user, kind) a token names; 404 for a forged token, an unknown user or an essential kind."""
    try:
        user_id, kind_name = read_unsubscribe_token(token)
    except signing.BadSignature:
        raise Http404 from None
    if kind_name not in registry or is_essential(kind_name):
        raise Http404
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Http404
    return user, registry[kind_name]


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user, kind = _subscription_for_token(token)
    if request.method == "POST":
        set_preference(user=user, kind=kind.name, enabled=False)
        return render(request, "notifications/unsubscribe_done.html", {"kind": kind})
    return render(request, "notifications/unsubscribe_confirm.html", {"kind": kind, "token": token})
