"""Every write to the quarterly reports to the street party working committee (Art 20(1))."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.documents import rendering
from committee.documents.models import DocumentKind
from committee.documents.services import document_issue
from committee.models import Membership, Street, User
from committee.party_reports.models import PartyReport, ReportState
from committee.permissions import require
from committee.roles import Capability, Role

PDF_TEMPLATE = "party_reports/report_pdf.html"


def _check_period(year: int, quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("季度应为1至4。"))
    if not 2000 <= year <= 2100:
        raise ValidationError(_("年度不正确。"))


@transaction.atomic
def party_report_create(*, by: User, street: Street, year: int, quarter: int, title: str, body: str) -> PartyReport:
    """Start a draft for one quarter; each street has one report per quarter."""
    require(by, Capability.MANAGE_PARTY_REPORTS, street)
    _check_period(year, quarter)
    if PartyReport.objects.filter(street=street, year=year, quarter=quarter).exists():
        raise ValidationError(
            _("%(street)s %(y)d年第%(q)d季度的报告已存在，请修改原稿。")
            % {"street": street.name, "y": year, "q": quarter}
        )
    report = PartyReport(street=street, year=year, quarter=quarter, title=title.strip(), body=body, created_by=by)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def party_report_update(*, by: User, report: PartyReport, title: str, body: str) -> PartyReport:
    """Edit a draft. A submitted report is a 公文 on record and stays as it was submitted."""
    require(by, Capability.MANAGE_PARTY_REPORTS, report.street)
    report = PartyReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.DRAFT:
        raise ValidationError(_("报告已报送，不能再修改。"))
    report.title, report.body = title.strip(), body
    report.full_clean()
    report.save(update_fields=["title", "body", "updated_at"])
    return report


# Who may sign off a report to the party committee (签发), in the order offered: the director, then vice directors.
SIGNER_ROLES = (Role.DIRECTOR, Role.VICE_DIRECTOR)


def signers(street: Street, on: datetime.date | None = None) -> list[Membership]:
    """The memberships of the street's director and vice directors in office on the day, the director first;
    one per person."""
    memberships = (
        Membership.objects.active(on)
        .filter(street=street, role__in=SIGNER_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("role", "started_on", "pk")  # "director" sorts before "vice_director"
    )
    first: dict[int, Membership] = {}
    for membership in memberships:
        first.setdefault(membership.user_id, membership)
    return list(first.values())


def pdf_context(report: PartyReport) -> dict:
    committee_name = report.street.committee.name
    return {
        "issuer": committee_name,
        "masthead": committee_name,
        "signer": report.signed_off_by.full_name,
        "recipient": _("中共%(street)s工作委员会") % {"street": report.street.name},
        "signature": committee_name,
        "paragraphs": rendering.paragraphs(report.body),
    }


@transaction.atomic
def party_report_submit(
    *,
    by: User,
    report: PartyReport,
    signed_off_by: User,
    on: datetime.date | None = None,
    background: bool = True,
) -> PartyReport:
    """Submit the report to the street party working committee: it becomes a 公文 (kind 报) in the document
    format, numbered now and rendered in the background. `signed_off_by` (签发人, printed beside the number) is
    the director or a vice director in office that day, who approved it."""
    require(by, Capability.MANAGE_PARTY_REPORTS, report.street)
    report = (
        PartyReport.objects.select_for_update(of=("self",))
        .select_related("street__committee", "street__municipality")
        .get(pk=report.pk)
    )
    if report.state != ReportState.DRAFT:
        raise ValidationError(_("报告已报送。"))
    if not report.paragraphs():
        raise ValidationError(_("报告正文为空，不能报送。"))
    on = on or timezone.localdate()
    if signed_off_by.pk not in {m.user_id for m in signers(report.street, on)}:
        raise ValidationError(_("签发人须为本街道在任的人大工委主任或副主任。"))
    report.signed_off_by = signed_off_by
    report.document = document_issue(
        by=by,
        street=report.street,
        kind=DocumentKind.REPORT,
        title=report.title,
        template_name=PDF_TEMPLATE,
        context=pdf_context(report),
        subject=report,
        view_capability=Capability.VIEW_PARTY_REPORTS,
        background=background,
        issued_on=on,
    )
    report.state = ReportState.SUBMITTED
    report.submitted_by = by
    report.submitted_on = on
    report.save(update_fields=["document", "state", "submitted_by", "submitted_on", "signed_off_by", "updated_at"])
    return report
