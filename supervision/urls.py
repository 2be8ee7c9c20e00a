from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("opinions/", views.opinion_list, name="opinion_list"),
    path("opinions/add/", views.opinion_add, name="opinion_add"),
    path("opinions/report/", views.deputy_report, name="deputy_report"),
    path("opinions/inbox/", views.inbox, name="inbox"),
    path("opinions/mine/", views.mine, name="mine"),
    path("opinions/figures/", views.figures, name="figures"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion_detail"),
    path("opinions/<int:pk>/act/<slug:action>/", views.opinion_act, name="opinion_act"),
    path("opinions/<int:pk>/reply/", views.opinion_reply, name="reply"),
    path("opinions/commitments/<int:pk>/done/", views.commitment_done, name="commitment_done"),
    path("opinions/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("handling-units/", views.unit_list, name="unit_list"),
    path("handling-units/add/", views.unit_add, name="unit_add"),
    path("handling-units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("handling-units/<int:pk>/delete/", views.unit_delete, name="unit_delete"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/rate/<str:token>/", views.rate_link, name="rate_link"),
    path("track/<str:code>/", views.track, name="track"),
]
