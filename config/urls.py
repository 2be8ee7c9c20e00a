from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from committee.forms import LoginForm
from committee.health import health_view
from committee.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("healthz", login_not_required(health_view), name="healthz"),
    path("", include("committee.urls")),
    path("dashboard/", include("committee.compliance.urls")),
    path("funding/", include("committee.funding.urls")),
    path("", include("committee.documents.urls")),
    path("party-reports/", include("committee.party_reports.urls")),
    path("notices/", include("committee.notices.urls")),
    path("ballots/", include("committee.ballots.urls")),
    path("calendar/", include("committee.calendar.urls")),
    path("supervision/activities/", include("supervision.activities.urls")),
    path("meetings/", include("meetings.urls")),
    path("duties/", include("deputies.records.urls")),
    path("", include("supervision.urls")),  # opinions/, handling-units/, track/
    path("", include("deputies.urls")),  # deputies/…, d/<code>/ (码上找代表)
    path("council/", include("livelihood_votes.council.urls")),
    path("deputies/suggestions/", include("deputies.suggestions.urls")),
    path("deputies/reports/", include("deputies.reports.urls")),
    path("", include("livelihood_votes.urls")),  # livelihood/, p/livelihood/ (public)
    path("", include("livelihood_votes.governance.urls")),  # governance/…, p/snap/, p/street/ (public)
    path("", include("liaison_stations.urls")),  # stations/…, s/<code>/ (public station page)
    path("admin/", admin.site.urls),
]
# Media files (generated PDFs) are never served by path: downloads go through the scoped views.
