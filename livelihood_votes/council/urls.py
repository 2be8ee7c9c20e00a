from django.urls import path

from livelihood_votes.council import views

app_name = "council"

urlpatterns = [
    path("", views.council_page, name="page"),
    path("members/", views.member_list, name="list"),
    path("members/add/", views.member_add, name="add"),
    path("members/<int:pk>/", views.member_detail, name="detail"),
    path("members/<int:pk>/<slug:action>/", views.member_action, name="action"),
    path("objections/<int:pk>/handle/", views.objection_handle, name="objection_handle"),
    path("notices/publish/", views.notice_publish, name="notice_publish"),
    path("trainings/add/", views.training_add, name="training_add"),
    path("apply/<slug:slug>/", views.apply, name="apply"),
    path("track/<str:code>/", views.track, name="track"),
    path("notice/<slug:slug>/", views.public_notice, name="public_notice"),
]
