from django.urls import path

from deputies import views

app_name = "deputies"

urlpatterns = [
    path("deputies/", views.roster, name="roster"),
    path("deputies/add/", views.add, name="add"),
    path("deputies/export/", views.export, name="export"),
    path("deputies/template/", views.template, name="template"),
    path("deputies/import/", views.import_roster, name="import"),
    path("deputies/<int:pk>/", views.detail, name="detail"),
    path("deputies/<int:pk>/edit/", views.edit, name="edit"),
    path("deputies/<int:pk>/events/add/", views.event_add, name="event_add"),
    path("deputies/<int:pk>/events/<int:event_pk>/document/", views.event_document, name="event_document"),
    path("deputies/constituencies/", views.constituency_list, name="constituency_list"),
    path("deputies/constituencies/add/", views.constituency_form, name="constituency_add"),
    path("deputies/constituencies/<int:pk>/edit/", views.constituency_form, name="constituency_edit"),
    path("deputies/me/", views.profile, name="profile"),
    path("deputies/messages/", views.message_list, name="messages"),
    path("deputies/messages/<int:pk>/", views.message_detail, name="message"),
    path("deputies/messages/<int:pk>/pass/", views.message_pass, name="message_pass"),
    path("deputies/messages/<int:pk>/photo/", views.message_photo, name="message_photo"),
    path("deputies/posters/", views.poster_list, name="posters"),
    path("deputies/<int:pk>/poster/", views.poster_request, name="poster_request"),
    path("deputies/posters/<int:pk>/download/", views.poster_download, name="poster_download"),
    # Public (码上找代表): no login.
    path("d/track/<str:code>/", views.track, name="track"),
    path("d/<str:code>/", views.public, name="public"),
    path("d/<str:code>/photo/", views.public_photo, name="public_photo"),
]
