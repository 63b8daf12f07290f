from django.contrib import admin

from grants.models import Application, Attachment, BudgetLine, Consent, Field, FieldEnvelope, GrantRound, StatusChange


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]


class FieldEnvelopeInline(admin.TabularInline):
    model = FieldEnvelope
    extra = 0
    readonly_fields = ["awarded_total"]


@admin.register(GrantRound)
class GrantRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "opens_at", "closes_at", "budget", "awarded_total"]
    list_filter = ["district", "year"]
    search_fields = ["title"]
    inlines = [FieldEnvelopeInline]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["kind", "granted", "text_version", "recorded_by", "recorded_at"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "round", "field", "requested_amount", "awarded_amount", "status", "submitted_at"]
    list_filter = ["round", "field", "status", "group__kind"]
    list_select_related = ["group", "round", "field"]
    search_fields = ["title", "group__name", "group__representative__name"]
    autocomplete_fields = ["group", "round", "field"]
    readonly_fields = ["status", "awarded_amount", "submitted_at", "decided_at"]
    inlines = [BudgetLineInline, AttachmentInline, ConsentInline, StatusChangeInline]
