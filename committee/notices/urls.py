from django.urls import path

from committee.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("preferences/", views.preferences, name="preferences"),
    path("<int:pk>/open/", views.open_notice, name="open"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("c/<str:token>/", views.confirm_link, name="confirm_link"),
    path("sent/", views.sent_list, name="sent_list"),
    path("event/<str:event_key>/", views.event_detail, name="event_detail"),
    path("event/<str:event_key>/resend/", views.resend, name="resend"),
    path("failed/", views.failed_list, name="failed_list"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
