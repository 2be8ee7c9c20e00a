from django.urls import path

from committee import views

app_name = "committee"

urlpatterns = [
    path("streets/", views.street_list, name="street_list"),
    path("streets/<int:pk>/", views.street_detail, name="street_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("audit/", views.audit_list, name="audit_list"),
    path("rules/chapter/<int:number>/", views.chapter_detail, name="chapter_detail"),
]
