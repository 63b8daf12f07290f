from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import AccessLoggedAdminMixin
from notifications.models import Email, EmailPreference
from notifications.services import resend_failed


@admin.register(Email)
class EmailAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    access_person_attr = "user_id"
    list_display = ["created_at", "kind", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at", "sent_at"]
    search_fields = ["recipient", "subject", "dedup_key"]
    date_hierarchy = "created_at"
    list_select_related = False
    show_full_result_count = False
    readonly_fields = [f.name for f in Email._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The outbox is the record of what the portal told whom: it is never edited away.
        return False

    @admin.action(description=_("Send the selected failed emails again"), permissions=["change"])
    def resend(self, request, queryset):
        count = resend_failed(email_ids=list(queryset.values_list("pk", flat=True)))
        if count:
            self.message_user(
                request,
                ngettext("%(count)d email will be sent again.", "%(count)d emails will be sent again.", count)
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Only failed emails can be sent again."), messages.WARNING)


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled", "updated_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
