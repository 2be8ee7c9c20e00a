from django.urls import path

from livelihood_votes import views

app_name = "livelihood_votes"

urlpatterns = [
    path("livelihood/", views.round_list, name="round_list"),
    path("livelihood/add/", views.round_add, name="round_add"),
    path("livelihood/<int:pk>/", views.round_detail, name="round_detail"),
    path("livelihood/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("livelihood/<int:pk>/vote/", views.round_vote, name="round_vote"),
    path("livelihood/<int:pk>/runoff/", views.round_runoff, name="round_runoff"),
    path("livelihood/<int:pk>/evaluate/", views.round_evaluate, name="round_evaluate"),
    path("livelihood/<int:pk>/candidates/", views.candidate_list, name="candidate_list"),
    path("livelihood/<int:pk>/candidates/add/", views.candidate_add, name="candidate_add"),
    path("livelihood/candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("livelihood/projects/", views.project_list, name="project_list"),
    path("livelihood/projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("livelihood/projects/<int:pk>/assign/", views.project_assign, name="project_assign"),
    path("livelihood/projects/<int:pk>/progress/", views.project_progress, name="project_progress"),
    path("livelihood/projects/<int:pk>/check/", views.project_check, name="project_check"),
    path("livelihood/micro/add/", views.micro_add, name="micro_add"),
    path("livelihood/projects/<int:pk>/approve/", views.micro_approve, name="micro_approve"),
    path("livelihood/projects/<int:pk>/decline/", views.micro_decline, name="micro_decline"),
    path("livelihood/projects/<int:pk>/finish/", views.micro_finish, name="micro_finish"),
    path("livelihood/milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("livelihood/micro/add/", views.micro_add, name="micro_add"),
    path("livelihood/projects/<int:pk>/approve/", views.micro_approve, name="micro_approve"),
    path("livelihood/projects/<int:pk>/decline/", views.micro_decline, name="micro_decline"),
    path("livelihood/projects/<int:pk>/finish/", views.micro_finish, name="micro_finish"),
    path("livelihood/milestones/<int:pk>/follow-up/", views.milestone_follow_up, name="milestone_follow_up"),
    path("livelihood/grades/<int:pk>/rectify/", views.rectification_add, name="rectification_add"),
    path("livelihood/rectifications/<int:pk>/done/", views.rectification_done, name="rectification_done"),
    path("livelihood/photos/<int:pk>/", views.photo, name="photo"),
    path("p/livelihood/<str:token>/", views.public_round, name="public_round"),
    path("p/livelihood/<str:token>/propose/", views.public_propose, name="public_propose"),
    path("p/livelihood/projects/<str:token>/", views.public_project, name="public_project"),
    path("p/micro/rate/<str:code>/", views.public_micro_rate, name="public_micro_rate"),
    path("p/micro/<slug:slug>/", views.public_micro_list, name="public_micro_list"),
    path("p/micro/<slug:slug>/propose/", views.public_micro_propose, name="public_micro_propose"),
]
