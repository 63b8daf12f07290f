from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

# login and logout keep their un-namespaced names (settings.LOGIN_URL and base.html use them).
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download.json", views.my_data_download, name="my_data_download"),
    path("my-data/request/", views.my_data_request, name="my_data_request"),
    path("my-data/notices/", views.my_data_notices, name="my_data_notices"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]

# Mounted at the site root by portal/urls.py: /privacy/ is where people look for it.
privacy_urlpatterns = [
    path("privacy/", views.privacy_policy, name="privacy"),
    path("privacy/<str:version>/", views.privacy_policy, name="privacy_version"),
]
