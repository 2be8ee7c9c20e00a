from django.urls import path

from deputies.reports import views

app_name = "constituent_reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("add/", views.report_form, name="add"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_form, name="edit"),
    path("<int:pk>/file/", views.report_file, name="file"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:pk>/case/", views.comment_case, name="comment_case"),
    path("<int:pk>/survey/", views.survey_start, name="survey_start"),
    path("<int:pk>/survey/issue/", views.survey_issue_papers, name="survey_issue_papers"),
]
