from django.urls import path

from networks import views

app_name = "networks"

urlpatterns = [
    path("", views.network_list, name="list"),
    path("calendar.ics", views.calendar_all, name="calendar_all"),
    path("health/", views.health, name="health"),
    path("my/registrations/", views.my_registrations, name="my_registrations"),
    path("<int:pk>/", views.network_detail, name="detail"),
    path("<int:pk>/calendar.ics", views.calendar_network, name="calendar"),
    path("<int:pk>/members/", views.network_members, name="members"),
    path("<int:pk>/members/<int:group_pk>/remove/", views.network_member_remove, name="member_remove"),
    path("<int:pk>/forums/new/", views.forum_create, name="forum_create"),
    path("forums/<int:pk>/", views.forum_detail, name="forum"),
    path("forums/<int:pk>/calendar.ics", views.calendar_forum, name="forum_calendar"),
    path("forums/<int:pk>/edit/", views.forum_edit, name="forum_edit"),
    path("forums/<int:pk>/record/", views.forum_record, name="forum_record"),
    path("forums/<int:pk>/register/", views.forum_register, name="forum_register"),
    path("forums/<int:pk>/decisions/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/done/", views.decision_done, name="decision_done"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
]
