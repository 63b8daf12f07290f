from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.my_projects, name="my_projects"),
    path("<int:pk>/", views.project_home, name="home"),
    path("<int:pk>/plan/", views.plan, name="plan"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/disbursements/", views.disbursements, name="disbursements"),
    path("<int:pk>/ledger/", views.ledger, name="ledger"),
    path("<int:pk>/ledger/<int:expense_pk>/", views.expense_edit, name="expense_edit"),
    path("<int:pk>/ledger/<int:expense_pk>/delete/", views.expense_delete, name="expense_delete"),
    path("<int:pk>/ledger/<int:expense_pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/settlement/", views.settlement, name="settlement"),
    path("<int:pk>/reports/<str:kind>/", views.report, name="report"),
]
