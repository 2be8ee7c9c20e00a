from django.urls import path

from deputies.records import views

app_name = "records"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("claims/", views.claim_list, name="claims"),
    path("claims/new/", views.claim_add, name="claim_add"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/confirm/", views.claim_confirm, name="claim_confirm"),
    path("claims/<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("activities/new/", views.activity_add, name="activity_add"),
    path("points/", views.point_list, name="points"),
    path("points/publish/", views.quarter_publish, name="quarter_publish"),
    path("points/rules/", views.point_rules, name="point_rules"),
    path("points/<int:pk>/", views.quarter_detail, name="quarter_detail"),
    path("points/<int:pk>/correct/", views.correction_add, name="correction_add"),
    path("points/<int:pk>/finalise/", views.quarter_finalise, name="quarter_finalise"),
    path("corrections/<int:pk>/resolve/", views.correction_resolve, name="correction_resolve"),
    path("archive/<int:street_id>/<int:person_id>/<int:year>/", views.archive, name="archive"),
    path("archive/<int:street_id>/<int:person_id>/<int:year>/pdf/", views.archive_pdf, name="archive_pdf"),
    path("archive/<int:street_id>/<int:person_id>/term/", views.term_summary, name="term_summary"),
    path("archive/documents/<int:pk>/", views.archive_document, name="archive_document"),
]
