from django.urls import path

from committee.documents import views

app_name = "documents"

urlpatterns = [
    path("documents/<int:pk>/download/", views.download, name="download"),
    path("documents/<int:pk>/status/", views.status, name="status"),
    path("documents/<int:pk>/retry/", views.retry, name="retry"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:token>/", views.verify_token, name="verify_token"),
]
