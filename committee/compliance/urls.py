from django.urls import path

from committee.compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export.pdf", views.export_pdf, name="export_pdf"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("streets/<int:pk>/", views.street, name="street"),
    path("streets/<int:pk>/rules/<str:rule_id>/", views.cell, name="cell"),
]
