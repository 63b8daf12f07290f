"""Reads for the network pages: each function runs a fixed number of queries whatever the
number of groups, forums or decisions."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from networks.models import CommunityGroup, Decision, Forum, ForumRegistration, Network, NetworkMembership

HEALTH_WINDOW_DAYS = 90
CALENDAR_PAST_DAYS = 90


MEMBER_NAMES_SHOWN = 8


def _coordinators_prefetch():
    users = get_user_model().objects.only("id", "name").order_by("name")
    return Prefetch("coordinators", queryset=users, to_attr="coordinator_list")


def public_networks(now=None):
    """Every network with its number of member groups (``member_total``), the first
    ``MEMBER_NAMES_SHOWN`` of them (``member_groups``: names only), coordinators
    (``coordinator_list``: names only) and upcoming forums (``upcoming_forums``). Four queries,
    whatever the number of groups: the member names are a sliced (windowed) prefetch."""
    now = now or timezone.now()
    first_members = CommunityGroup.objects.only("id", "name").order_by("name")[:MEMBER_NAMES_SHOWN]
    return (
        Network.objects.select_related("dong", "region")
        .annotate(member_total=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch("groups", queryset=first_members, to_attr="member_groups"),
            _coordinators_prefetch(),
            Prefetch(
                "forums",
                queryset=Forum.objects.upcoming(now).only("id", "network_id", "title", "starts_at", "place"),
                to_attr="upcoming_forums",
            ),
        )
        .order_by("kind", "dong__order", "region__name", "name")
    )


def network_for_page(pk):
    """One network with its memberships (group and dong) and coordinators, or 404."""
    memberships = NetworkMembership.objects.select_related("group__dong").order_by("group__name")
    queryset = Network.objects.select_related("dong", "region", "district").prefetch_related(
        Prefetch("memberships", queryset=memberships, to_attr="membership_list"), _coordinators_prefetch()
    )
    return get_object_or_404(queryset, pk=pk)


def network_forums(network, now=None, past_limit=20):
    """``(upcoming, past)`` forums of ``network`` with counts and decisions; the ``past_limit``
    most recent past forums only. Four queries."""
    now = now or timezone.now()
    decisions = Prefetch("decisions", queryset=Decision.objects.order_by("due_date", "id"))
    forums = network.forums.with_counts().prefetch_related(decisions)
    return list(forums.upcoming(now)), list(forums.past(now)[:past_limit])


def open_decisions(network):
    """Decisions of the network's forums not yet carried out, soonest due first."""
    return Decision.objects.open().filter(forum__network=network).select_related("forum").order_by("due_date", "id")


def forum_for_page(pk):
    """One forum with its network and counts, or 404."""
    forums = Forum.objects.select_related("network").with_counts()
    return get_object_or_404(forums, pk=pk)


def group_for_page(pk):
    """A group's public page: name, dong, description and its networks. Nothing personal."""
    networks = Prefetch("networks", queryset=Network.objects.order_by("kind", "name"), to_attr="network_list")
    groups = CommunityGroup.objects.select_related("dong__region").prefetch_related(networks)
    return get_object_or_404(groups, pk=pk)


def registrations_of(user):
    """The user's own registrations, latest forum first."""
    return (
        ForumRegistration.objects.filter(user=user)
        .select_related("forum__network", "group")
        .order_by("-forum__starts_at", "-registered_at")
    )


def calendar_forums(network=None, now=None):
    """Forums for an iCalendar feed: from ``CALENDAR_PAST_DAYS`` ago onwards."""
    now = now or timezone.now()
    forums = Forum.objects.select_related("network").filter(
        starts_at__gte=now - datetime.timedelta(days=CALENDAR_PAST_DAYS)
    )
    if network is not None:
        forums = forums.filter(network=network)
    return forums.order_by("starts_at", "pk")


def _count(queryset, group_by):
    counts = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def network_health(now=None, months=6):
    """Per network: members, forums in the last 90 days, open and overdue decisions
    (annotated), and ``attendance``: a list of ``(first day of month, people)`` for the last
    ``months`` months; plus the district's totals by month. Two queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    since = now - datetime.timedelta(days=HEALTH_WINDOW_DAYS)
    open_decisions = Decision.objects.open().filter(forum__network=OuterRef("pk"))
    networks = list(
        Network.objects.select_related("dong", "region")
        .annotate(
            member_count=_count(NetworkMembership.objects.filter(network=OuterRef("pk")), "network"),
            recent_forum_count=_count(
                Forum.objects.filter(network=OuterRef("pk"), starts_at__gte=since, starts_at__lt=now), "network"
            ),
            open_decision_count=_count(open_decisions, "forum__network"),
            overdue_decision_count=_count(open_decisions.filter(due_date__lt=today), "forum__network"),
        )
        .order_by("kind", "dong__order", "region__name", "name")
    )
    month_keys = _last_months(today, months)
    first = datetime.datetime.combine(datetime.date.fromisoformat(month_keys[0] + "-01"), datetime.time())
    forums = (
        Forum.objects.filter(
            starts_at__gte=timezone.make_aware(first), starts_at__lt=now, attendance_recorded_at__isnull=False
        )
        .annotate(
            attended_count=Count(
                "registrations", filter=Q(registrations__attended=True, registrations__cancelled_at=None)
            )
        )
        .values_list("network_id", "starts_at", "attended_count", "walk_in_count")
    )
    totals = {}
    for network_id, starts_at, attended, walk_ins in forums:
        key = (network_id, timezone.localtime(starts_at).strftime("%Y-%m"))
        totals[key] = totals.get(key, 0) + attended + walk_ins
    months_as_dates = [datetime.date.fromisoformat(f"{key}-01") for key in month_keys]
    for network in networks:
        network.attendance = [(m, totals.get((network.pk, key), 0)) for m, key in zip(months_as_dates, month_keys)]
    district = [(m, sum(totals.get((n.pk, key), 0) for n in networks)) for m, key in zip(months_as_dates, month_keys)]
    return networks, district


def _last_months(today, months):
    keys = []
    year, month = today.year, today.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(keys))
