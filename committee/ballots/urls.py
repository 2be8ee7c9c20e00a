from django.urls import path

from committee.ballots import views

app_name = "ballots"

urlpatterns = [
    path("", views.ballot_list, name="list"),
    path("add/", views.ballot_add, name="add"),
    path("mine/", views.my_ballots, name="mine"),
    path("<int:pk>/", views.ballot_detail, name="detail"),
    path("<int:pk>/open/", views.ballot_open, name="open"),
    path("<int:pk>/discard/", views.ballot_discard, name="discard"),
    path("<int:pk>/end-voting/", views.ballot_end_voting, name="end_voting"),
    path("<int:pk>/close/", views.ballot_close, name="close"),
    path("<int:pk>/recount/", views.ballot_recount, name="recount"),
    path("<int:pk>/roll/", views.roll, name="roll"),
    path("voters/<int:pk>/issue-paper/", views.issue_paper, name="issue_paper"),
    path("<int:pk>/paper/", views.paper_entry, name="paper_entry"),
    path("<int:pk>/count-sheet/", views.count_sheet, name="count_sheet"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("slip/", views.slip, name="slip"),
    path("results/<str:token>/", views.result, name="result"),
    path("results/<str:token>/votes/", views.result_votes, name="result_votes"),
    path("results/<str:token>/data.json", views.result_data, name="result_data"),
]
