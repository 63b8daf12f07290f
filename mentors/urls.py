from django.urls import path

from mentors import views

app_name = "mentors"

urlpatterns = [
    path("", views.home, name="home"),
]
