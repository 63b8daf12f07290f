from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin import AccessLoggedAdminMixin
from notifications.models import ChannelPreference, EmailPreference, Message
from notifications.services import resend_failed


@admin.register(Message)
class MessageAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    """The outbox: every email, 알림톡 and text, what the provider said and which SMS replaced which 알림톡."""

    access_person_attr = "user_id"

    list_display = [
        "created_at",
        "channel",
        "kind",
        "recipient",
        "subject",
        "status",
        "delivery",
        "fallback_of_display",
        "attempts",
        "sent_at",
    ]
    list_filter = ["channel", "status", "delivery", "kind", "created_at", "sent_at"]
    search_fields = ["recipient", "subject", "dedup_key", "provider_message_id"]
    date_hierarchy = "created_at"
    list_select_related = False
    show_full_result_count = False
    readonly_fields = [f.name for f in Message._meta.fields] + ["fallback"]
    fieldsets = [
        (None, {"fields": ["channel", "kind", "recipient", "user", "subject", "body_text", "body_html"]}),
        (_("Sending"), {"fields": ["status", "attempts", "last_error", "created_at", "claimed_at", "sent_at"]}),
        (
            _("Provider"),
            {
                "fields": [
                    "template_code",
                    "variables",
                    "provider_message_id",
                    "delivery",
                    "delivery_code",
                    "delivery_message",
                    "delivered_at",
                    "fallback_of",
                    "fallback",
                ]
            },
        ),
        (_("Record"), {"fields": ["dedup_key", "related_type", "related_id"]}),
    ]
    actions = ["resend"]

    def get_queryset(self, request):
        # The list shows ``fallback_of`` by id: no join per row.
        return super().get_queryset(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The outbox is the record of what the portal told whom: it is never edited away.
        return False

    @admin.display(description=_("fallback for"))
    def fallback_of_display(self, obj):
        return obj.fallback_of_id or ""

    @admin.action(description=_("Send the selected failed messages again"), permissions=["change"])
    def resend(self, request, queryset):
        count = resend_failed(email_ids=list(queryset.values_list("pk", flat=True)))
        if count:
            self.message_user(
                request,
                ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", count)
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Only failed messages can be sent again."), messages.WARNING)


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "enabled", "updated_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "preferred", "updated_at"]
    list_filter = ["preferred"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
