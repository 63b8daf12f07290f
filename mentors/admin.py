from django.contrib import admin

from mentors.models import Assignment, CoachingVisit, Mentor


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "active"]
    list_select_related = ["user"]
    search_fields = ["user__name", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["group", "mentor", "round", "pinned"]
    list_filter = ["round", "mentor", "pinned"]
    list_select_related = ["group", "mentor__user", "round"]
    search_fields = ["group__name"]
    autocomplete_fields = ["group", "mentor", "round"]


@admin.register(CoachingVisit)
class CoachingVisitAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "group", "mentor", "duration_minutes", "attendees"]
    list_filter = ["kind", "mentor"]
    list_select_related = ["group", "mentor__user"]
    search_fields = ["group__name", "topics"]
    autocomplete_fields = ["group", "mentor", "forum"]
    date_hierarchy = "date"
