from django.urls import path

from liaison_stations import views

app_name = "stations"

urlpatterns = [
    path("stations/", views.station_list, name="list"),
    path("stations/add/", views.station_form, name="add"),
    path("stations/<int:pk>/", views.station_detail, name="detail"),
    path("stations/<int:pk>/edit/", views.station_form, name="edit"),
    path("stations/<int:pk>/roles/add/", views.role_add, name="role_add"),
    path("stations/<int:pk>/receptions/add/", views.reception_add, name="reception_add"),
    path("stations/receptions/", views.reception_list, name="receptions"),
    path("stations/receptions/<int:pk>/", views.reception_detail, name="reception"),
    path("stations/receptions/<int:pk>/visits/add/", views.visit_add, name="visit_add"),
    path("stations/receptions/<int:pk>/report/", views.reception_report, name="reception_report"),
    path("stations/visits/", views.visit_list, name="visits"),
    # Duty rota and swaps, photos, poster and reception notice (Art 14(4)).
    path("stations/<int:pk>/rota/", views.rota, name="rota"),
    path("stations/rota/<int:pk>/remove/", views.rota_remove, name="rota_remove"),
    path("stations/rota/<int:pk>/swap/", views.swap_add, name="swap_add"),
    path("stations/swaps/", views.swap_list, name="swaps"),
    path("stations/swaps/<int:pk>/", views.swap_detail, name="swap"),
    path("stations/receptions/<int:pk>/photos/add/", views.photos_add, name="photos_add"),
    path("stations/photos/<int:pk>/", views.photo, name="photo"),
    path("stations/photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("stations/<int:pk>/poster/", views.poster, name="poster"),
    path("stations/receptions/<int:pk>/notice/", views.reception_notice, name="reception_notice"),
    path("stations/plans/", views.plan_list, name="plans"),
    path("stations/<int:station_pk>/plans/add/", views.plan_form, name="plan_add"),
    path("stations/plans/<int:pk>/", views.plan_detail, name="plan"),
    path("stations/plans/<int:pk>/edit/", views.plan_form, name="plan_edit"),
    path("stations/<int:pk>/rules/", views.operating_rules, name="rules"),
    path("stations/trainings/", views.training_list, name="trainings"),
    path("stations/<int:station_pk>/trainings/add/", views.training_form, name="training_add"),
    path("stations/trainings/<int:pk>/edit/", views.training_form, name="training_edit"),
    path("stations/figures/", views.network, name="network"),
    # Public: no login.
    path("s/<str:code>/", views.public, name="public"),
]
