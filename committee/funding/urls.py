from django.urls import path

from committee.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("lines/set/", views.line_set, name="line_set"),
    path("lines/<int:pk>/", views.line_detail, name="line_detail"),
    path("lines/<int:pk>/spend/", views.expenditure_add, name="expenditure_add"),
    path("expenditures/<int:pk>/delete/", views.expenditure_delete, name="expenditure_delete"),
]
