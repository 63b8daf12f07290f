from django.contrib import admin

from networks.models import CommunityGroup, District, Dong, Forum, GroupMember, Network, NetworkMembership, Region


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


@admin.register(CommunityGroup)
class CommunityGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "dong", "representative", "member_count"]
    list_filter = ["kind", "dong__region", "dong"]
    list_select_related = ["dong", "representative"]
    search_fields = ["name", "representative__name", "representative__email"]
    autocomplete_fields = ["dong", "representative"]
    inlines = [GroupMemberInline]


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["group"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "dong", "region"]
    list_filter = ["kind", "region"]
    list_select_related = ["dong", "region"]
    search_fields = ["name"]
    autocomplete_fields = ["dong", "region", "coordinators"]
    inlines = [NetworkMembershipInline]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "starts_at", "place", "capacity"]
    list_filter = ["network__kind"]
    list_select_related = ["network"]
    search_fields = ["title", "network__name"]
    autocomplete_fields = ["network", "organiser"]
    date_hierarchy = "starts_at"
