from django.urls import path

from mentors import views

app_name = "mentors"

urlpatterns = [
    path("", views.home, name="home"),
    path("groups/<int:group_id>/", views.group_detail, name="group"),
    path("groups/<int:group_id>/visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:visit_id>/edit/", views.visit_edit, name="visit_edit"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
    path("photos/<int:photo_id>/", views.photo_download, name="photo"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("my-group/", views.my_group_visits, name="my_group_visits"),
    path("my-group/<int:group_id>/visits/", views.group_visits_for_resident, name="group_visits_for_resident"),
]
