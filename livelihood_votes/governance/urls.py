from django.urls import path

from livelihood_votes.governance import views

app_name = "governance"

urlpatterns = [
    path("governance/snapshots/", views.snapshot_list, name="snapshot_list"),
    path("governance/hotline/", views.hotline_list, name="hotline_list"),
    path("governance/hotline/add/", views.hotline_add, name="hotline_add"),
    path("governance/hotline/<int:pk>/", views.hotline_detail, name="hotline_detail"),
    path("p/snap/<slug:slug>/", views.snapshot, name="snapshot"),
    path("p/street/<slug:slug>/", views.street_public, name="street_public"),
]
