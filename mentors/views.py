"""The support team's pages, and the group representative's view of their visits.

Outsiders get 404 (a mentor sees only the groups assigned to them); a mentor who may see
a visit but not change it gets 403. Mutating views are POST-only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AccessLog
from accounts.services import access_record
from grants.models import Application
from mentors import access, selectors, services
from mentors.forms import AttendanceForm, EducationSessionForm, FollowUpFormSet, VisitForm, follow_up_initial
from mentors.models import CoachingVisit, FollowUp
from portal.errors import Refused

HOME_PAGE_SIZE = 25


def _mentor_or_404(user):
    if not getattr(user, "is_mentor", False):
        raise selectors.not_a_mentor()
    return user.mentor_profile


def _visit_for_user(user, visit_id: int, *, for_edit: bool = False) -> CoachingVisit:
    """A visit the user's mentor profile logged, or one to a group they follow now; 404 for anyone
    else (a former mentor of the group keeps only their own visits). With ``for_edit``, 403 unless
    it is their own visit inside the 14-day window."""
    mentor = _mentor_or_404(user)
    visit = CoachingVisit.objects.select_related("mentor", "group", "group__dong").filter(pk=visit_id).first()
    if visit is None:
        raise Http404
    if visit.mentor_id != mentor.pk and not access.follows_group_now(user, visit.group_id):
        raise Http404
    if for_edit and not visit.editable_by(user):
        raise _edit_refused(visit, user)
    return visit


def _edit_refused(visit: CoachingVisit, user) -> Refused:
    """Why this mentor may not change this visit, and the way back to the group."""
    if visit.mentor.user_id != user.pk:
        explanation = _("Only the mentor who logged a visit can change it. This visit was logged by %(mentor)s.") % {
            "mentor": visit.mentor
        }
    else:
        explanation = _(
            "A visit can be changed for %(days)s days after it was logged. This one was logged on %(date)s and is "
            "now part of the record. To add something, log a new visit or add a follow-up action; to correct a "
            "mistake, call the support team office."
        ) % {"days": CoachingVisit.EDIT_WINDOW.days, "date": date_format(timezone.localtime(visit.created_at))}
    return Refused(
        explanation,
        next_url=reverse("mentors:group", args=[visit.group_id]),
        next_label=_("Back to the group's page"),
    )


def _days_since(date, today):
    return (today - date).days if date else None


@login_required
def home(request):
    mentor = _mentor_or_404(request.user)
    round = selectors.current_round()
    page = None
    overdue_count = 0
    if round is not None:
        assignments = selectors.mentor_home_assignments(mentor, round)
        total, overdue_count = selectors.mentor_home_counts(mentor, round)
        paginator = Paginator(assignments, HOME_PAGE_SIZE)
        paginator.count = total  # counted once above, without the per-group annotations
        page = paginator.get_page(request.GET.get("page"))
        today = timezone.localdate()
        for assignment in page:
            assignment.days_since = _days_since(assignment.last_visit, today)
            assignment.status_label = (
                Application.Status(assignment.application_status).label if assignment.application_status else None
            )
    context = {
        "mentor": mentor,
        "round": round,
        "page": page,
        "overdue_count": overdue_count,
        "sessions": selectors.upcoming_sessions(mentor)[:10],
    }
    return render(request, "mentors/home.html", context)


@login_required
def group_detail(request, group_id):
    assignment = selectors.assignment_for_mentor(request.user, group_id)
    group = assignment.group
    visits = list(selectors.group_visits(group))
    today = timezone.localdate()
    follow_ups = sorted(
        (f for visit in visits for f in visit.follow_ups.all()),
        key=lambda f: (f.done_at is not None, f.due_date or today.replace(year=9999), f.pk),
    )
    for visit in visits:
        visit.can_edit = visit.editable_by(request.user)
    access_record(user=request.user, action=AccessLog.Action.VIEW, subject=group, person=group.representative_id)
    last_visit = visits[0].date if visits else None
    context = {
        "assignment": assignment,
        "group": group,
        "round": assignment.round,
        "application": selectors.group_application(group, assignment.round),
        "visits": visits,
        "follow_ups": follow_ups,
        "last_visit": last_visit,
        "days_since": _days_since(last_visit, today),
    }
    return render(request, "mentors/group_detail.html", context)


@login_required
@require_POST
def follow_up_done(request, follow_up_id):
    _mentor_or_404(request.user)
    follow_up = FollowUp.objects.select_related("visit").filter(pk=follow_up_id).first()
    if follow_up is None:
        raise Http404
    # The group's current mentor may close its follow-ups; everyone else gets a 404.
    if not access.follows_group_now(request.user, follow_up.visit.group_id):
        raise Http404
    services.mark_follow_up_done(follow_up=follow_up, by=request.user)
    messages.success(request, _("Marked as done."))
    return redirect("mentors:group", group_id=follow_up.visit.group_id)


def _follow_up_data(formset):
    return [form.to_data() for form in formset.forms if form.cleaned_data]


@login_required
def visit_create(request, group_id):
    assignment = selectors.assignment_for_mentor(request.user, group_id)
    group = assignment.group
    forums = selectors.forums_for_group(group)
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES, forums=forums)
        formset = FollowUpFormSet(request.POST, prefix="followups")
        if form.is_valid() and formset.is_valid():
            visit = services.log_visit(
                mentor=assignment.mentor,
                group=group,
                **form.changes(),
                follow_ups=_follow_up_data(formset),
                photos=form.cleaned_data.get("photos") or [],
            )
            messages.success(request, _("Visit on %(date)s saved.") % {"date": visit.date})
            return redirect("mentors:group", group_id=group.pk)
    else:
        form = VisitForm(forums=forums)
        formset = FollowUpFormSet(prefix="followups")
    context = {"group": group, "form": form, "formset": formset, "visit": None}
    return render(request, "mentors/visit_form.html", context)


@login_required
def visit_edit(request, visit_id):
    visit = _visit_for_user(request.user, visit_id, for_edit=True)
    forums = selectors.forums_for_group(visit.group)
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES, instance=visit, forums=forums)
        formset = FollowUpFormSet(request.POST, prefix="followups")
        if form.is_valid() and formset.is_valid():
            services.update_visit(
                visit=visit,
                by=request.user,
                changes=form.changes(),
                follow_ups=_follow_up_data(formset),
                photos=form.cleaned_data.get("photos") or [],
            )
            messages.success(request, _("Visit updated."))
            return redirect("mentors:group", group_id=visit.group_id)
    else:
        form = VisitForm(instance=visit, forums=forums)
        formset = FollowUpFormSet(prefix="followups", initial=follow_up_initial(visit))
    context = {"group": visit.group, "form": form, "formset": formset, "visit": visit}
    return render(request, "mentors/visit_form.html", context)


@login_required
def photo_download(request, photo_id):
    """A visit photo for whoever ``mentors.access.can_read_photo`` allows (404 for anyone else);
    every read is logged."""
    photo = access.photo_queryset().filter(pk=photo_id).first()
    if photo is None or not access.can_read_photo(request.user, photo):
        raise Http404
    return access.serve_photo(user=request.user, photo=photo)


@login_required
def group_visits_for_resident(request, group_id):
    group = selectors.group_for_resident(request.user, group_id)
    context = {
        "group": group,
        "visits": selectors.resident_visit_summaries(group),
        "invitations": selectors.resident_session_invitations(group),
    }
    return render(request, "mentors/resident_visits.html", context)


@login_required
def my_group_visits(request):
    """The nav's entry for a representative: their group's support record, or where to start."""
    group = request.user.represented_groups.order_by("pk").first()
    if group is None:
        return render(request, "mentors/resident_no_group.html")
    return redirect("mentors:group_visits_for_resident", group_id=group.pk)


@login_required
def session_create(request):
    mentor = _mentor_or_404(request.user)
    round = selectors.current_round()
    groups = selectors.mentor_groups(mentor, round)
    if request.method == "POST":
        form = EducationSessionForm(request.POST, groups=groups)
        if form.is_valid():
            data = form.cleaned_data
            session = services.schedule_session(
                mentor=mentor,
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                capacity=data["capacity"],
                description=data["description"],
                groups=data["groups"],
            )
            messages.success(request, _("Session scheduled."))
            return redirect("mentors:session", session_id=session.pk)
    else:
        form = EducationSessionForm(groups=groups)
    return render(request, "mentors/session_form.html", {"form": form})


@login_required
def session_detail(request, session_id):
    session = selectors.session_for_mentor(request.user, session_id)
    invitations = session.invitations.select_related("group", "group__dong")
    if request.method == "POST":
        form = AttendanceForm(request.POST, invitations=invitations)
        if form.is_valid():
            services.record_attendance(session=session, by=request.user, attendance=form.attendance())
            messages.success(request, _("Attendance saved."))
            return redirect("mentors:session", session_id=session.pk)
    else:
        form = AttendanceForm(invitations=invitations)
    return render(request, "mentors/session_detail.html", {"session": session, "form": form})
