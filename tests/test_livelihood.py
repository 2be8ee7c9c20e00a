"""The five lists of livelihood projects (livelihood_votes): collection, screening, the vote at a council meeting
through the ballot engine (the DOMAIN.md pass rule, ties included), assignment, monthly progress, checks, 督办函,
evaluation, rectification; the rules and the to-do items on the demo."""

import datetime
import time
from decimal import Decimal

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committee.ballots import services as ballots
from committee.ballots.models import Voter
from committee.compliance.registry import Status, Window
from committee.documents.selectors import documents_for
from committee.models import User
from committee.notices.models import Notice, Reminder
from livelihood_votes import compliance, services, todo
from livelihood_votes.models import (
    Candidate,
    Decision,
    EvaluationGrade,
    LivelihoodProject,
    LivelihoodRound,
    ProgressReport,
    ProjectKind,
    ProjectState,
    ProposerKind,
)
from meetings.models import AgendaItem, Meeting, MeetingKind
from supervision.models import HandlingUnit, UnitKind

TODAY = timezone.localdate()


@pytest.fixture
def staff(street):
    return User.objects.get(username="wangchunmen_staff")


@pytest.fixture
def council(street):
    """望春门's council meetings of the demo: 2025-06-26, 2025-12-24, 2026-06-24."""
    return list(Meeting.objects.filter(street=street, kind=MeetingKind.COUNCIL).order_by("date"))


def make_round(street, staff, *, places=2, titles=("甲", "乙", "丙")):
    round_ = services.round_create(
        by=staff,
        street=street,
        year=2027,
        title="2027年度测试项目",
        collection_starts=TODAY,
        collection_ends=TODAY + datetime.timedelta(days=30),
        places=places,
    )
    for title in titles:
        candidate = services.candidate_submit(
            by=staff,
            round=round_,
            title=title,
            description=f"{title}的内容",
            proposer_kind=ProposerKind.COMMUNITY,
            proposer_name="社区",
        )
        services.candidate_screen(by=staff, candidate=candidate, decision=Decision.ACCEPTED)
    services.candidates_publish(by=staff, round=round_)
    return round_


def vote(ballot, staff, yes_counts):
    """Open, cast (each voter approving at most `places`, so the yes votes per position are `yes_counts`), close."""
    ballots.ballot_open(by=staff, ballot=ballot, papers=1, background=False)
    roll = list(Voter.objects.filter(ballot=ballot).select_related("user").order_by("position"))
    remaining = dict(yes_counts)
    for voter in roll:
        chosen = sorted((p for p in remaining if remaining[p] > 0), key=lambda p: -remaining[p])[: ballot.places]
        for p in chosen:
            remaining[p] -= 1
        ballots.ballot_cast(
            ballot=ballot, choices={p: "yes" if p in chosen else "no" for p in yes_counts}, by=voter.user
        )
    assert not any(remaining.values()), "the counts do not fit the roll"
    ballots.ballot_end_voting(by=staff, ballot=ballot)
    return ballots.ballot_close(by=staff, ballot=ballot, background=False)


def statuses(round_):
    return dict(round_.candidates.values_list("title", "vote_status"))


def entitled(street, meeting):
    return services.voters(street, meeting.date).count()


# --- 征集单 ------------------------------------------------------------------------------------------------------
def test_a_resident_proposes_through_the_public_form(client, street, staff):
    cache.clear()
    round_ = services.round_create(
        by=staff,
        street=street,
        year=2027,
        title="",
        collection_starts=TODAY,
        collection_ends=TODAY + datetime.timedelta(days=30),
        places=2,
    )
    response = client.post(
        reverse("livelihood_votes:public_propose", args=[round_.token]),
        {
            "title": "小区加装充电桩",
            "description": "电动车没有地方充电，存在安全隐患。",
            "place": "建设路社区",
            "estimated_budget": "12.5",
            "category": "safety",
            "proposer_name": "李先生",
            "proposer_phone": "13800001111",
            "website": "",
            "started": signing.dumps(time.time() - 10, salt="committee.public.form"),
        },
    )
    assert response.status_code == 200
    assert "已收到您的建议" in response.content.decode()
    candidate = round_.candidates.get()
    assert (candidate.proposer_kind, candidate.submitted_by, candidate.estimated_budget) == (
        ProposerKind.RESIDENT,
        None,
        Decimal("12.5"),
    )
    assert round_.title == "2027年度街道民生实事项目"
    # The public candidate list shows nothing until it is published, and never the phone number.
    page = client.get(reverse("livelihood_votes:public_round", args=[round_.token])).content.decode()
    assert "小区加装充电桩" not in page and "13800001111" not in page


def test_the_public_form_is_refused_outside_the_window(street, staff):
    round_ = services.round_create(
        by=staff,
        street=street,
        year=2027,
        title="",
        collection_starts=TODAY + datetime.timedelta(days=1),
        collection_ends=TODAY + datetime.timedelta(days=30),
        places=2,
    )
    with pytest.raises(ValidationError, match="不在征集期内"):
        services.candidate_submit(round=round_, title="x", description="y", proposer_name="z")
    assert not round_.candidates.exists()


def test_a_deputy_proposes_in_their_own_name(street, staff):
    deputy = User.objects.get(username="wangchunmen_deputy")
    round_ = services.round_create(
        by=staff,
        street=street,
        year=2027,
        title="",
        collection_starts=TODAY,
        collection_ends=TODAY,
        places=1,
    )
    candidate = services.candidate_submit(
        by=deputy, round=round_, title="x", description="y", proposer_name="别人", proposer_kind="department"
    )
    assert (candidate.proposer_kind, candidate.proposer_name) == (ProposerKind.DEPUTY, deputy.full_name)


def test_screening_merging_and_publishing(street, staff):
    round_ = services.round_create(
        by=staff, street=street, year=2027, title="", collection_starts=TODAY, collection_ends=TODAY, places=1
    )
    a, b, c, d = (
        services.candidate_submit(
            by=staff, round=round_, title=t, description=t, proposer_kind="community", proposer_name="社区"
        )
        for t in ("甲", "甲（重复）", "乙", "丙")
    )
    with pytest.raises(ValidationError) as refused:
        services.candidate_screen(by=staff, candidate=d, decision=Decision.REJECTED)
    assert "reason" in refused.value.error_dict
    services.candidate_screen(by=staff, candidate=d, decision=Decision.REJECTED, reason="超出街道职权")
    services.candidate_merge(by=staff, candidate=b, into=a)
    with pytest.raises(ValidationError, match="尚未筛选"):
        services.candidates_publish(by=staff, round=round_)
    services.candidate_screen(by=staff, candidate=a, decision=Decision.ACCEPTED)
    services.candidate_screen(by=staff, candidate=c, decision=Decision.REJECTED, reason="重复建设")
    with pytest.raises(ValidationError, match="差额"):  # 1 place needs 2 candidates
        services.candidates_publish(by=staff, round=round_)
    services.candidate_screen(by=staff, candidate=c, decision=Decision.ACCEPTED)
    services.candidates_publish(by=staff, round=round_)
    b.refresh_from_db()
    assert (b.decision, b.merged_into) == (Decision.MERGED, a)
    with pytest.raises(ValidationError, match="已公布"):
        services.candidate_submit(by=staff, round=round_, title="晚", description="晚", proposer_name="社区")


# --- 票决单: the pass rule of DOMAIN.md through the flow ---------------------------------------------------------
def test_the_vote_is_held_at_a_council_meeting_with_the_agenda_item(street, staff, council):
    round_ = make_round(street, staff)
    committee_meeting = Meeting.objects.filter(street=street, kind=MeetingKind.COMMITTEE).first()
    with pytest.raises(ValidationError, match="居民议事会会议"):
        services.vote_create(by=staff, round=round_, meeting=committee_meeting)
    AgendaItem.objects.filter(meeting=council[0], title__contains="票决").delete()
    with pytest.raises(ValidationError, match="票决街道民生实事"):
        services.vote_create(by=staff, round=round_, meeting=council[0])
    ballot = services.vote_create(by=staff, round=round_, meeting=council[1])
    assert ballot.rule == "approval_majority_of_entitled" and ballot.places == 2
    # The voters: the street's deputies and council members on the meeting's day.
    assert ballot.voters.count() == entitled(street, council[1]) > 20


def test_more_than_half_of_all_entitled_voters_passes_exactly_half_fails(street, staff, council):
    round_ = make_round(street, staff)
    ballot = services.vote_create(by=staff, round=round_, meeting=council[1])
    n = entitled(street, council[1])
    vote(ballot, staff, {1: n - 4, 2: n // 2 + 1, 3: n // 2})
    assert statuses(round_) == {"甲": "elected", "乙": "elected", "丙": "failed"}
    assert list(round_.projects.order_by("rank").values_list("title", "rank")) == [("甲", 1), ("乙", 2)]
    round_.refresh_from_db()
    assert round_.passed_published_on == council[1].date  # the meeting's decision


def test_more_passing_than_places_are_ranked_by_yes_votes(street, staff, council):
    round_ = make_round(street, staff)
    ballot = services.vote_create(by=staff, round=round_, meeting=council[1])
    n = entitled(street, council[1])
    vote(ballot, staff, {1: n // 2 + 2, 2: n - 6, 3: n // 2 + 1})
    assert statuses(round_) == {"甲": "elected", "乙": "elected", "丙": "surplus"}
    assert list(round_.projects.order_by("rank").values_list("title", flat=True)) == ["乙", "甲"]


def test_a_tie_at_the_last_place_is_flagged_for_a_run_off(street, staff, council):
    round_ = make_round(street, staff)
    ballot = services.vote_create(by=staff, round=round_, meeting=council[1])
    n = entitled(street, council[1])
    vote(ballot, staff, {1: n - 8, 2: n // 2 + 3, 3: n // 2 + 3})
    assert statuses(round_) == {"甲": "elected", "乙": "runoff", "丙": "runoff"}
    assert list(round_.projects.values_list("title", flat=True)) == ["甲"]  # run-off candidates are not projects yet
    page = Client().get(reverse("livelihood_votes:public_round", args=[round_.token])).content.decode()
    assert page.count("末位票数相同，须另行票决") == 2


def test_a_run_off_held_decides_the_tie_and_counts_for_the_round(client, street, staff, council):
    """The tie's run-off (另行票决) is the round's: its elected become projects after the vote's, the public page
    no longer asks for one, and the 票决单 counts as done only once it is held."""
    from types import SimpleNamespace

    def vote_list_done():
        rows = compliance._rounds([street], SimpleNamespace(start=datetime.date(2027, 1, 1)))
        return dict(compliance.stages(rows[street.pk]))["票决单"]

    round_ = make_round(street, staff)
    n = entitled(street, council[1])
    ballot = services.vote_create(by=staff, round=round_, meeting=council[1])
    vote(ballot, staff, {1: n - 8, 2: n // 2 + 3, 3: n // 2 + 3})
    assert vote_list_done() is False  # the tie waits for its run-off
    client.force_login(staff, backend="committee.auth.MobileOrUsernameBackend")
    assert "发起另行票决" in client.get(round_.get_absolute_url()).content.decode()
    runoff = services.runoff_create(by=staff, round=round_, meeting=council[1])
    assert list(runoff.questions.order_by("position").values_list("label", flat=True)) == ["乙", "丙"]
    assert runoff.places == 1
    with pytest.raises(ValidationError):
        services.runoff_create(by=staff, round=round_, meeting=council[1])  # once
    vote(runoff, staff, {1: n // 2 + 4, 2: 3})
    assert statuses(round_) == {"甲": "elected", "乙": "elected", "丙": "failed"}
    assert list(round_.projects.order_by("rank").values_list("title", "rank")) == [("甲", 1), ("乙", 2)]
    assert vote_list_done() is True
    page = Client().get(reverse("livelihood_votes:public_round", args=[round_.token])).content.decode()
    assert "末位票数相同，须另行票决" not in page


def test_a_run_off_needs_a_tie_that_did_not_fit(street, staff, council):
    round_ = make_round(street, staff)
    n = entitled(street, council[1])
    vote(services.vote_create(by=staff, round=round_, meeting=council[1]), staff, {1: n - 8, 2: n // 2 + 3, 3: 2})
    with pytest.raises(ValidationError, match="没有末位票数相同"):
        services.runoff_create(by=staff, round=round_, meeting=council[1])


def test_a_tie_that_fits_the_places_elects_both(street, staff, council):
    round_ = make_round(street, staff, places=2, titles=("甲", "乙", "丙", "丁"))
    ballot = services.vote_create(by=staff, round=round_, meeting=council[1])
    n = entitled(street, council[1])
    vote(ballot, staff, {1: n // 2 + 5, 2: n // 2 + 5, 3: 3, 4: 2})
    assert statuses(round_) == {"甲": "elected", "乙": "elected", "丙": "failed", "丁": "failed"}


# --- 交办单, 督办单, 测评单 ---------------------------------------------------------------------------------------
@pytest.fixture
def assigned(street, staff, council):
    round_ = make_round(street, staff)
    ballot = services.vote_create(by=staff, round=round_, meeting=council[1])
    n = entitled(street, council[1])
    vote(ballot, staff, {1: n - 2, 2: n - 3, 3: 1})
    office = HandlingUnit.objects.get(street=street, kind=UnitKind.OFFICE)
    deputy = User.objects.get(username="wangchunmen_deputy")
    project = round_.projects.get(rank=1)
    services.project_assign(
        by=staff,
        project=project,
        unit=office,
        plan="按方案实施",
        budget=Decimal("50"),
        deadline=TODAY + datetime.timedelta(days=120),
        milestones=[("完成设计", TODAY + datetime.timedelta(days=30)), ("竣工", TODAY + datetime.timedelta(days=110))],
        supervisors=[deputy],
        featured=True,
        background=False,
    )
    project.refresh_from_db()
    return project


def test_assignment_issues_the_letter_notifies_the_unit_and_sets_the_monthly_reminder(assigned, street):
    unit_user = User.objects.get(username="wangchunmen_handling_unit")
    assert assigned.state == ProjectState.ASSIGNED and assigned.featured
    document = documents_for(assigned).get()
    assert document.state == "done" and document.number.startswith("湘乡人大望工函")
    assert Notice.objects.filter(event_key=f"livelihood-project:{assigned.pk}:assigned", recipient=unit_user).exists()
    reminder = Reminder.objects.get(key=f"livelihood-project:{assigned.pk}:progress")
    assert reminder.deadline == TODAY.replace(day=services.PROGRESS_DAY)
    assert list(assigned.milestones.values_list("title", flat=True)) == ["完成设计", "竣工"]


def test_a_milestone_after_the_deadline_or_a_supervisor_who_is_not_a_deputy_is_refused(street, staff, council):
    round_ = make_round(street, staff)
    vote(services.vote_create(by=staff, round=round_, meeting=council[1]), staff, {1: 30, 2: 29, 3: 0})
    project = round_.projects.get(rank=1)
    office = HandlingUnit.objects.get(street=street, kind=UnitKind.OFFICE)
    common = {"by": staff, "project": project, "unit": office, "plan": "方案", "budget": None, "background": False}
    deadline = TODAY + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as late:
        services.project_assign(**common, deadline=deadline, milestones=[("晚", deadline + datetime.timedelta(days=1))])
    assert "milestones" in late.value.error_dict
    with pytest.raises(ValidationError) as outsider:
        services.project_assign(**common, deadline=deadline, milestones=[("早", deadline)], supervisors=[staff])
    assert "supervisors" in outsider.value.error_dict
    project.refresh_from_db()
    assert project.state == ProjectState.PASSED and not project.milestones.exists()


def test_the_unit_reports_each_month_once_and_the_reminder_moves_on(assigned):
    unit_user = User.objects.get(username="wangchunmen_handling_unit")
    services.progress_report(by=unit_user, project=assigned, percent=20, text="完成设计招标")
    with pytest.raises(ValidationError, match="本月进展已报送"):
        services.progress_report(by=unit_user, project=assigned, percent=30, text="再报")
    assert ProgressReport.objects.filter(project=assigned).count() == 1
    reminder = Reminder.objects.get(key=f"livelihood-project:{assigned.pk}:progress")
    assert reminder.deadline == services._next_month(TODAY).replace(day=services.PROGRESS_DAY)
    other_unit_user = User.objects.get(username="xinxianglu_handling_unit")
    with pytest.raises(PermissionDenied):
        services.progress_report(by=other_unit_user, project=assigned, percent=30, text="别的单位")


def test_only_supervisors_record_checks_with_photos(assigned, staff):
    from django.core.files.base import ContentFile

    deputy = User.objects.get(username="wangchunmen_deputy")
    with pytest.raises(PermissionDenied):
        services.supervision_check_add(by=staff, project=assigned, checked_on=TODAY, findings="x")
    check = services.supervision_check_add(
        by=deputy, project=assigned, checked_on=TODAY, findings="现场良好", photos=[ContentFile(b"img", name="a.jpg")]
    )
    assert check.photos.get().file.read() == b"img"


def test_a_follow_up_letter_only_for_an_overdue_milestone(assigned, staff):
    milestone = assigned.milestones.get(position=1)
    with pytest.raises(ValidationError, match="逾期"):
        services.milestone_follow_up(by=staff, milestone=milestone, background=False)
    type(milestone).objects.filter(pk=milestone.pk).update(due_on=TODAY - datetime.timedelta(days=3))
    milestone.refresh_from_db()
    document = services.milestone_follow_up(by=staff, milestone=milestone, background=False)
    assert document.template == services.FOLLOW_UP_TEMPLATE and document.state == "done"
    assert Notice.objects.filter(event_key=f"livelihood-milestone:{milestone.pk}:follow-up").exists()
    with pytest.raises(ValidationError, match="已发督办函"):
        services.milestone_follow_up(by=staff, milestone=milestone, background=False)


def grade_vote(evaluation, staff, grades):
    """Everyone on the roll gives project position p the grade `grades[p]`."""
    ballot = evaluation.ballot
    ballots.ballot_open(by=staff, ballot=ballot, papers=1, background=False)
    for voter in Voter.objects.filter(ballot=ballot).select_related("user"):
        ballots.ballot_cast(ballot=ballot, choices=grades, by=voter.user)
    ballots.ballot_end_voting(by=staff, ballot=ballot)
    ballots.ballot_close(by=staff, ballot=ballot, background=False)


def test_unsatisfied_leads_to_rectification_and_a_new_evaluation(assigned, staff, council):
    round_ = assigned.round
    with pytest.raises(ValidationError, match="票决之后"):
        services.evaluation_create(by=staff, round=round_, meeting=council[0], projects=[assigned])
    evaluation = services.evaluation_create(by=staff, round=round_, meeting=council[2], projects=[assigned])
    assert list(services.evaluable(round_)) == []  # on an open evaluation
    grade_vote(evaluation, staff, {1: "unsatisfied"})
    assigned.refresh_from_db()
    assert assigned.state == ProjectState.RECTIFYING
    grade = EvaluationGrade.objects.get(project=assigned)
    assert list(services.evaluable(round_)) == []  # rectify first
    new_deadline = TODAY + datetime.timedelta(days=60)
    rectification = services.rectification_set(by=staff, grade=grade, requirements="返工", deadline=new_deadline)
    assigned.refresh_from_db()
    assert assigned.deadline == new_deadline
    services.rectification_done(
        by=User.objects.get(username="wangchunmen_handling_unit"), rectification=rectification, report="已返工"
    )
    assert list(services.evaluable(round_)) == [assigned]
    second = services.evaluation_create(by=staff, round=round_, meeting=council[2], projects=[assigned])
    grade_vote(second, staff, {1: "satisfied"})
    assigned.refresh_from_db()
    assert (assigned.state, assigned.finished_on) == (ProjectState.FINISHED, council[2].date)
    assert list(assigned.grades.order_by("pk").values_list("grade", flat=True)) == ["unsatisfied", "satisfied"]


# --- Rules and to-do items on the demo ---------------------------------------------------------------------------
def window(year):
    return Window(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))


def test_the_demo_2025_round_meets_every_rule_and_2026_is_under_way(street):
    streets = [street]
    for rule in (
        compliance.five_lists_each_year,
        compliance.deputies_and_members_take_part,
        compliance.featured_project,
        compliance.vote_at_council_meeting,
    ):
        assert rule.evaluate(streets, window(2025), datetime.date(2026, 1, 10))[street.pk].status == Status.MET, rule
    result = compliance.five_lists_each_year.evaluate(streets, window(2026), datetime.date(2026, 12, 3))[street.pk]
    assert result.status == Status.AT_RISK and "测评单✗" in result.summary and "交办单✓" in result.summary
    assert compliance.vote_at_council_meeting.evaluate(streets, window(2026), TODAY)[street.pk].status == Status.MET
    assert compliance.featured_project.evaluate(streets, window(2026), datetime.date(2027, 1, 5))[street.pk].status == (
        Status.MISSED
    )


def test_no_round_is_not_yet_due_early_and_missed_after_the_year(street):
    assert compliance.five_lists_each_year.evaluate([street], window(2024), datetime.date(2024, 2, 1))[
        street.pk
    ].status == (Status.NOT_YET_DUE)
    assert compliance.five_lists_each_year.evaluate([street], window(2024), datetime.date(2025, 2, 1))[
        street.pk
    ].status == (Status.MISSED)


def test_to_do_items_for_staff_and_the_unit(street, staff, django_assert_max_num_queries):
    unit_user = User.objects.get(username="wangchunmen_handling_unit")
    round_ = services.round_create(
        by=staff, street=street, year=2027, title="", collection_starts=TODAY, collection_ends=TODAY, places=1
    )
    services.candidate_submit(round=round_, title="x", description="y", proposer_name="z")
    staff.__dict__.pop("active_memberships", None)
    items = todo.candidates_to_screen(staff)
    assert [(i.label, i.count) for i in items] == [("待筛选的民生实事候选项目", 1)]
    # The demo's 2026 projects and its micro project under way have no December report yet.
    month = TODAY.replace(day=1)
    without = LivelihoodProject.objects.filter(
        Q(round__year=2026) | Q(kind=ProjectKind.MICRO, state=ProjectState.ASSIGNED), street=street
    ).exclude(progress_reports__month=month)
    assert todo.projects_without_progress(staff)[0].count == without.count() == 4
    assert {i.url for i in todo.progress_due(unit_user)} == {
        p.get_absolute_url() for p in without.filter(unit__members__user=unit_user)
    }
    assert unit_user.active_memberships
    with django_assert_max_num_queries(1):
        todo.progress_due(unit_user)
    deputy = User.objects.get(username="wangchunmen_deputy")
    assert deputy.active_memberships  # read once per request, before the providers
    with django_assert_max_num_queries(0):
        assert todo.candidates_to_screen(deputy) == [] and todo.progress_due(deputy) == []


def test_seed_demo_gives_each_street_a_finished_2025_round_and_a_2026_round_in_progress(demo_data):
    rounds = LivelihoodRound.objects.all()
    assert rounds.filter(year=2025).count() == rounds.filter(year=2026).count() == 4
    assert not LivelihoodProject.objects.filter(round__year=2025).exclude(state=ProjectState.FINISHED).exists()
    assert not LivelihoodProject.objects.filter(round__year=2026).exclude(state=ProjectState.ASSIGNED).exists()
    public = Candidate.objects.filter(round__year=2025, proposer_kind=ProposerKind.RESIDENT, submitted_by=None)
    assert set(public.values_list("street_id", flat=True)) == set(rounds.values_list("street_id", flat=True))


# --- Writes through the pages ------------------------------------------------------------------------------
def test_another_streets_round_is_a_404_on_post_and_a_reader_gets_403(login, street):
    round_ = LivelihoodRound.objects.get(street=street, year=2026)
    project = round_.projects.get(rank=1)
    other = login(User.objects.get(username="xinxianglu_staff"))
    assert other.post(reverse("livelihood_votes:round_publish", args=[round_.pk])).status_code == 404
    assert (
        other.post(reverse("livelihood_votes:project_progress", args=[project.pk]), {"percent": 5}).status_code == 404
    )
    city = login(User.objects.get(username="xiangxiang_city"))
    assert city.post(reverse("livelihood_votes:project_progress", args=[project.pk]), {"percent": 5}).status_code == 403
    assert not project.progress_reports.filter(percent=5).exists()


def test_the_public_form_refuses_a_flood_and_saves_nothing(client, settings, street, staff):
    settings.PUBLIC_FORM_RATE = "2/h"
    cache.clear()  # the counts live in the shared cache
    round_ = services.round_create(
        by=staff, street=street, year=2027, title="", collection_starts=TODAY, collection_ends=TODAY, places=1
    )
    url = reverse("livelihood_votes:public_propose", args=[round_.token])
    data = {
        "title": "路灯",
        "description": "小巷没有路灯",
        "category": "safety",
        "proposer_name": "王女士",
        "website": "",
        "started": signing.dumps(time.time() - 10, salt="committee.public.form"),
    }
    for _n in range(2):
        assert "已收到您的建议" in client.post(url, data).content.decode()
    third = client.post(url, data).content.decode()
    assert "提交过于频繁" in third
    assert round_.candidates.count() == 2


def test_a_rejection_without_reason_shows_at_its_field_and_changes_nothing(login, street, staff):
    round_ = services.round_create(
        by=staff, street=street, year=2027, title="", collection_starts=TODAY, collection_ends=TODAY, places=1
    )
    candidate = services.candidate_submit(round=round_, title="x", description="y", proposer_name="z")
    page = login(staff).post(
        reverse("livelihood_votes:candidate_detail", args=[candidate.pk]), {"screen": "1", "decision": "rejected"}
    )
    assert page.status_code == 200 and "不予列入须说明理由" in page.content.decode()
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING
