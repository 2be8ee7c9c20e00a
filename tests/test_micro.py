"""民生微实事 (Issue 12 §3, Art 19(4)): proposed → approved with a budget → assigned → progress → checked →
finished → rated by the proposer; the five lists' rules count only the annual projects; the public list."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from committee.compliance.registry import Period, rule, window
from committee.duties import registry
from committee.models import User
from livelihood_votes import micro, services, todo
from livelihood_votes.models import LivelihoodProject, ProjectKind, ProjectState
from supervision.models import HandlingUnit, UnitKind

TODAY = datetime.date(2026, 12, 3)


def _user(name):
    return User.objects.get(username=f"wangchunmen_{name}")


@pytest.fixture
def proposed(street):
    return micro.micro_propose(
        street=street,
        title="楼下增设垃圾分类亭",
        description="小区只有一个垃圾桶，希望增设分类亭。",
        place="东风小区",
        proposer_name="居民王女士",
        proposer_phone="13912345678",
    )


def _assign(project, street):
    return services.project_assign(
        by=_user("staff"),
        project=project,
        unit=HandlingUnit.objects.filter(street=street, kind=UnitKind.OFFICE).order_by("pk").first(),
        plan="采购安装分类亭一座。",
        budget=project.budget,
        deadline=datetime.date.today() + datetime.timedelta(days=60),
        milestones=[("完成安装", datetime.date.today() + datetime.timedelta(days=30))],
        supervisors=[_user("deputy")],
        background=False,
    )


def test_a_micro_project_goes_the_whole_way_and_its_proposer_rates_it(street, proposed):
    staff = _user("staff")
    assert (proposed.kind, proposed.state, proposed.round_id) == (ProjectKind.MICRO, ProjectState.PROPOSED, None)
    with pytest.raises(ValidationError):
        services.project_assign(
            by=staff, project=proposed, unit=None, plan="x", budget=None, deadline=TODAY, milestones=[]
        )
    with pytest.raises(PermissionDenied):
        micro.micro_approve(by=_user("deputy"), project=proposed, budget=Decimal(3))
    with pytest.raises(ValidationError):
        micro.micro_approve(by=staff, project=proposed, budget=None)
    project = micro.micro_approve(by=staff, project=proposed, budget=Decimal("3.5"))
    assert project.state == ProjectState.PASSED
    project = _assign(project, street)
    assert project.state == ProjectState.ASSIGNED and project.assignment_document.title.startswith("关于交办2026")
    services.progress_report(by=staff, project=project, percent=100, text="已安装完成。")
    check = services.supervision_check_add(
        by=_user("deputy"), project=project, checked_on=datetime.date.today(), findings="已安装", photos=[]
    )
    # The supervisor's check is a duty record of the deputy, as for an annual project.
    items = registry.items(
        people=[_user("deputy").pk], streets=[street.pk], start=check.checked_on, end=check.checked_on
    )
    assert any(item.source == check for item in items)
    code = micro.rating_code(project)
    with pytest.raises(ValidationError):
        micro.micro_rate(project=project, rating=5)  # not finished yet
    project = micro.micro_finish(by=staff, project=project)
    assert project.state == ProjectState.FINISHED and project.finished_on is not None
    assert micro.project_for_code(code) == project
    assert micro.project_for_code(code + "x") is None
    micro.micro_rate(project=project, rating=4, comment="很好")
    with pytest.raises(ValidationError):
        micro.micro_rate(project=project, rating=5)  # once
    project.refresh_from_db()
    assert (project.rating, project.rating_comment) == (4, "很好")


def test_a_declined_proposal_needs_a_reason_and_the_database_keeps_the_kinds_apart(street, proposed):
    with pytest.raises(ValidationError):
        micro.micro_decline(by=_user("staff"), project=proposed, reason=" ")
    micro.micro_decline(by=_user("staff"), project=proposed, reason="不属于微实事范围。")
    with pytest.raises(ValidationError):
        micro.micro_approve(by=_user("staff"), project=proposed, budget=Decimal(1))
    annual = LivelihoodProject.objects.filter(street=street, kind=ProjectKind.ANNUAL).first()
    with transaction.atomic(), pytest.raises(IntegrityError):
        LivelihoodProject.objects.filter(pk=annual.pk).update(round=None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        LivelihoodProject.objects.filter(pk=annual.pk).update(state=ProjectState.PROPOSED)
    with transaction.atomic(), pytest.raises(IntegrityError):
        LivelihoodProject.objects.filter(pk=proposed.pk).update(rating=5)  # rated before it is finished


def test_a_deputy_proposes_in_their_own_name_and_staff_for_a_community(client, street):
    deputy = _user("deputy")
    client.force_login(deputy, backend="committee.auth.MobileOrUsernameBackend")
    response = client.post(
        reverse("livelihood_votes:micro_add"), {"title": "路口增设反光镜", "description": "拐角看不见来车。"}
    )
    project = LivelihoodProject.objects.get(title="路口增设反光镜")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert (project.proposer_kind, project.proposer_name, project.proposed_by) == ("deputy", deputy.full_name, deputy)
    staffed = micro.micro_propose(
        by=_user("staff"), street=street, title="健身器材维修", description="器材坏了", proposer_name="东风社区"
    )
    assert staffed.proposer_kind == "community"


def test_the_five_list_rules_count_only_the_annual_projects(street):
    """Micro projects in every state (the demo's, and one more under way with no progress and no check) change
    nothing in 17(1)–(3)."""
    year = window(Period.YEAR, 2026, 4)
    before = {code: rule(code).evaluate([street], year, TODAY)[street.pk] for code in ("17(1)", "17(2)", "17(3)")}
    project = micro.micro_propose(street=street, title="未督查的微实事", description="内容", proposer_name="居民")
    _assign(micro.micro_approve(by=_user("staff"), project=project, budget=Decimal(2)), street)
    after = {code: rule(code).evaluate([street], year, TODAY)[street.pk] for code in ("17(1)", "17(2)", "17(3)")}
    assert after == before
    assert LivelihoodProject.objects.filter(street=street, kind=ProjectKind.MICRO).count() == 6


def test_the_public_list_shows_each_state_and_no_phone_or_declined_project(client, street):
    response = client.get(reverse("livelihood_votes:public_micro_list", args=[street.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    for title, state in [
        ("小区门口增设休闲座椅", "待评估"),
        ("楼道安装声控灯", "待交办"),
        ("社区广场增设晾晒架", "已办结"),
    ]:
        assert title in page and state in page
    assert "在主干道设置临时摊位" not in page  # declined
    assert "13807320000" not in page
    project = LivelihoodProject.objects.get(street=street, title="修建小区门前台阶扶手")
    progress = client.get(project.get_public_url()).content.decode()
    assert "60%" in progress and "13807320000" not in progress


def test_the_public_list_costs_the_same_with_many_projects(client, street, django_assert_num_queries):
    LivelihoodProject.objects.bulk_create(
        LivelihoodProject(
            street=street,
            kind=ProjectKind.MICRO,
            state=ProjectState.PROPOSED,
            title=f"微实事{n}",
            description="内容",
            proposer_kind="resident",
            proposer_name="居民",
            proposed_on=TODAY,
            token=f"micro-many-{n}",
        )
        for n in range(500)
    )
    url = reverse("livelihood_votes:public_micro_list", args=[street.slug])
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(url + "?page=5").status_code == 200


def test_the_proposer_rates_through_the_public_link(client, street):
    project = LivelihoodProject.objects.get(street=street, title="修建小区门前台阶扶手")
    micro.micro_finish(by=_user("staff"), project=project)
    url = reverse("livelihood_votes:public_micro_rate", args=[micro.rating_code(project)])
    assert client.post(url, {"rating": "3", "comment": "还行"}).status_code == 302
    project.refresh_from_db()
    assert project.rating == 3
    assert "您的评价：3★" in client.get(url).content.decode()
    assert client.get(url[:-3] + "xx/").status_code == 404


def test_staff_find_the_proposals_to_assess_on_their_home(client, street):
    staff = _user("staff")
    items = todo.micro_to_assess(staff)
    assert [(i.label, i.count) for i in items] == [("待评估的民生微实事", 1)]  # the demo's resident proposal
    client.force_login(staff, backend="committee.auth.MobileOrUsernameBackend")
    page = client.get(items[0].url).content.decode()
    assert "小区门口增设休闲座椅" in page and "楼道安装声控灯" not in page
    assert todo.micro_to_assess(_user("deputy")) == []


def test_the_staff_list_filters_micro_projects_and_links_the_public_list(client, street, django_assert_num_queries):
    client.force_login(_user("staff"), backend="committee.auth.MobileOrUsernameBackend")
    url = reverse("livelihood_votes:project_list") + "?kind=micro"
    client.get(url)
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert "社区广场增设晾晒架" in page and "学校周边交通安全设施" not in page
    assert reverse("livelihood_votes:public_micro_list", args=[street.slug]) in page


def test_only_the_committee_sees_the_proposers_phone(client, street):
    project = LivelihoodProject.objects.get(street=street, title="小区门口增设休闲座椅")
    client.force_login(_user("deputy"), backend="committee.auth.MobileOrUsernameBackend")
    assert "13807320000" not in client.get(project.get_absolute_url()).content.decode()
    client.force_login(_user("staff"), backend="committee.auth.MobileOrUsernameBackend")
    assert "13807320000" in client.get(project.get_absolute_url()).content.decode()
