"""Public network pages, forums, registrations, the calendar feeds and the health page.

Reads go through ``networks.selectors``, writes through ``networks.services``, objects are
fetched for the current user through ``networks.access``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from networks import access, charts, selectors, services
from networks.forms import AddGroupForm, DecisionForm, ForumForm, OutcomeForm, RegistrationForm
from networks.ical import forums_calendar
from networks.models import CommunityGroup, Forum, Network
from portal import public_cache

# --- Public pages -----------------------------------------------------------------------------


@require_GET
def network_list(request):
    context = {"network_cards": public_cache.fragment("networks:list", _render_network_cards, topics=("networks",))}
    if request.user.is_authenticated:
        context["coordinated"] = request.user.coordinated_networks.order_by("name")
    return render(request, "networks/list.html", context)


def _render_network_cards() -> str:
    """The regional and dong network cards: the same for every visitor (``portal.public_cache``)."""
    networks = list(selectors.public_networks())
    context = {
        "dong_networks": [n for n in networks if n.kind == Network.Kind.DONG],
        "regional_networks": [n for n in networks if n.kind == Network.Kind.REGIONAL],
    }
    return render_to_string("networks/_network_sections.html", context)


@require_GET
def network_detail(request, pk):
    network = selectors.network_for_page(pk)
    upcoming, past = selectors.network_forums(network)
    context = {
        "network": network,
        "upcoming": upcoming,
        "past": past,
        "open_decisions": selectors.open_decisions(network),
        "can_manage": network.is_managed_by(request.user),
    }
    return render(request, "networks/detail.html", context)


@require_GET
def group_detail(request, pk):
    return render(request, "networks/group.html", {"group": selectors.group_for_page(pk)})


@require_GET
def forum_detail(request, pk):
    forum = selectors.forum_for_page(pk)
    user = request.user
    context = {
        "forum": forum,
        "decisions": forum.decisions.order_by("due_date", "id"),
        "can_manage": forum.network.is_managed_by(user),
    }
    if user.is_authenticated:
        context["my_registration"] = forum.registrations.filter(user=user, cancelled_at__isnull=True).first()
        context["registration_form"] = RegistrationForm(user=user)
    return render(request, "networks/forum_detail.html", context)


# --- Calendar feeds ------------------------------------------------------------------------


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def calendar_all(request):
    body = forums_calendar(selectors.calendar_forums(), name=_("Seo-gu village forums"))
    return _ics_response(body, "forums.ics")


@require_GET
def calendar_forum(request, pk):
    """One forum as a calendar file, for "add to my calendar" on a phone."""
    forum = get_object_or_404(Forum.objects.select_related("network"), pk=pk)
    return _ics_response(forums_calendar([forum], name=forum.title), f"forum-{forum.pk}.ics")


@require_GET
def calendar_network(request, pk):
    network = get_object_or_404(Network, pk=pk)
    body = forums_calendar(selectors.calendar_forums(network), name=network.name)
    return _ics_response(body, f"network-{network.pk}.ics")


# --- Registrations -----------------------------------------------------------------------


@login_required
@require_POST
def forum_register(request, pk):
    forum = selectors.forum_for_page(pk)
    form = RegistrationForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.register(forum=forum, user=request.user, group=form.cleaned_data["group"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You are registered. See you at the forum!"))
    else:
        messages.error(request, _("Please choose one of your own groups, or just yourself."))
    return redirect("networks:forum", pk=forum.pk)


@login_required
@require_GET
def my_registrations(request):
    registrations = selectors.registrations_of(request.user)
    return render(request, "networks/my_registrations.html", {"registrations": registrations})


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = access.get_own_registration(request.user, pk)
    try:
        services.cancel_registration(registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("networks:my_registrations")


# --- Organising forums --------------------------------------------------------------------


@login_required
def forum_create(request, pk):
    network = access.get_network_to_manage(request.user, pk)
    form = ForumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.schedule_forum(network=network, organiser=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The forum is scheduled."))
            return redirect("networks:forum", pk=forum.pk)
    return render(request, "networks/forum_form.html", {"form": form, "network": network, "forum": None})


@login_required
def forum_edit(request, pk):
    forum = access.get_forum_to_manage(request.user, pk)
    form = ForumForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_forum(forum=forum, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The forum is updated."))
            return redirect("networks:forum", pk=forum.pk)
    return render(request, "networks/forum_form.html", {"form": form, "network": forum.network, "forum": forum})


@login_required
def forum_record(request, pk):
    """After the forum: attendance, minutes, and new decisions."""
    forum = access.get_forum_to_manage(request.user, pk)
    initial = {
        "attended": forum.registrations.filter(cancelled_at__isnull=True, attended=True),
        "walk_in_count": forum.walk_in_count,
        "minutes": forum.minutes,
    }
    outcome_form = OutcomeForm(request.POST or None, forum=forum, initial=initial)
    if request.method == "POST" and outcome_form.is_valid():
        data = outcome_form.cleaned_data
        try:
            services.record_outcome(
                forum=forum,
                attended_ids=[registration.pk for registration in data["attended"]],
                walk_in_count=data["walk_in_count"],
                minutes=data["minutes"],
            )
        except ValidationError as error:
            outcome_form.add_error(None, error)
        else:
            messages.success(request, _("Attendance and minutes are saved."))
            return redirect("networks:forum_record", pk=forum.pk)
    context = {
        "forum": forum,
        "outcome_form": outcome_form,
        "decision_form": DecisionForm(),
        "decisions": forum.decisions.order_by("due_date", "id"),
    }
    return render(request, "networks/forum_record.html", context)


@login_required
@require_POST
def decision_create(request, pk):
    forum = access.get_forum_to_manage(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.add_decision(forum=forum, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("networks:forum_record", pk=forum.pk)
    context = {
        "forum": forum,
        "outcome_form": OutcomeForm(
            forum=forum, initial={"walk_in_count": forum.walk_in_count, "minutes": forum.minutes}
        ),
        "decision_form": form,
        "decisions": forum.decisions.order_by("due_date", "id"),
    }
    return render(request, "networks/forum_record.html", context, status=422)


@login_required
@require_POST
def decision_done(request, pk):
    decision = access.get_decision_to_manage(request.user, pk)
    done = request.POST.get("done", "1") == "1"
    services.set_decision_done(decision=decision, done=done)
    messages.success(request, _("Marked as done.") if done else _("Reopened."))
    next_url = request.POST.get("next", "")
    if next_url == "network":
        return redirect("networks:detail", pk=decision.forum.network_id)
    return redirect("networks:forum", pk=decision.forum_id)


# --- Regional network members -------------------------------------------------------------


@login_required
def network_members(request, pk):
    network = access.get_network_to_manage(request.user, pk)
    if network.kind != Network.Kind.REGIONAL:
        raise Http404
    form = AddGroupForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        services.add_group_to_network(network=network, group=form.cleaned_data["group"])
        messages.success(request, _("The group has joined the network."))
        return redirect("networks:members", pk=network.pk)
    memberships = network.memberships.select_related("group__dong").order_by("source", "group__name")
    return render(request, "networks/members.html", {"network": network, "form": form, "memberships": memberships})


@login_required
@require_POST
def network_member_remove(request, pk, group_pk):
    network = access.get_network_to_manage(request.user, pk)
    group = get_object_or_404(CommunityGroup, pk=group_pk, network_memberships__network=network)
    try:
        services.remove_group_from_network(network=network, group=group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The group has left the network."))
    return redirect("networks:members", pk=network.pk)


# --- Health -------------------------------------------------------------------------------------


@login_required
@require_GET
def health(request):
    if not access.can_see_health(request.user):
        raise Http404
    networks, district = selectors.network_health()
    for network in networks:
        network.chart = charts.bars(network.attendance, width=180, height=48, labels=False)
        network.chart_id = f"network-{network.pk}"
    context = {
        "networks": networks,
        "district_chart": charts.bars(district, width=360, height=200, labels=True),
        "window_days": selectors.HEALTH_WINDOW_DAYS,
    }
    return render(request, "networks/health.html", context)
