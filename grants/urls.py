from django.urls import path

from grants import views, views_group

app_name = "grants"

urlpatterns = [
    path("rounds/<int:pk>/results/", views.round_results, name="round_results"),
    path("rounds/<int:round_pk>/apply/", views.start_application, name="start_application"),
    path("my/group/", views_group.group, name="group"),
    path("my/applications/", views.my_applications, name="my_applications"),
    path("my/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("my/applications/<int:pk>/project/", views.apply_project, name="apply_project"),
    path("my/applications/<int:pk>/budget/", views.apply_budget, name="apply_budget"),
    path("my/applications/<int:pk>/documents/", views.apply_documents, name="apply_documents"),
    path(
        "my/applications/<int:pk>/documents/<int:attachment_pk>/delete/",
        views.delete_attachment,
        name="delete_attachment",
    ),
    path("my/applications/<int:pk>/consent/", views.apply_consent, name="apply_consent"),
    path("my/applications/<int:pk>/review/", views.apply_review, name="apply_review"),
    path("my/applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("my/applications/<int:pk>/letters/<str:kind>.pdf", views.letter, name="letter"),
    path(
        "applications/<int:pk>/documents/<int:attachment_pk>/download/",
        views.download_attachment,
        name="download_attachment",
    ),
]

# The public home page lives at the site root under the un-namespaced name "home".
home_urlpatterns = [path("", views.home, name="home")]
