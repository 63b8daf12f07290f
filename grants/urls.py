from django.urls import path
from django.views.generic import TemplateView

from grants import views

app_name = "grants"

urlpatterns = [
    path("my/applications/", views.my_applications, name="my_applications"),
]

# The public home page lives at the site root under the un-namespaced name "home".
home_urlpatterns = [path("", TemplateView.as_view(template_name="grants/home.html"), name="home")]
