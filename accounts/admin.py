from operator import attrgetter

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.forms import AdminLockoutAuthenticationForm
from accounts.models import AccessLog, DestructionRecord, PrivacyPolicy, PrivacyRequest, RetentionRule, User
from accounts.services import access_record, access_record_many


class AccessLoggedAdminMixin:
    """Put first in the bases of any ``ModelAdmin`` whose rows hold a person's data: every list
    page shown writes one ``LIST`` row per object on it (one INSERT), and every change page
    opened (GET) writes a ``VIEW`` row. ``access_person_attr`` is the dotted path from the object
    to the id of the user whose data it is ("pk" for a user, "group.representative_id" for a
    group's record); keep what it crosses in ``list_select_related`` so logging adds no query
    per row."""

    access_person_attr = "pk"

    def access_person(self, obj):
        return attrgetter(self.access_person_attr)(obj)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            access_record_many(
                user=request.user,
                action=AccessLog.Action.LIST,
                entries=[(obj, self.access_person(obj)) for obj in changelist.result_list],
                detail=request.get_full_path(),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and original is not None and response.status_code == 200:
            access_record(
                user=request.user, action=AccessLog.Action.VIEW, subject=original, person=self.access_person(original)
            )
        return response


@admin.register(User)
class UserAdmin(AccessLoggedAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "phone", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "name", "phone"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("name", "phone", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)


class _PersonTextFilter(admin.SimpleListFilter):
    """A free-text filter (name or email) on one user field of the access log."""

    template = "admin/accounts/text_filter.html"
    field = ""

    def lookups(self, request, model_admin):
        return (("", ""),)  # a single (hidden) choice, so the admin renders the filter

    def choices(self, changelist):
        all_choice = next(super().choices(changelist))
        all_choice["query_parts"] = [
            (name, value)
            for name, values in changelist.get_filters_params().items()
            if name != self.parameter_name
            for value in (values if isinstance(values, list) else [values])
        ]
        yield all_choice

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(**{f"{self.field}__email__icontains": value}) | Q(**{f"{self.field}__name__icontains": value})
        )


class PersonFilter(_PersonTextFilter):
    title = _("whose data")
    parameter_name = "person"
    field = "person"


class ReaderFilter(_PersonTextFilter):
    title = _("staff member")
    parameter_name = "reader"
    field = "user"


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The portal's one access log, read-only: nobody may add, change or delete a row here.
    Staff (and an auditor sitting beside them) search it by the person whose data was read and
    by the staff member who read it. Rows are kept at least two years (``accounts.retention``)."""

    list_display = ["at", "user", "action", "person", "subject_type", "subject_label", "detail"]
    list_filter = [PersonFilter, ReaderFilter, "action", "subject_type", "at"]
    list_select_related = ["user", "person", "subject_type"]
    search_fields = ["user__name", "user__email", "person__name", "person__email", "subject_label"]
    show_full_result_count = False
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(admin.ModelAdmin):
    """Staff write the policy; a version in force is kept as it was (add the next version instead)."""

    list_display = ["version", "effective_on", "officer_name", "updated_at"]
    fieldsets = [
        (None, {"fields": ["version", "effective_on"]}),
        (
            _("Contents"),
            {"fields": ["collected", "purposes", "retention", "recipients", "rights", "safety_measures"]},
        ),
        (_("Privacy officer"), {"fields": ["officer_name", "officer_department", "officer_phone", "officer_email"]}),
    ]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.has_taken_effect:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    """One rule per registered kind of data; staff set the period (never below the legal floor)."""

    list_display = ["label", "period_days", "period_display", "method", "basis", "updated_at"]
    fields = ["kind", "period_days", "basis"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DestructionRecord)
class DestructionRecordAdmin(admin.ModelAdmin):
    """What the retention job destroyed: for the auditor, read-only."""

    list_display = ["at", "kind_label", "method", "count", "period_days", "cutoff", "by"]
    list_filter = ["method", "rule"]
    list_select_related = ["by"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PrivacyRequestAnswerForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (PrivacyRequest.Status.DONE, _("Done")),
            (PrivacyRequest.Status.REFUSED, _("Refused, with the reason")),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PrivacyRequest
        fields = ["answer"]

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("answer") or "").strip():
            self.add_error("answer", _("Write the answer the person will receive (for a refusal, the reason)."))
        return cleaned


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    """The staff queue of the people's requests, the nearest legal deadline first. Answering goes
    through ``accounts.services.privacy_request_answer`` (it carries out a deletion or a
    suspension and tells the person); an answered request is read-only."""

    access_person_attr = "user_id"
    form = PrivacyRequestAnswerForm
    list_display = ["created_at", "user", "kind", "due_on", "deadline", "status", "answered_at", "answered_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["user", "answered_by"]
    search_fields = ["user__name", "user__email"]
    ordering = ["status", "due_on", "id"]
    readonly_fields = ["user", "kind", "message", "created_at", "due_on", "status", "answered_at", "answered_by"]

    @admin.display(description=_("deadline"))
    def deadline(self, obj):
        if obj.is_overdue:
            return format_html('<strong class="errornote" data-testid="overdue">{}</strong>', _("Overdue"))
        if obj.status == PrivacyRequest.Status.OPEN:
            days = (obj.due_on - timezone.localdate()).days
            return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
        return "—"

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status == PrivacyRequest.Status.OPEN:
            return [*self.readonly_fields[:5], "decision", "answer"]
        return [*self.readonly_fields, "answer"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != PrivacyRequest.Status.OPEN:
            return [*self.readonly_fields, "answer"]
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.privacy_request_answer(
            request=obj, by=request.user, status=form.cleaned_data["decision"], answer=form.cleaned_data["answer"]
        )


# The admin's login is one more way in: it takes the portal's lock-out (accounts.forms).
admin.site.login_form = AdminLockoutAuthenticationForm
