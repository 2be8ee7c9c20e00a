from django.urls import path

from supervision.activities import views

app_name = "activities"

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/add/", views.inspection_add, name="inspection_add"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/study/", views.inspection_study, name="inspection_study"),
    path("inspections/<int:pk>/start/", views.inspection_start, name="inspection_start"),
    path("inspections/<int:pk>/findings/add/", views.finding_add, name="finding_add"),
    path("inspections/<int:pk>/report/", views.inspection_report, name="inspection_report"),
    path("inspections/<int:pk>/implementation/", views.inspection_implementation, name="inspection_implementation"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/add/", views.report_add, name="report_add"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/heads/add/", views.unit_head_add, name="unit_head_add"),
    path("reports/<int:pk>/opinions/add/", views.report_opinion_add, name="report_opinion_add"),
    path("unit-heads/<int:pk>/attended/", views.unit_head_attended, name="unit_head_attended"),
    path("unit-heads/<int:pk>/remove/", views.unit_head_remove, name="unit_head_remove"),
    path("appraisals/", views.appraisal_list, name="appraisal_list"),
    path("appraisals/add/", views.appraisal_add, name="appraisal_add"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
    path("appraisals/<int:pk>/edit/", views.appraisal_edit, name="appraisal_edit"),
    path("appraisals/<int:pk>/score/", views.appraisal_score, name="appraisal_score"),
    path("appraisals/<int:pk>/file/", views.appraisal_file, name="appraisal_file"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/add/", views.visit_add, name="visit_add"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/issues/add/", views.visit_issue_add, name="visit_issue_add"),
]
