from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.admin import AccessLoggedAdminMixin
from grants.admin import ApplicationAdmin
from grants.models import GrantRound
from mentors import reports, selectors, services
from mentors.models import (
    Assignment,
    AssignmentChange,
    CoachingVisit,
    EducationSession,
    FollowUp,
    Mentor,
    SessionInvitation,
    VisitPhoto,
)


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "active", "group_count"]
    list_select_related = ["user"]
    search_fields = ["user__name", "user__email"]
    autocomplete_fields = ["user"]
    change_list_template = "admin/mentors/mentor/change_list.html"

    def get_queryset(self, request):
        round = selectors.current_round()
        return (
            super()
            .get_queryset(request)
            .annotate(groups_this_round=Count("assignments", filter=Q(assignments__round=round)))
        )

    @admin.display(description=_("groups this round"), ordering="groups_this_round")
    def group_count(self, obj):
        return obj.groups_this_round

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("coverage/", view(self.coverage_view), name="mentors_mentor_coverage"),
            path("coverage/visits.xlsx", view(self.export_visits_view), name="mentors_mentor_export_visits"),
            *super().get_urls(),
        ]

    def coverage_view(self, request):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        context = {
            **self.admin_site.each_context(request),
            **reports.coverage(today=timezone.localdate()),
            "title": _("Support team coverage"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/mentors/coverage.html", context)

    def export_visits_view(self, request):
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="coaching-visits-{timezone.localdate()}.xlsx"'
        reports.write_visits_workbook(response)
        return response


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["group", "group_dong", "mentor", "round", "pinned"]
    list_filter = ["round", "mentor", "pinned", "group__dong__region"]
    list_select_related = ["group", "group__dong", "mentor__user", "round"]
    search_fields = ["group__name"]
    autocomplete_fields = ["group", "mentor", "round"]
    change_list_template = "admin/mentors/assignment/change_list.html"
    actions = ["auto_assign_rounds"]

    @admin.action(description=_("Auto-assign the round of the selected assignments (preview first)"))
    def auto_assign_rounds(self, request, queryset):
        # Never applied from the list: the preview shows every move and asks for confirmation.
        round_id = queryset.values_list("round_id", flat=True).first()
        return redirect(f"{reverse('admin:mentors_assignment_auto')}?round={round_id}")

    @admin.display(description=_("dong"), ordering="group__dong__name")
    def group_dong(self, obj):
        return obj.group.dong

    def get_readonly_fields(self, request, obj=None):
        # Moving a row to another group or round would hide the move from the audit trail.
        return ["group", "round"] if obj else []

    def save_model(self, request, obj, form, change):
        services.save_manual_assignment(assignment=obj, by=request.user)

    def get_urls(self):
        return [
            path("auto-assign/", self.admin_site.admin_view(self.auto_assign_view), name="mentors_assignment_auto"),
            *super().get_urls(),
        ]

    def auto_assign_view(self, request):
        """Choose a round → preview every assignment made or moved → confirm. Existing pairs
        stay unless staff tick "also rebalance existing pairs"; the confirmation applies the
        plan that was shown (``expected_fingerprint``) or shows the new one."""
        if not self.has_change_permission(request) or not self.has_add_permission(request):
            return HttpResponse(status=403)
        rounds = GrantRound.objects.all()
        data = request.POST if request.method == "POST" else request.GET
        round = rounds.filter(pk=data.get("round")).first() if data.get("round", "").isdigit() else None
        move_existing = data.get("move_existing") == "1"
        plan = None
        if request.method == "POST" and round is None:
            messages.error(request, _("Choose a round."))
        elif round is not None and request.method == "POST" and "confirm" in request.POST:
            try:
                result = services.auto_assign(
                    round=round,
                    by=request.user,
                    move_existing=move_existing,
                    expected_fingerprint=request.POST.get("fingerprint", ""),
                )
            except services.PlanChanged as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _(
                        "Auto-assign done: %(created)s new, %(moved)s moved, %(unchanged)s kept, %(pinned)s pinned. "
                        "The mentors whose groups changed were emailed."
                    )
                    % {
                        "created": result.created,
                        "moved": result.moved,
                        "unchanged": result.unchanged + result.kept,
                        "pinned": result.pinned,
                    },
                )
                return redirect(f"{reverse('admin:mentors_assignment_changelist')}?round__id__exact={round.pk}")
        if round is not None and (request.method == "POST" or "round" in request.GET):
            plan = services.auto_assign_plan(round=round, move_existing=move_existing)
        mentors = list(Mentor.objects.filter(active=True).select_related("user"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Auto-assign groups to mentors"),
            "opts": self.model._meta,
            "rounds": rounds,
            "current_round": round or selectors.current_round(),
            "move_existing": move_existing,
            "active_mentors": mentors,
            "plan": plan,
            "plan_loads": [(m, plan.loads.get(m.pk, 0)) for m in mentors] if plan else [],
        }
        return TemplateResponse(request, "admin/mentors/auto_assign.html", context)


@admin.register(AssignmentChange)
class AssignmentChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "group", "round", "from_mentor", "to_mentor", "by", "reason"]
    list_filter = ["round", "reason", "to_mentor"]
    list_select_related = ["group", "round", "from_mentor__user", "to_mentor__user", "by"]
    search_fields = ["group__name"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FollowUpInlineForm(forms.ModelForm):
    mark_done = forms.BooleanField(label=_("mark done"), required=False)

    class Meta:
        model = FollowUp
        fields = ["description", "owner", "due_date"]


class FollowUpInline(admin.TabularInline):
    """``done_at`` and ``done_by`` are set together by ``services.mark_follow_up_done`` (the
    "mark done" box), never typed in."""

    model = FollowUp
    form = FollowUpInlineForm
    extra = 0
    fields = ["description", "owner", "due_date", "done_at", "done_by", "mark_done"]
    readonly_fields = ["done_at", "done_by"]


class VisitPhotoInline(admin.TabularInline):
    model = VisitPhoto
    extra = 0
    fields = ["photo_link", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("mentors:photo", args=[obj.pk]), obj.original_name)


@admin.register(CoachingVisit)
class CoachingVisitAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    access_person_attr = "group.representative_id"
    list_display = ["date", "kind", "group", "mentor", "duration_minutes", "attendees"]
    list_filter = ["kind", "mentor", "group__dong__region"]
    list_select_related = ["group", "mentor__user"]
    search_fields = ["group__name", "topics"]
    autocomplete_fields = ["group", "mentor", "forum"]
    date_hierarchy = "date"
    exclude = ["follow_up_actions"]
    inlines = [FollowUpInline, VisitPhotoInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is FollowUp:
            for inline_form in formset.forms:
                if inline_form.cleaned_data.get("mark_done") and inline_form.instance.pk:
                    services.mark_follow_up_done(follow_up=inline_form.instance, by=request.user)


class SessionInvitationInline(admin.TabularInline):
    """Attendance is the session mentor's record (``services.record_attendance``): read-only here."""

    model = SessionInvitation
    extra = 0
    autocomplete_fields = ["group"]
    fields = ["group", "attended", "attendees"]
    readonly_fields = ["attended", "attendees"]


@admin.register(EducationSession)
class EducationSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "place", "mentor", "capacity"]
    list_filter = ["mentor"]
    list_select_related = ["mentor__user"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    inlines = [SessionInvitationInline]


# --- The grants application page shows the group's mentor visits ----------------------
# Visits hang off the group, not the application, so an inline cannot reach them; a
# read-only field contributed from here keeps grants free of any import of mentors.


@admin.display(description=_("Mentor visits"))
def mentor_visits(model_admin, application):
    if application is None or not application.pk:
        return "—"
    visits = (
        CoachingVisit.objects.filter(group_id=application.group_id)
        .select_related("mentor__user")
        .annotate(open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True)))
        .order_by("-date", "-id")[:50]
    )
    return render_to_string("admin/mentors/application_visits.html", {"visits": visits})


def contribute_to_application_admin(admin_class=ApplicationAdmin) -> None:
    if "mentor_visits" in admin_class.readonly_fields:
        return
    admin_class.mentor_visits = mentor_visits
    admin_class.readonly_fields = [*admin_class.readonly_fields, "mentor_visits"]


contribute_to_application_admin()
