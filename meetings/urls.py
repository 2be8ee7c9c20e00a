from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("add/", views.meeting_add, name="add"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/confirm/", views.meeting_confirm, name="confirm"),
    path("<int:pk>/reschedule/", views.meeting_reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/answer/", views.meeting_answer, name="answer"),
    path("<int:pk>/chase/", views.meeting_chase, name="chase"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/change/", views.agenda_change, name="agenda_change"),
    path("agenda/<int:pk>/", views.agenda_item, name="agenda_item"),
    path("agenda/documents/<int:pk>/", views.agenda_document, name="agenda_document"),
    path("<int:pk>/sign-in/", views.sign_in_sheet, name="sign_in"),
    path("participants/<int:pk>/sign-in/", views.sign_in_toggle, name="sign_in_toggle"),
    path("<int:pk>/quorum/", views.quorum_fragment, name="quorum"),
    path("sign-in/<str:token>/", views.self_sign_in, name="self_sign_in"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/opinions/add/", views.opinion_add, name="opinion_add"),
]
