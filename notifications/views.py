"""The preferences page (which channel, which optional reminders, a test message) and the
unsubscribe link in every non-essential email and text: a confirm page (GET) and the change (POST).

The signed token is the permission: it names one user and one kind, so no login is needed
(residents read email on phones where they are not signed in). A GET never changes anything,
so a mail scanner that follows links cannot unsubscribe anyone.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from notifications import policy
from notifications.forms import PreferencesForm
from notifications.models import EmailPreference
from notifications.reminders import is_essential, registry
from notifications.rendering import read_unsubscribe_token
from notifications.services import send_test_message, set_channel, set_preference
from portal.phones import is_mobile


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


def _optional_kinds(user):
    kinds = (kind for kind in registry.values() if not kind.essential and kind.concerns(user))
    return sorted(kinds, key=lambda kind: kind.name)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """How the signed-in person is reached: their channel and the optional reminders. Their own only."""
    user = request.user
    kinds = _optional_kinds(user)
    switched_off = set(EmailPreference.objects.filter(user=user, enabled=False).values_list("kind", flat=True))
    initial = {"preferred": policy.preferred_channel(user)}
    initial.update({f"kind_{kind.name}": kind.name not in switched_off for kind in kinds})
    form = PreferencesForm(request.POST or None, initial=initial, optional_kinds=kinds)
    if request.method == "POST" and form.is_valid():
        set_channel(user=user, channel=form.cleaned_data["preferred"])
        for kind in kinds:
            set_preference(user=user, kind=kind.name, enabled=form.cleaned_data[f"kind_{kind.name}"])
        messages.success(request, _("Your choices were saved."))
        return redirect("notifications:preferences")
    context = {
        "form": form,
        "has_mobile": is_mobile(user.phone),
        "text_consent": policy.has_text_consent(user),
    }
    return render(request, "notifications/preferences.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def test_message(request):
    """Send the signed-in person a test notice by their channels (at most one per five minutes)."""
    if send_test_message(user=request.user):
        messages.success(request, _("A test message is on its way. It can take a minute to arrive."))
    else:
        messages.warning(request, _("A test message was sent a moment ago. Try again in a few minutes."))
    return redirect("notifications:preferences")
