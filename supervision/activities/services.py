"""Every write to the chapter 4 supervision activities (Art 7-10). Cases go into the opinion-handling loop only
through `supervision.services` (`opinion_register`, `opinion_assign`, `opinion_escalate`); filings are 公文 issued
by `committee.documents`."""

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.documents import rendering
from committee.documents.models import DocumentKind
from committee.documents.services import document_issue
from committee.models import Membership, Street, User
from committee.permissions import require
from committee.roles import Capability, Role
from supervision import services as loop
from supervision.activities.models import (
    AppraisalCriterion,
    AppraisalScore,
    AppraisalState,
    CollectedIssue,
    EnforcementInspection,
    FieldVisit,
    InspectionFinding,
    InspectionState,
    Responsibility,
    SpecialWorkReport,
    StudySession,
    UnitHead,
    WorkAppraisal,
)

# One template per kind of filing: document_issue versions documents per (subject, template).
INSPECTION_REPORT_TEMPLATE = "activities/inspection_report_pdf.html"
IMPLEMENTATION_REPORT_TEMPLATE = "activities/implementation_report_pdf.html"
APPRAISAL_RESULT_TEMPLATE = "activities/appraisal_result_pdf.html"


# --- The opinion-handling loop ----------------------------------------------------------------------------------
def _case_register(
    *,
    by: User,
    street: Street,
    channel: str,
    content: str,
    proposer_name: str,
    source,
    proposer_user=None,
    registered_at: datetime.datetime | None = None,
):
    """Every case this app raises goes in here, through the loop's own service (never its models). A deputy named
    as proposer is the case's proposer: the loop tells them of the reply and asks for their rating."""
    return loop.opinion_register(
        by=by,
        street=street,
        channel=channel,
        content=content,
        proposer_name=proposer_name,
        proposer_user=proposer_user,
        source=source,
        registered_at=registered_at,
    )


# --- Common checks --------------------------------------------------------------------------------------------
def _check_dates(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"))


def _memberships(street: Street, memberships: Iterable[Membership], role: str, label: str) -> list[Membership]:
    chosen = list(memberships)
    wrong = [m for m in chosen if m.street_id != street.pk or m.role != role]
    if wrong:
        raise ValidationError(
            _("%(names)s 不是本街道的%(label)s。") % {"names": "、".join(map(str, wrong)), "label": label}
        )
    return chosen


def _deputies(street, memberships):
    return _memberships(street, memberships, Role.DEPUTY, _("人大代表"))


def _recipient(street: Street) -> str:
    return _("%(city)s人大常委会") % {"city": street.municipality.name}


def _locked(record):
    """The record again, locked for this transaction, with what its filing needs (street, committee, city)."""
    return (
        type(record)
        .objects.select_for_update(of=("self",))
        .select_related("street__committee", "street__municipality")
        .get(pk=record.pk)
    )


def _filing(*, by, street, title, text, subject, template_name, on, background):
    """Issue a filing (备案) with the municipal committee: a 公文 (kind 报) in the document format, readable with
    VIEW_SUPERVISION (which the city role has)."""
    paragraphs = rendering.paragraphs(text)
    if not paragraphs:
        raise ValidationError(_("报告正文为空，不能报送备案。"))
    committee_name = street.committee.name
    return document_issue(
        by=by,
        street=street,
        kind=DocumentKind.REPORT,
        title=title,
        template_name=template_name,
        context={
            "issuer": committee_name,
            "masthead": committee_name,
            "recipient": _recipient(street),
            "signature": committee_name,
            "paragraphs": paragraphs,
        },
        subject=subject,
        view_capability=Capability.VIEW_SUPERVISION,
        background=background,
        issued_on=on,
    )


# --- Enforcement inspections (Art 7) --------------------------------------------------------------------------
@transaction.atomic
def inspection_create(
    *,
    by: User,
    street: Street,
    law: str,
    scope: str,
    origin: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    deputies: Iterable[Membership] = (),
) -> EnforcementInspection:
    """Plan an inspection: the law inspected, scope, dates, deputies taking part, who asked for it."""
    require(by, Capability.MANAGE_SUPERVISION, street)
    _check_dates(starts_on, ends_on)
    inspection = EnforcementInspection(
        street=street,
        law=law.strip(),
        scope=scope,
        origin=origin,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    inspection.full_clean()
    inspection.save()
    inspection.deputies.set(_deputies(street, deputies))
    return inspection


@transaction.atomic
def inspection_update(
    *,
    by: User,
    inspection: EnforcementInspection,
    law: str,
    scope: str,
    origin: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    deputies: Iterable[Membership] = (),
) -> EnforcementInspection:
    """Change the plan; once the inspection has started, the plan is what was carried out."""
    require(by, Capability.MANAGE_SUPERVISION, inspection.street)
    inspection = EnforcementInspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.state not in (InspectionState.PLANNED, InspectionState.STUDIED):
        raise ValidationError(_("检查已开始，不能再修改计划。"))
    _check_dates(starts_on, ends_on)
    inspection.law, inspection.scope, inspection.origin = law.strip(), scope, origin
    inspection.starts_on, inspection.ends_on = starts_on, ends_on
    inspection.full_clean()
    inspection.save()
    inspection.deputies.set(_deputies(inspection.street, deputies))
    return inspection


@transaction.atomic
def study_session_record(
    *,
    by: User,
    inspection: EnforcementInspection,
    held_on: datetime.date,
    content: str,
    place: str = "",
    attendees: Iterable[Membership] = (),
) -> StudySession:
    """Record the law-study session held before the inspection (Art 7(1)), with the deputies who attended.
    A planned inspection becomes "studied", which is what allows it to start."""
    require(by, Capability.MANAGE_SUPERVISION, inspection.street)
    inspection = EnforcementInspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.state not in (InspectionState.PLANNED, InspectionState.STUDIED):
        raise ValidationError(_("检查已开始，检查前的学习不能再补记。"))
    if held_on > timezone.localdate():
        raise ValidationError(_("学习尚未举行，请在学习后登记。"))
    attendees = _deputies(inspection.street, attendees)
    if not attendees:
        raise ValidationError(_("请选择参加学习的代表。"))
    session = StudySession(
        street_id=inspection.street_id, inspection=inspection, held_on=held_on, place=place, content=content
    )
    session.full_clean()
    session.save()
    session.attendees.set(attendees)
    inspection.state = InspectionState.STUDIED
    inspection.studied_on = min(held_on, inspection.studied_on or held_on)
    inspection.save(update_fields=["state", "studied_on"])
    return session


@transaction.atomic
def inspection_start(
    *, by: User, inspection: EnforcementInspection, on: datetime.date | None = None
) -> EnforcementInspection:
    """Start the inspection. Refused unless a law-study session was held (Art 7(1): 检查前组织代表学习)."""
    require(by, Capability.MANAGE_SUPERVISION, inspection.street)
    inspection = EnforcementInspection.objects.select_for_update().get(pk=inspection.pk)
    on = on or timezone.localdate()
    if inspection.state == InspectionState.PLANNED:
        raise ValidationError(_("检查前须组织代表学习相关法律法规：请先登记学习情况，再开始检查。"))
    if inspection.state != InspectionState.STUDIED:
        raise ValidationError(_("检查已开始，不能重复开始。"))
    if not inspection.study_sessions.filter(held_on__lte=on).exists():
        raise ValidationError(_("开始日期早于学习日期：检查须在学习之后开始。"))
    inspection.state = InspectionState.IN_PROGRESS
    inspection.started_on = on
    inspection.full_clean()
    inspection.save(update_fields=["state", "started_on"])
    return inspection


@transaction.atomic
def finding_add(
    *,
    by: User,
    inspection: EnforcementInspection,
    description: str,
    responsibility: str,
    unit=None,
    deadline: datetime.date | None = None,
) -> InspectionFinding:
    """Record a finding (Art 7(2)) and hand it into the opinion-handling loop as an enforcement-inspection case:
    the street's → assigned to the handling unit with the rectification deadline; a higher authority's →
    escalated to the municipal committee."""
    require(by, Capability.MANAGE_SUPERVISION, inspection.street)
    inspection = EnforcementInspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.state != InspectionState.IN_PROGRESS:
        raise ValidationError(_("只有检查中的执法检查可以登记发现的问题。"))
    if responsibility == Responsibility.STREET:
        if deadline is None:
            raise ValidationError(_("属街道职责的问题须定整改期限。"))
        if deadline < timezone.localdate():
            raise ValidationError(_("整改期限不能早于今天。"))
        if unit is None:
            raise ValidationError(_("请选择整改单位。"))
        if unit.street_id != inspection.street_id:
            raise ValidationError(_("只能交给本街道的办理单位。"))
    else:
        deadline, unit = None, None
    finding = InspectionFinding(
        street_id=inspection.street_id,
        inspection=inspection,
        description=description.strip(),
        responsibility=responsibility,
        unit_name=str(unit) if unit is not None else "",
        deadline=deadline,
    )
    finding.full_clean()
    finding.save()
    opinion = _case_register(
        by=by,
        street=inspection.street,
        channel="enforcement_inspection",
        content=_("%(inspection)s发现：%(text)s") % {"inspection": inspection, "text": finding.description},
        proposer_name="",
        source=finding,
    )
    if unit is not None:
        loop.opinion_assign(by=by, opinion=opinion, unit=unit, deadline=deadline, note=_("执法检查发现，限期整改。"))
    else:
        loop.opinion_escalate(by=by, opinion=opinion, note=_("执法检查发现，属上级权限，提交市人大常委会协调解决。"))
    finding.case_id = opinion.pk
    finding.save(update_fields=["case_id"])
    return finding


@transaction.atomic
def inspection_file_report(
    *,
    by: User,
    inspection: EnforcementInspection,
    report_text: str,
    on: datetime.date | None = None,
    background: bool = True,
) -> EnforcementInspection:
    """File the inspection report with the municipal committee (Art 7(3)): a numbered 公文."""
    require(by, Capability.MANAGE_SUPERVISION, inspection.street)
    inspection = _locked(inspection)
    if inspection.state != InspectionState.IN_PROGRESS:
        raise ValidationError(_("只有检查中的执法检查可以报送检查报告。"))
    inspection.report_text = report_text
    inspection.report_document = _filing(
        by=by,
        street=inspection.street,
        title=_("关于%(x)s情况的报告") % {"x": inspection},
        text=report_text,
        subject=inspection,
        template_name=INSPECTION_REPORT_TEMPLATE,
        on=on,
        background=background,
    )
    inspection.state = InspectionState.REPORTED
    inspection.save(update_fields=["report_text", "report_document", "state"])
    return inspection


@transaction.atomic
def inspection_file_implementation(
    *,
    by: User,
    inspection: EnforcementInspection,
    implementation_text: str,
    on: datetime.date | None = None,
    background: bool = True,
) -> EnforcementInspection:
    """File the report on how the findings were implemented (落实情况, Art 7(3))."""
    require(by, Capability.MANAGE_SUPERVISION, inspection.street)
    inspection = _locked(inspection)
    if inspection.state != InspectionState.REPORTED:
        raise ValidationError(_("须先报送执法检查报告，再报送落实情况。"))
    inspection.implementation_text = implementation_text
    inspection.implementation_document = _filing(
        by=by,
        street=inspection.street,
        title=_("关于%(x)s发现问题整改落实情况的报告") % {"x": inspection},
        text=implementation_text,
        subject=inspection,
        template_name=IMPLEMENTATION_REPORT_TEMPLATE,
        on=on,
        background=background,
    )
    inspection.state = InspectionState.IMPLEMENTATION_FILED
    inspection.save(update_fields=["implementation_text", "implementation_document", "state"])
    return inspection


# --- Field visits and research (Art 10) -----------------------------------------------------------------------
VISIT_FIELDS = ("kind", "topic", "starts_on", "ends_on", "staff_invited", "materials_studied", "summary")


@transaction.atomic
def visit_create(*, by: User, street: Street, participants: Iterable[Membership] = (), **fields) -> FieldVisit:
    """Record a field visit or research (视察、调研): kind, topic, dates, participants, staff asked to join,
    what was studied beforehand. Fields: kind, topic, starts_on, ends_on, staff_invited, materials_studied,
    summary."""
    require(by, Capability.MANAGE_SUPERVISION, street)
    unknown = set(fields) - set(VISIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {unknown}")
    _check_dates(fields["starts_on"], fields["ends_on"])
    visit = FieldVisit(street=street, created_by=by, **fields)
    visit.full_clean()
    visit.save()
    visit.participants.set(_deputies(street, participants))
    return visit


@transaction.atomic
def visit_update(*, by: User, visit: FieldVisit, participants: Iterable[Membership] = (), **fields) -> FieldVisit:
    require(by, Capability.MANAGE_SUPERVISION, visit.street)
    visit = FieldVisit.objects.select_for_update().get(pk=visit.pk)
    unknown = set(fields) - set(VISIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {unknown}")
    _check_dates(fields["starts_on"], fields["ends_on"])
    for name, value in fields.items():
        setattr(visit, name, value)
    visit.full_clean()
    visit.save()
    visit.participants.set(_deputies(visit.street, participants))
    return visit


@transaction.atomic
def visit_issue_add(
    *,
    by: User,
    visit: FieldVisit,
    content: str,
    proposer_name: str = "",
    proposer: Membership | None = None,
    registered_at: datetime.datetime | None = None,
) -> CollectedIssue:
    """An issue collected on the visit (Art 10(4)): passed to the units as a field-visit case. `proposer`: the
    deputy who raised it (the reply goes back to them), else `proposer_name` as free text. `registered_at`: when
    the case was registered, now by default (the demo's past)."""
    require(by, Capability.MANAGE_SUPERVISION, visit.street)
    if visit.starts_on > timezone.localdate():
        raise ValidationError(_("视察调研尚未开始，不能登记收集的问题。"))
    return _issue_add(
        by=by,
        street=visit.street,
        source=visit,
        channel="field_visit",
        content=content,
        proposer_name=proposer_name,
        proposer=proposer,
        registered_at=registered_at,
        field_visit=visit,
    )


def _issue_add(
    *, by, street, source, channel, content, proposer_name, proposer, registered_at=None, **parent
) -> CollectedIssue:
    if not content.strip():
        raise ValidationError(_("请填写意见建议或问题的内容。"))
    if proposer is not None:
        _deputies(street, [proposer])
        proposer_name = proposer.user.full_name
    issue = CollectedIssue(street=street, content=content.strip(), proposer_name=proposer_name.strip(), **parent)
    issue.full_clean()
    issue.save()
    opinion = _case_register(
        by=by,
        street=street,
        channel=channel,
        content=issue.content,
        proposer_name=issue.proposer_name,
        proposer_user=proposer.user if proposer is not None else None,
        source=source,
        registered_at=registered_at,
    )
    issue.case_id = opinion.pk
    issue.save(update_fields=["case_id"])
    return issue


# --- Special work reports (Art 8) -----------------------------------------------------------------------------
REPORT_FIELDS = ("topic", "title", "reporting_unit", "heard_on", "held", "field_visit", "summary")


def _check_report(street: Street, fields: dict) -> None:
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {unknown}")
    visit = fields.get("field_visit")
    if visit is not None:
        if visit.street_id != street.pk:
            raise ValidationError(_("会前视察调研须是本街道的活动。"))
        if visit.starts_on > fields["heard_on"]:
            raise ValidationError(_("会前视察调研须在听取报告之前进行。"))
    if fields.get("held") and fields["heard_on"] > timezone.localdate():
        raise ValidationError(_("听取日期在今天之后，不能标记为已召开。"))


@transaction.atomic
def report_create(*, by: User, street: Street, **fields) -> SpecialWorkReport:
    """Plan or record a hearing of a special work report. Fields: topic, title, reporting_unit, heard_on, held,
    field_visit, summary."""
    require(by, Capability.MANAGE_SUPERVISION, street)
    _check_report(street, fields)
    report = SpecialWorkReport(street=street, created_by=by, **fields)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_update(*, by: User, report: SpecialWorkReport, **fields) -> SpecialWorkReport:
    require(by, Capability.MANAGE_SUPERVISION, report.street)
    report = SpecialWorkReport.objects.select_for_update().get(pk=report.pk)
    _check_report(report.street, fields)
    for name, value in fields.items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def unit_head_add(
    *, by: User, report: SpecialWorkReport, name: str, unit: str, position: str = "", attended: bool = False
) -> UnitHead:
    """A unit head who must attend and report (Art 8(2)), and whether they did."""
    require(by, Capability.MANAGE_SUPERVISION, report.street)
    if UnitHead.objects.filter(report=report, name=name.strip(), unit=unit.strip()).exists():
        raise ValidationError(_("%(unit)s %(name)s 已在名单中。") % {"unit": unit, "name": name})
    head = UnitHead(
        street_id=report.street_id,
        report=report,
        name=name.strip(),
        unit=unit.strip(),
        position=position.strip(),
        attended=attended,
    )
    head.full_clean()
    head.save()
    return head


@transaction.atomic
def unit_head_set_attended(*, by: User, head: UnitHead, attended: bool) -> UnitHead:
    require(by, Capability.MANAGE_SUPERVISION, head.street)
    head.attended = attended
    head.save(update_fields=["attended"])
    return head


@transaction.atomic
def unit_head_remove(*, by: User, head: UnitHead) -> None:
    require(by, Capability.MANAGE_SUPERVISION, head.street)
    head.delete()


@transaction.atomic
def report_opinion_add(
    *,
    by: User,
    report: SpecialWorkReport,
    content: str,
    proposer_name: str = "",
    proposer: Membership | None = None,
    registered_at: datetime.datetime | None = None,
) -> CollectedIssue:
    """A deputy's opinion at the hearing (Art 8(3)): passed to the street office and units as a case; the reply
    goes back to the deputy (`proposer`, a deputy membership of the street) through the loop. `registered_at`: as
    for `visit_issue_add`."""
    require(by, Capability.MANAGE_SUPERVISION, report.street)
    if not report.held:
        raise ValidationError(_("会议尚未召开，不能登记代表意见。"))
    return _issue_add(
        by=by,
        street=report.street,
        source=report,
        channel="special_work_report",
        content=content,
        proposer_name=proposer_name,
        proposer=proposer,
        registered_at=registered_at,
        report=report,
    )


# --- Work appraisals (Art 9) ----------------------------------------------------------------------------------
def _check_criteria(criteria: list[tuple[str, int]]) -> None:
    if not criteria:
        raise ValidationError(_("请至少设置一个评议项目。"))
    names = [name for name, _weight in criteria]
    if len(set(names)) != len(names):
        raise ValidationError(_("评议项目名称不能重复。"))
    if any(not 1 <= weight <= 100 for _name, weight in criteria):
        raise ValidationError(_("每项权重应在1至100之间。"))
    total = sum(weight for _name, weight in criteria)
    if total != 100:
        raise ValidationError(_("各评议项目的权重合计应为100，现为%(t)d。") % {"t": total})


@transaction.atomic
def appraisal_create(
    *,
    by: User,
    street: Street,
    year: int,
    unit_name: str,
    supervising_department: str,
    appraised_on: datetime.date,
    criteria: list[tuple[str, int]],
) -> WorkAppraisal:
    """Set up an appraisal of a unit by the residents' council: its criteria and weights (summing to 100)."""
    require(by, Capability.MANAGE_SUPERVISION, street)
    _check_criteria(criteria)
    appraisal = WorkAppraisal(
        street=street,
        year=year,
        unit_name=unit_name.strip(),
        supervising_department=supervising_department.strip(),
        appraised_on=appraised_on,
        created_by=by,
    )
    appraisal.full_clean()
    appraisal.save()
    AppraisalCriterion.objects.bulk_create(
        [AppraisalCriterion(street=street, appraisal=appraisal, name=n.strip(), weight=w) for n, w in criteria]
    )
    return appraisal


@transaction.atomic
def appraisal_criteria_set(*, by: User, appraisal: WorkAppraisal, criteria: list[tuple[str, int]]) -> WorkAppraisal:
    """Replace the criteria (only before anyone has scored)."""
    require(by, Capability.MANAGE_SUPERVISION, appraisal.street)
    appraisal = WorkAppraisal.objects.select_for_update().get(pk=appraisal.pk)
    if appraisal.state != AppraisalState.DRAFT:
        raise ValidationError(_("评议结果已报送备案，不能再修改。"))
    if AppraisalScore.objects.filter(criterion__appraisal=appraisal).exists():
        raise ValidationError(_("已有议事员打分，不能再修改评议项目和权重。"))
    _check_criteria(criteria)
    appraisal.criteria.all().delete()
    AppraisalCriterion.objects.bulk_create(
        [
            AppraisalCriterion(street=appraisal.street, appraisal=appraisal, name=n.strip(), weight=w)
            for n, w in criteria
        ]
    )
    return appraisal


@transaction.atomic
def appraisal_scores_set(
    *, by: User, appraisal: WorkAppraisal, member: Membership, scores: dict[int, int]
) -> list[AppraisalScore]:
    """One council member's scores, {criterion id: score 0-100}, for every criterion of the appraisal."""
    require(by, Capability.MANAGE_SUPERVISION, appraisal.street)
    appraisal = WorkAppraisal.objects.select_for_update().get(pk=appraisal.pk)
    if appraisal.state != AppraisalState.DRAFT:
        raise ValidationError(_("评议结果已报送备案，不能再打分。"))
    _memberships(appraisal.street, [member], Role.COUNCIL_MEMBER, _("居民议事员"))
    criteria = list(appraisal.criteria.all())
    if {c.pk for c in criteria} != set(scores):
        raise ValidationError(_("请为每个评议项目打分。"))
    if any(not 0 <= s <= 100 for s in scores.values()):
        raise ValidationError(_("得分应在0至100之间。"))
    AppraisalScore.objects.filter(criterion__appraisal=appraisal, member=member).delete()
    return AppraisalScore.objects.bulk_create(
        [AppraisalScore(street=appraisal.street, criterion=c, member=member, score=scores[c.pk]) for c in criteria]
    )


def appraisal_result(appraisal: WorkAppraisal) -> Decimal | None:
    """The weighted result: Σ weight × (average score on the criterion) / 100, one query."""
    total = (
        AppraisalCriterion.objects.filter(appraisal=appraisal)
        .annotate(average=Avg("scores__score"))
        .filter(average__isnull=False)
        .aggregate(total=Sum(F("weight") * F("average")), weights=Sum("weight"))
    )
    if total["total"] is None or total["weights"] != 100:
        return None  # some criterion has no score yet
    return (Decimal(total["total"]) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def appraisal_file(
    *,
    by: User,
    appraisal: WorkAppraisal,
    summary: str,
    reported_to_party_on: datetime.date,
    reported_to_department_on: datetime.date,
    on: datetime.date | None = None,
    background: bool = True,
) -> WorkAppraisal:
    """Record the report of the result to the party working committee and the supervising department and file it
    with the municipal committee (Art 9(2)) as a 公文."""
    require(by, Capability.MANAGE_SUPERVISION, appraisal.street)
    appraisal = _locked(appraisal)
    if appraisal.state != AppraisalState.DRAFT:
        raise ValidationError(_("评议结果已报送备案。"))
    result = appraisal_result(appraisal)
    if result is None:
        raise ValidationError(_("还有评议项目没有得分，不能报送备案。"))
    on = on or timezone.localdate()
    criteria = "；".join(str(c) for c in appraisal.criteria.all())
    members = AppraisalScore.objects.filter(criterion__appraisal=appraisal).values("member").distinct().count()
    text = "\n".join(
        [
            _("%(date)s，%(council)s对%(unit)s%(y)d年度工作开展评议，%(n)d名居民议事员参加打分。")
            % {
                "date": rendering.chinese_date(appraisal.appraised_on),
                "council": appraisal.street.council.name,
                "unit": appraisal.unit_name,
                "y": appraisal.year,
                "n": members,
            },
            _("一、评议项目和权重"),
            criteria + "。",
            _("二、评议结果"),
            _("加权综合得分%(r)s分。评议结果已报街道党工委和%(dept)s，作为部门年度考核的重要依据。")
            % {"r": result, "dept": appraisal.supervising_department},
            _("三、评议意见"),
            summary,
        ]
    )
    appraisal.summary = summary
    appraisal.result = result
    appraisal.reported_to_party_on = reported_to_party_on
    appraisal.reported_to_department_on = reported_to_department_on
    appraisal.filing_document = _filing(
        by=by,
        street=appraisal.street,
        title=_("关于%(x)s结果的报告") % {"x": appraisal},
        text=text,
        subject=appraisal,
        template_name=APPRAISAL_RESULT_TEMPLATE,
        on=on,
        background=background,
    )
    appraisal.state = AppraisalState.FILED
    appraisal.save()
    return appraisal
