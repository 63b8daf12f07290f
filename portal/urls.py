from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from grants.urls import home_urlpatterns
from portal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("networks/", include("networks.urls")),
    path("mentors/", include("mentors.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("grants.urls")),
    *home_urlpatterns,
    path("about/", TemplateView.as_view(template_name="about.html"), name="about"),
]
