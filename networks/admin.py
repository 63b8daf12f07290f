from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import AccessLoggedAdminMixin
from networks import services
from networks.models import (
    CommunityGroup,
    Decision,
    District,
    Dong,
    Forum,
    ForumRegistration,
    GroupChange,
    GroupMember,
    Network,
    NetworkMembership,
    Region,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "code"]
    search_fields = ["name", "city"]


class DongInline(admin.TabularInline):
    model = Dong
    fields = ["name", "code", "order"]
    extra = 0


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "hub_dong"]
    list_select_related = ["district", "hub_dong"]
    search_fields = ["name"]
    autocomplete_fields = ["hub_dong"]


@admin.register(Dong)
class DongAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "district"]
    list_filter = ["district", "region"]
    list_editable = ["region"]
    list_select_related = ["region", "district"]
    search_fields = ["name", "code"]


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0


class GroupChangeInline(admin.TabularInline):
    """The group's history (who changed what, when): read-only, newest first."""

    model = GroupChange
    extra = 0
    fields = ["at", "by", "changes"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CommunityGroup)
class CommunityGroupAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    access_person_attr = "representative_id"
    list_display = ["name", "kind", "dong", "representative", "member_count"]
    list_filter = ["kind", "dong__region", "dong"]
    list_select_related = ["dong", "representative"]
    search_fields = ["name", "representative__name", "representative__email"]
    autocomplete_fields = ["dong", "representative"]
    inlines = [GroupMemberInline, GroupChangeInline]

    def save_model(self, request, obj, form, change):
        # The state before the edit, read from the database (``obj`` already holds the new values).
        request._group_before = services.group_state(CommunityGroup.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_group_before", None)
        if before is not None:
            services.record_group_change(group=form.instance, by=request.user, before=before)


class NetworkMembershipInline(admin.TabularInline):
    """Groups by place are listed read-only; staff add groups by hand to regional networks."""

    model = NetworkMembership
    extra = 0
    fields = ["group", "source", "joined_at"]
    readonly_fields = ["source", "joined_at"]
    autocomplete_fields = ["group"]

    def has_change_permission(self, request, obj=None):
        return False  # a membership is added or removed, never edited

    def has_add_permission(self, request, obj=None):
        return obj is not None and obj.kind == Network.Kind.REGIONAL and super().has_add_permission(request, obj)


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "dong", "region"]
    list_filter = ["kind", "region"]
    list_select_related = ["dong", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["dong", "region", "coordinators"]
    inlines = [NetworkMembershipInline]
    actions = ["resync_memberships"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not NetworkMembership:
            return super().save_formset(request, form, formset, change)
        network = form.instance
        memberships = formset.save(commit=False)
        for membership in memberships:
            services.add_group_to_network(network=network, group=membership.group)
        for membership in formset.deleted_objects:
            try:
                services.remove_group_from_network(network=network, group=membership.group)
            except ValidationError as error:
                messages.warning(request, f"{membership.group}: {' '.join(error.messages)}")

    @admin.action(description=_("Resync automatic memberships of every network"))
    def resync_memberships(self, request, queryset):
        count = services.resync_all()
        message = ngettext("%(count)d network resynced.", "%(count)d networks resynced.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ["group", "network", "source", "joined_at"]
    list_filter = ["source", "network__kind", "network"]
    list_select_related = ["group", "network"]
    search_fields = ["group__name", "network__name"]

    def has_add_permission(self, request):
        return False  # add groups on the network's page, through the service

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ForumRegistrationInline(admin.TabularInline):
    """Registrations are read-only here: places go through the capacity-checking service, and
    attendance is recorded on the forum's own page (``services.record_outcome``)."""

    model = ForumRegistration
    extra = 0
    fields = ["user", "group", "registered_at", "cancelled_at", "attended"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # registrations go through the capacity-checking service


class DecisionInline(admin.TabularInline):
    """A decision is added through ``services.add_decision``; it is marked done through
    ``services.set_decision_done`` (the actions on the decisions list), never by typing a date."""

    model = Decision
    extra = 0
    fields = ["text", "owner", "due_date", "done_at"]
    readonly_fields = ["done_at"]


class ForumAdminForm(forms.ModelForm):
    class Meta:
        model = Forum
        fields = [
            "network",
            "title",
            "agenda",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "open_to_all",
            "organiser",
            "minutes",
            "walk_in_count",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and "capacity" in self.changed_data:
            try:
                services.check_capacity(forum=self.instance, capacity=cleaned.get("capacity"))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    form = ForumAdminForm
    list_display = ["title", "network", "starts_at", "place", "capacity"]
    list_filter = ["network__kind"]
    list_select_related = ["network"]
    search_fields = ["title", "network__name"]
    autocomplete_fields = ["network", "organiser"]
    readonly_fields = ["attendance_recorded_at"]
    date_hierarchy = "starts_at"
    inlines = [ForumRegistrationInline, DecisionInline]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # Through the service: it re-checks the capacity under the forum's row lock.
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        form.instance = services.update_forum(forum=obj, **fields)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Decision:
            return super().save_formset(request, form, formset, change)
        for decision in formset.save(commit=False):
            if decision.pk is None:
                try:
                    services.add_decision(
                        forum=form.instance, text=decision.text, owner=decision.owner, due_date=decision.due_date
                    )
                except ValidationError as error:
                    messages.warning(request, f"{decision.text}: {' '.join(error.messages)}")
            else:
                decision.save(update_fields=["text", "owner", "due_date"])
        for decision in formset.deleted_objects:
            decision.delete()


class DecisionOpenFilter(admin.SimpleListFilter):
    title = _("follow-up")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Not done yet")), ("done", _("Done"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(done_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "forum", "owner", "due_date", "done_at"]
    list_filter = [DecisionOpenFilter, "forum__network"]
    list_select_related = ["forum"]
    search_fields = ["text", "owner", "forum__title"]
    autocomplete_fields = ["forum"]
    readonly_fields = ["forum", "done_at"]
    actions = ["mark_done", "reopen"]

    def has_add_permission(self, request):
        return False  # decisions are added on their forum's page, through services.add_decision

    @admin.action(description=_("Mark the selected decisions done"))
    def mark_done(self, request, queryset):
        for decision in queryset:
            services.set_decision_done(decision=decision, done=True)
        self.message_user(request, _("Marked done."), messages.SUCCESS)

    @admin.action(description=_("Reopen the selected decisions"))
    def reopen(self, request, queryset):
        for decision in queryset:
            services.set_decision_done(decision=decision, done=False)
        self.message_user(request, _("Reopened."), messages.SUCCESS)
