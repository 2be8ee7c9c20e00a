"""Query counts of the livelihood pages stay fixed with thousands of rows (candidates, projects, reports, checks)."""

import datetime

import pytest
from django.urls import reverse

from committee.models import User
from livelihood_votes.models import (
    Candidate,
    CheckPhoto,
    Decision,
    LivelihoodProject,
    LivelihoodRound,
    ProgressReport,
    SupervisionCheck,
)

MANY = 3000


@pytest.fixture
def round_(street):
    return LivelihoodRound.objects.get(street=street, year=2026)


@pytest.fixture
def many_candidates(round_):
    Candidate.objects.bulk_create(
        Candidate(
            street=round_.street,
            round=round_,
            title=f"候选{n}",
            description="内容",
            proposer_kind="resident",
            proposer_name="居民",
            decision=Decision.ACCEPTED if n % 2 else Decision.REJECTED,
            reason="" if n % 2 else "不符合",
        )
        for n in range(MANY)
    )


@pytest.fixture
def many_projects(round_, many_candidates):
    """A project for each of a thousand candidates (the unit and supervisors of the demo's first)."""
    first = round_.projects.get(rank=1)
    candidates = Candidate.objects.filter(round=round_, title__startswith="候选")[:1000]
    LivelihoodProject.objects.bulk_create(
        LivelihoodProject(
            street=round_.street,
            round=round_,
            candidate=c,
            title=c.title,
            rank=10 + n,
            state="assigned",
            unit=first.unit,
            plan="方案",
            deadline=first.deadline,
            assigned_on=first.assigned_on,
        )
        for n, c in enumerate(candidates)
    )


@pytest.fixture
def busy_project(round_):
    """The demo's first 2026 project with 200 months of reports and 300 checks with photos each."""
    project = round_.projects.get(rank=1)
    deputy = User.objects.get(username="wangchunmen_deputy")
    ProgressReport.objects.bulk_create(
        ProgressReport(
            street=project.street,
            project=project,
            month=datetime.date(1900 + n // 12, n % 12 + 1, 1),
            percent=50,
            text="进展",
            reported_by=deputy,
        )
        for n in range(200)
    )
    checks = SupervisionCheck.objects.bulk_create(
        SupervisionCheck(
            street=project.street,
            project=project,
            checked_on=datetime.date(2026, 8, 1),
            findings="好",
            checked_by=deputy,
        )
        for _ in range(300)
    )
    CheckPhoto.objects.bulk_create(
        CheckPhoto(street=project.street, check_record=c, file="livelihood/x.png", name="x.png") for c in checks
    )
    return project


def warm(client, url):
    """One request first: per-process caches (content types) are then filled, whatever ran before in the session."""
    assert client.get(url).status_code == 200


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_candidate_list(login, staff_user, round_, many_candidates, django_assert_num_queries):
    client = login(staff_user)
    with django_assert_num_queries(6):
        get(client, reverse("livelihood_votes:candidate_list", args=[round_.pk]) + "?page=3")


def test_round_pages(login, staff_user, round_, many_projects, django_assert_num_queries):
    client = login(staff_user)
    with django_assert_num_queries(11):
        get(client, reverse("livelihood_votes:round_detail", args=[round_.pk]))
    with django_assert_num_queries(6):
        get(client, reverse("livelihood_votes:round_list"))


def test_project_list(login, staff_user, many_projects, django_assert_num_queries):
    client = login(staff_user)
    with django_assert_num_queries(6):
        get(client, reverse("livelihood_votes:project_list") + "?page=2")


def test_project_page(login, staff_user, busy_project, django_assert_num_queries):
    client = login(staff_user)
    url = reverse("livelihood_votes:project_detail", args=[busy_project.pk])
    warm(client, url)
    with django_assert_num_queries(12):
        page = get(client, url)
    assert page.content.decode().count("bi-image") == 50  # the latest 50 checks, a photo each


def test_public_pages(client, round_, many_projects, busy_project, django_assert_num_queries):
    with django_assert_num_queries(4):
        get(client, reverse("livelihood_votes:public_round", args=[round_.token]) + "?page=7")
    with django_assert_num_queries(5):
        get(client, reverse("livelihood_votes:public_project", args=[busy_project.token]))
