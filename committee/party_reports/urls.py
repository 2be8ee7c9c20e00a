from django.urls import path

from committee.party_reports import views

app_name = "party_reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("add/", views.report_add, name="add"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
]
