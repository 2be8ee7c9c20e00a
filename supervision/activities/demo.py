"""Demo supervision activities (Art 7-10) for the four streets. Deterministic and idempotent: a record that exists
(by its natural key) is left as it is, with everything under it.

Per street: a 2025 inspection studied, carried out and filed (report and implementation); a 2026 inspection in
progress; a special work report heard each year after its field visit, unit heads present; a 2025 appraisal filed;
four field visits in 2025 and three in 2026, except 昆仑桥 with two in 2026 (the dashboard shows the gap)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from committee import demo
from committee.models import Membership, Street, User
from committee.roles import Role
from supervision.activities import services
from supervision.activities.models import (
    EnforcementInspection,
    FieldVisit,
    InspectionOrigin,
    ReportTopic,
    Responsibility,
    SpecialWorkReport,
    VisitKind,
    WorkAppraisal,
)
from supervision.models import HandlingUnit, UnitKind

D = datetime.date
STREETS = ["wangchunmen", "xinxianglu", "kunlunqiao", "dongshan"]
SHORT_2026 = "kunlunqiao"

INSPECTIONS = {
    2025: ("《中华人民共和国大气污染防治法》", D(2025, 5, 12), D(2025, 5, 16), D(2025, 5, 8)),
    2026: ("《湖南省物业管理条例》", D(2026, 9, 14), D(2026, 12, 18), D(2026, 9, 9)),
}
VISITS = {
    2025: [
        (VisitKind.INSPECTION, "老旧小区改造推进情况", D(2025, 4, 10)),
        (VisitKind.RESEARCH, "背街小巷环境整治", D(2025, 6, 18)),
        (VisitKind.INSPECTION, "农贸市场食品安全", D(2025, 9, 5)),
        (VisitKind.RESEARCH, "居家养老服务站运行情况", D(2025, 11, 12)),
    ],
    2026: [
        (VisitKind.INSPECTION, "城区排水防涝设施", D(2026, 3, 20)),
        (VisitKind.RESEARCH, "社区卫生服务中心建设", D(2026, 5, 22)),
        (VisitKind.INSPECTION, "民生实事项目进度", D(2026, 8, 27)),
    ],
}
# The field visit (index into VISITS[year]) held before each year's special work report.
REPORTS = {
    2025: (ReportTopic.LIVELIHOOD, "关于2025年民生实事项目办理情况的报告", D(2025, 7, 3), 1),
    2026: (ReportTopic.ECOLOGY, "关于生态环境保护工作情况的报告", D(2026, 6, 11), 1),
}
REPORT_TEXT = """一、检查基本情况
{date}，{committee}组织辖区市级人大代表对{law}在本街道的贯彻实施情况开展执法检查。检查前组织代表集中学习了相关法律法规。
二、发现的主要问题
（一）部分小区日常管理不到位，群众反映较多。
（二）有关职能部门执法协同机制有待完善。
三、意见和建议
请街道办事处对属街道职责的问题限期整改，属上级权限的问题已提交市人大常委会协调解决。"""
IMPLEMENTATION_TEXT = """一、整改落实情况
执法检查发现的问题已全部交办。属街道职责的问题已按期整改完毕，属上级权限的问题已由市人大常委会协调有关部门办理。
二、下一步工作
持续跟踪督办，巩固整改成效，适时组织代表回头看。"""


def _deputies(street: Street) -> list[Membership]:
    return list(
        Membership.objects.active()
        .filter(street=street, role=Role.DEPUTY)
        .select_related("user")
        .order_by("user__username", "pk")
    )


def _unit(street: Street) -> HandlingUnit:
    """The street office's unit in the opinion-handling loop (seeded by supervision's step before this)."""
    return HandlingUnit.objects.filter(street=street, active=True, kind=UnitKind.OFFICE).order_by("pk").first()


def _inspection(street, staff, deputies, year, background):
    law, starts_on, ends_on, studied_on = INSPECTIONS[year]
    if EnforcementInspection.objects.filter(street=street, law=law, starts_on=starts_on).exists():
        return
    inspection = services.inspection_create(
        by=staff,
        street=street,
        law=law,
        scope=f"{law}在{street.name}的贯彻实施情况：宣传普及、日常监管、群众反映的突出问题。",
        origin=InspectionOrigin.ASSIGNED if year == 2025 else InspectionOrigin.SELF,
        starts_on=starts_on,
        ends_on=ends_on,
        deputies=deputies[:6],
    )
    services.study_session_record(
        by=staff,
        inspection=inspection,
        held_on=studied_on,
        place=f"{street.name}人大代表联络站",
        content=f"学习{law}全文及相关配套规定。",
        attendees=deputies[:5],
    )
    services.inspection_start(by=staff, inspection=inspection, on=starts_on)
    if year == 2026:  # a finding still being rectified (the loop takes no deadline in the past)
        services.finding_add(
            by=staff,
            inspection=inspection,
            description="部分小区物业服务合同公示不到位，业主投诉处理不及时。",
            responsibility=Responsibility.STREET,
            unit=_unit(street),
            deadline=max(D(2026, 12, 31), timezone.localdate() + datetime.timedelta(days=20)),
        )
    services.finding_add(
        by=staff,
        inspection=inspection,
        description="跨部门联合执法机制不健全，需市级有关部门协调。",
        responsibility=Responsibility.HIGHER,
    )
    if year == 2025:
        committee = street.committee.name
        services.inspection_file_report(
            by=staff,
            inspection=inspection,
            report_text=REPORT_TEXT.format(date=f"{starts_on:%Y年%-m月%-d日}", committee=committee, law=law),
            on=ends_on + datetime.timedelta(days=10),
            background=background,
        )
        services.inspection_file_implementation(
            by=staff,
            inspection=inspection,
            implementation_text=IMPLEMENTATION_TEXT,
            on=ends_on + datetime.timedelta(days=60),
            background=background,
        )


def _visits(street, staff, deputies, year) -> list[FieldVisit]:
    plan = VISITS[year][:2] if (street.slug == SHORT_2026 and year == 2026) else VISITS[year]
    visits = []
    for index, (kind, topic, day) in enumerate(plan):
        visit = FieldVisit.objects.filter(street=street, topic=topic, starts_on=day).first()
        if visit is None:
            visit = services.visit_create(
                by=staff,
                street=street,
                participants=deputies[index : index + 6],
                kind=kind,
                topic=topic,
                starts_on=day,
                ends_on=day,
                staff_invited=f"{street.name}办事处分管副主任\n{street.name}办事处社会事务办主任",
                materials_studied="相关法律法规和市委、市政府有关政策文件。",
                summary=f"代表们实地查看了{topic}，听取了有关情况介绍，提出了意见建议。",
            )
            services.visit_issue_add(
                by=staff,
                visit=visit,
                content=f"关于{topic}，建议加大投入，明确完成时限。",
                proposer=deputies[index],
                registered_at=demo.past(day, 16),  # entered the afternoon of the visit
            )
        visits.append(visit)
    return visits


def _report(street, staff, deputies, year, visits):
    topic, title, heard_on, visit_index = REPORTS[year]
    if SpecialWorkReport.objects.filter(street=street, title=title).exists():
        return
    report = services.report_create(
        by=staff,
        street=street,
        topic=topic,
        title=title,
        reporting_unit=f"{street.name}办事处",
        heard_on=heard_on,
        held=True,
        field_visit=visits[visit_index],
        summary="与会代表听取了报告，进行了认真讨论，提出了意见和建议。",
    )
    for name, unit, position in [
        ("办事处主任", f"{street.name}办事处", "主任"),
        ("所长", f"{street.name}派出所", "所长"),
    ]:
        services.unit_head_add(
            by=staff, report=report, name=f"{street.name[:2]}{name[:1]}", unit=unit, position=position, attended=True
        )
    services.report_opinion_add(
        by=staff,
        report=report,
        content="建议将群众反映集中的问题纳入下一年度民生实事项目。",
        proposer=deputies[0],
        registered_at=demo.past(heard_on, 11),  # raised at the hearing
    )


def _appraisal(street, staff, background):
    unit_name = f"{street.name}综合行政执法大队"
    if WorkAppraisal.objects.filter(street=street, year=2025, unit_name=unit_name).exists():
        return
    members = list(
        Membership.objects.active()
        .filter(street=street, role=Role.COUNCIL_MEMBER)
        .select_related("user")
        .order_by("user__username", "pk")
    )
    if not members:
        return
    appraisal = services.appraisal_create(
        by=staff,
        street=street,
        year=2025,
        unit_name=unit_name,
        supervising_department="湘乡市城市管理和综合执法局",
        appraised_on=D(2025, 11, 20),
        criteria=[("工作作风", 25), ("依法履职", 30), ("办事效率", 20), ("群众满意度", 25)],
    )
    criteria = list(appraisal.criteria.all())
    for member in members:
        rng = random.Random(f"{street.slug}-{member.user.username}")  # noqa: S311 - demo scores
        services.appraisal_scores_set(
            by=staff, appraisal=appraisal, member=member, scores={c.pk: rng.randint(75, 98) for c in criteria}
        )
    services.appraisal_file(
        by=staff,
        appraisal=appraisal,
        summary="被评议单位依法履职意识较强，执法规范化水平有所提高；建议进一步改进工作作风，提高群众满意度。",
        reported_to_party_on=D(2025, 12, 1),
        reported_to_department_on=D(2025, 12, 1),
        on=D(2025, 12, 3),
        background=background,
    )


@demo.step(after=["supervision"])  # the street office's handling unit
@transaction.atomic
def seed(*, background: bool = False) -> None:
    streets = Street.objects.select_related("committee", "council", "municipality").filter(slug__in=STREETS)
    for street in streets.order_by("pk"):
        staff = User.objects.get(username=f"{street.slug}_{Role.STAFF}")
        deputies = _deputies(street)
        for year in (2025, 2026):
            visits = _visits(street, staff, deputies, year)
            _report(street, staff, deputies, year, visits)
            _inspection(street, staff, deputies, year, background)
        _appraisal(street, staff, background)
