from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.urls import privacy_urlpatterns
from grants.urls import home_urlpatterns
from portal import views

admin.site.site_header = _("Maeul Portal administration")
admin.site.site_title = _("Maeul Portal")
admin.site.index_title = _("District staff workspace")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("networks/", include("networks.urls")),
    path("mentors/", include("mentors.urls")),
    path("my/projects/", include("projects.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("grants.urls")),
    *home_urlpatterns,
    *privacy_urlpatterns,
    path("about/", TemplateView.as_view(template_name="about.html"), name="about"),
]

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
