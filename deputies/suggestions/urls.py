from django.urls import path

from deputies.suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("add/", views.suggestion_add, name="add"),
    path("similar/", views.suggestion_similar, name="similar"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("<int:pk>/edit/", views.suggestion_edit, name="edit"),
    path("<int:pk>/do/<slug:action>/", views.suggestion_act, name="act"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/add/", views.contact_form, name="contact_add"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", views.contact_form, name="contact_edit"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/add/", views.consultation_add, name="consultation_add"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/opinions/<int:pk>/case/", views.measure_opinion_case, name="opinion_case"),
]
