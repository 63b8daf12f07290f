from django.contrib import admin

from notifications.models import Email


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "dedup_key"]
    readonly_fields = [f.name for f in Email._meta.fields]
