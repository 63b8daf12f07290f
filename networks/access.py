"""One helper per object type fetches it for the current user.

Networks and forums are public: anyone may read them, so someone who may not manage one
gets 403 on its edit pages. A registration belongs to one resident: others get 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from networks.models import Decision, Forum, ForumRegistration, Network


def can_see_health(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_mentor)


def get_network_to_manage(user, pk) -> Network:
    network = get_object_or_404(Network.objects.select_related("dong", "region"), pk=pk)
    if not network.is_managed_by(user):
        raise PermissionDenied
    return network


def get_forum_to_manage(user, pk) -> Forum:
    forum = get_object_or_404(Forum.objects.select_related("network"), pk=pk)
    if not forum.network.is_managed_by(user):
        raise PermissionDenied
    return forum


def get_decision_to_manage(user, pk) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("forum__network"), pk=pk)
    if not decision.forum.network.is_managed_by(user):
        raise PermissionDenied
    return decision


def get_own_registration(user, pk) -> ForumRegistration:
    registration = ForumRegistration.objects.select_related("forum").filter(pk=pk, user=user).first()
    if registration is None:
        raise Http404
    return registration
