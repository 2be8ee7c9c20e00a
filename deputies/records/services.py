"""Every write of duty records and points. Keyword-only, an acting user, one transaction, the capability checked
inside; refusals are `ValidationError`s with a Chinese message naming the field."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.documents import rendering
from committee.documents.models import DocumentKind
from committee.documents.services import document_issue
from committee.duties import registry
from committee.models import Street, User
from committee.notices.services import notice_send
from committee.permissions import require
from committee.roles import Capability
from committee.uploads import own_name, suffix_of
from deputies.models import deputy_memberships
from deputies.records import points as scoring
from deputies.records.models import (
    Claim,
    ClaimEvidence,
    ClaimKind,
    ClaimParticipant,
    ClaimState,
    Correction,
    CorrectionKind,
    CorrectionState,
    DutyArchive,
    PointEntry,
    PointRule,
    PointScheme,
    Quarter,
    QuarterScore,
    QuarterState,
)
from deputies.records.selectors import archive_items, live_lines, quarter_window

EVIDENCE_SUFFIXES = frozenset({"jpg", "jpeg", "png", "gif", "webp", "heic", "pdf", "doc", "docx"})
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def is_deputy(user: User, street: Street, on: datetime.date) -> bool:
    return deputy_memberships(on).filter(user=user, street=street).exists()


def _add_evidence(claim: Claim, files) -> None:
    for upload in files:
        name = own_name(upload)
        if suffix_of(name) not in EVIDENCE_SUFFIXES:
            raise ValidationError(
                {"evidence": _("文件“%(name)s”的格式不支持；请上传照片、PDF 或 Word 文件。") % {"name": name}}
            )
        if upload.size > MAX_EVIDENCE_BYTES:
            raise ValidationError({"evidence": _("文件“%(name)s”超过 20 MB。") % {"name": name}})
        evidence = ClaimEvidence(street_id=claim.street_id, claim=claim, name=name[:200], size=upload.size)
        evidence.file.save(name, upload, save=False)
        evidence.save()


def _check_claim_fields(*, kind: str, title: str, date: datetime.date, venue: str, deputy_role: str) -> None:
    if kind not in ClaimKind.values:
        raise ValidationError({"kind": _("请选择履职事项的类别。")})
    if kind == ClaimKind.FIVE_VISITS and not venue:
        raise ValidationError({"venue": _("“五进”活动请选择去处（进站点、进机关、进选区、进园区、进企业）。")})
    if kind == ClaimKind.DEPUTY_PLUS and not deputy_role:
        raise ValidationError({"deputy_role": _("“人大代表+”活动请选择代表的角色。")})
    if not title.strip():
        raise ValidationError({"title": _("请填写事项。")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("日期不能晚于今天：履职登记记的是已经做了的事。")})


@transaction.atomic
def claim_file(
    *,
    by: User,
    street: Street,
    kind: str,
    title: str,
    date: datetime.date,
    place: str = "",
    description: str = "",
    venue: str = "",
    deputy_role: str = "",
    evidence: Iterable = (),
) -> Claim:
    """A deputy files a claim of their own (为民办实事, 立法相关…) with a photo or document; it counts once staff
    confirm it."""
    require(by, Capability.FILE_DUTY_CLAIMS, street)
    _check_claim_fields(kind=kind, title=title, date=date, venue=venue, deputy_role=deputy_role)
    if not is_deputy(by, street, date):
        raise ValidationError({"date": _("这一天您不是本街道的人大代表。")})
    files = list(evidence)
    if not files:
        raise ValidationError({"evidence": _("请上传照片或文件作为佐证。")})
    claim = Claim.objects.create(
        street=street,
        kind=kind,
        title=title.strip(),
        date=date,
        place=place.strip(),
        description=description.strip(),
        venue=venue,
        deputy_role=deputy_role,
        filed_by=by,
    )
    ClaimParticipant.objects.create(street=street, claim=claim, person=by)
    _add_evidence(claim, files)
    return claim


def _check_review(by: User, claim: Claim) -> None:
    require(by, Capability.MANAGE_DUTIES, claim.street)
    if claim.state != ClaimState.PENDING:
        raise ValidationError(_("这条履职登记已经审核过了。"))
    if claim.filed_by_id == by.pk or claim.participant_links.filter(person=by).exists():
        raise PermissionDenied(_("不能审核本人的履职登记。"))


@transaction.atomic
def claim_confirm(*, by: User, claim: Claim) -> Claim:
    claim = Claim.objects.select_for_update().select_related("street").get(pk=claim.pk)
    _check_review(by, claim)
    claim.state, claim.reviewed_by, claim.reviewed_at = ClaimState.CONFIRMED, by, timezone.now()
    claim.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    return claim


@transaction.atomic
def claim_reject(*, by: User, claim: Claim, reason: str) -> Claim:
    claim = Claim.objects.select_for_update().select_related("street").get(pk=claim.pk)
    _check_review(by, claim)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明不予确认的理由，代表会看到。")})
    claim.state, claim.reviewed_by, claim.reviewed_at = ClaimState.REJECTED, by, timezone.now()
    claim.reject_reason = reason.strip()[:300]
    claim.save(update_fields=["state", "reviewed_by", "reviewed_at", "reject_reason"])
    return claim


@transaction.atomic
def activity_record(
    *,
    by: User,
    street: Street,
    kind: str,
    title: str,
    date: datetime.date,
    participants: Iterable[User],
    place: str = "",
    description: str = "",
    venue: str = "",
    deputy_role: str = "",
    audience: int | None = None,
    evidence: Iterable = (),
) -> Claim:
    """Staff record an activity they organised once with all its participants (a publicity campaign with 12
    deputies is one record): confirmed as recorded."""
    require(by, Capability.MANAGE_DUTIES, street)
    _check_claim_fields(kind=kind, title=title, date=date, venue=venue, deputy_role=deputy_role)
    people = {user.pk: user for user in participants}
    if not people:
        raise ValidationError({"participants": _("请选择参加的代表。")})
    deputies = set(deputy_memberships(date).filter(street=street, user_id__in=people).values_list("user_id", flat=True))
    outsiders = [str(people[pk]) for pk in people if pk not in deputies]
    if outsiders:
        raise ValidationError(
            {"participants": _("%(names)s 在这一天不是本街道的人大代表。") % {"names": "、".join(outsiders)}}
        )
    claim = Claim.objects.create(
        street=street,
        kind=kind,
        title=title.strip(),
        date=date,
        place=place.strip(),
        description=description.strip(),
        venue=venue,
        deputy_role=deputy_role,
        audience=audience,
        organised=True,
        state=ClaimState.CONFIRMED,
        filed_by=by,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )
    ClaimParticipant.objects.bulk_create(
        [ClaimParticipant(street=street, claim=claim, person_id=pk) for pk in sorted(people)]
    )
    _add_evidence(claim, evidence)
    return claim


@transaction.atomic
def point_rules_save(
    *, by: User, street: Street, year: int, base_points: Decimal, table: dict[str, tuple[Decimal, Decimal | None]]
) -> PointScheme:
    """The director sets the year's rules (audited). Quarters published already keep their points."""
    require(by, Capability.MANAGE_POINT_RULES, street)
    if base_points < 0:
        raise ValidationError({"base_points": _("基础分不能为负数。")})
    scheme, _created = PointScheme.objects.update_or_create(
        street=street, year=year, defaults={"base_points": base_points, "changed_by": by}
    )
    existing = {rule.kind: rule for rule in scheme.rules.all()}
    for kind, (value, cap) in sorted(table.items()):
        if cap is not None and cap < 0:
            raise ValidationError({f"cap_{kind}": _("年度上限不能为负数。")})
        rule = existing.get(kind)
        if rule is None:
            PointRule.objects.create(street=street, scheme=scheme, kind=kind, points=value, cap=cap)
        elif (rule.points, rule.cap) != (value, cap):
            rule.points, rule.cap = value, cap
            rule.save(update_fields=["points", "cap"])  # one audit entry per changed line
    return scheme


def _write_lines(quarter: Quarter, people: list[int]) -> None:
    """(Re)compute a quarter's lines and scores from the records as they are now. Struck lines stay struck; a
    line whose record no longer yields it goes; new records are added. A record counts once (database)."""
    street = quarter.street
    rules = scoring.rules_for(street, quarter.year)
    lines = live_lines(street, people, quarter.year, quarter.number, rules)
    types = ContentType.objects.get_for_models(*{type(line.item.source) for line in lines})
    existing = {(e.person_id, e.source_type_id, e.source_id): e for e in quarter.entries.all()}
    # A record already counted in another quarter (its date moved since) is not counted again.
    elsewhere = set(
        PointEntry.objects.filter(street=street, person_id__in=people)
        .exclude(quarter=quarter)
        .filter(date__range=(quarter.start - datetime.timedelta(days=366), quarter.end + datetime.timedelta(days=366)))
        .values_list("person_id", "source_type_id", "source_id")
    )
    keep = set()
    for line in lines:
        item = line.item
        key = (item.person_id, types[type(item.source)].pk, item.source.pk)
        if key in elsewhere:
            continue
        keep.add(key)
        entry = existing.get(key)
        values = {
            "kind": item.kind,
            "date": item.date,
            "label": item.label[:300],
            "url": item.url[:300],
            "points": line.points,
            "capped": line.capped,
        }
        if entry is None:
            PointEntry.objects.create(
                street=street,
                quarter=quarter,
                person_id=item.person_id,
                source_type_id=key[1],
                source_id=key[2],
                **values,
            )
        elif entry.struck_by_id is None and any(getattr(entry, k) != v for k, v in values.items()):
            PointEntry.objects.filter(pk=entry.pk).update(**values)
    gone = [e.pk for key, e in existing.items() if key not in keep and e.struck_by_id is None]
    PointEntry.objects.filter(pk__in=gone).delete()
    quarter_points = dict(
        quarter.entries.filter(struck_by__isnull=True).values_list("person_id").annotate(total=Sum("points"))
    )
    year_points = dict(
        PointEntry.objects.filter(
            street=street, quarter__year=quarter.year, quarter__number__lte=quarter.number, struck_by__isnull=True
        )
        .values_list("person_id")
        .annotate(total=Sum("points"))
    )
    QuarterScore.objects.filter(quarter=quarter).delete()
    QuarterScore.objects.bulk_create(
        [
            QuarterScore(
                street=street,
                quarter=quarter,
                person_id=pk,
                points=quarter_points.get(pk, Decimal(0)),
                year_total=rules.base + year_points.get(pk, Decimal(0)),
                grade=scoring.grade(rules.base + year_points.get(pk, Decimal(0))),
            )
            for pk in people
        ]
    )


@transaction.atomic
def quarter_publish(*, by: User, street: Street, year: int, number: int, on: datetime.date | None = None) -> Quarter:
    """Publish a finished quarter's points for the street (a frozen snapshot) and notify its deputies, who then
    have DUTY_CORRECTION_DAYS to report 错/重/漏."""
    require(by, Capability.MANAGE_DUTIES, street)
    today = on or timezone.localdate()
    if number not in (1, 2, 3, 4):
        raise ValidationError({"number": _("请选择季度。")})
    start, end = quarter_window(year, number)
    if today <= end:
        raise ValidationError({"number": _("这个季度还没有结束，结束后才能公布积分。")})
    if Quarter.objects.filter(street=street, year=year, number=number).exists():
        raise ValidationError({"number": _("这个季度的积分已经公布过了。")})
    if Quarter.objects.filter(street=street, year=year, number__lt=number, state=QuarterState.PUBLISHED).exists():
        raise ValidationError({"number": _("上一季度的纠错还未结束定稿，请先定稿。")})
    quarter = Quarter.objects.create(
        street=street,
        year=year,
        number=number,
        published_by=by,
        published_on=today,
        corrections_until=today + datetime.timedelta(days=settings.DUTY_CORRECTION_DAYS),
    )
    deputies = {
        m.user_id: m.user for m in deputy_memberships(start, until=end).filter(street=street).select_related("user")
    }
    _write_lines(quarter, sorted(deputies))
    notice_send(
        by=by,
        street=street,
        kind="duty_points_published",
        event_key=f"duty-points:{quarter.pk}:published",
        recipients=deputies.values(),
        title=_("%(q)s已公布") % {"q": quarter},
        body=_("请核对本人的积分明细；如有错、重、漏，请在%(d)s前提出纠错。")
        % {"d": f"{quarter.corrections_until:%Y-%m-%d}"},
        link=reverse("records:quarter_detail", args=[quarter.pk]),
        subject=quarter,
    )
    return quarter


@transaction.atomic
def correction_report(
    *,
    by: User,
    quarter: Quarter,
    kind: str,
    text: str,
    entry: PointEntry | None = None,
    on: datetime.date | None = None,
) -> Correction:
    """A deputy reports an error or duplicate on one of their lines, or an omission, within the window."""
    quarter = Quarter.objects.select_for_update().select_related("street").get(pk=quarter.pk)
    today = on or timezone.localdate()
    if not quarter.scores.filter(person=by).exists():
        raise PermissionDenied
    if quarter.is_final or today > quarter.corrections_until:
        raise ValidationError(_("纠错期已过（截止%(d)s）。") % {"d": f"{quarter.corrections_until:%Y-%m-%d}"})
    if kind not in CorrectionKind.values:
        raise ValidationError({"kind": _("请选择错、重或漏。")})
    if (kind == CorrectionKind.OMISSION) != (entry is None):
        raise ValidationError({"kind": _("“漏”不针对某一条明细；“错”“重”须针对一条明细。")})
    if entry is not None and (entry.quarter_id != quarter.pk or entry.person_id != by.pk):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("请说明情况。")})
    return Correction.objects.create(
        street=quarter.street, quarter=quarter, person=by, entry=entry, kind=kind, text=text.strip()
    )


@transaction.atomic
def correction_resolve(*, by: User, correction: Correction, accept: bool, reply: str = "") -> Correction:
    """Staff resolve a request. Accepted: an 错/重 line is struck out, and the quarter is recomputed from the
    records as they are now (staff fix the underlying record in its own chapter first — the sign-in, the missed
    claim — so an omission shows up). Rejected: with the reason the deputy sees."""
    quarter = Quarter.objects.select_for_update().select_related("street").get(pk=correction.quarter_id)
    require(by, Capability.MANAGE_DUTIES, quarter.street)
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.state != CorrectionState.OPEN:
        raise ValidationError(_("这条纠错申请已经处理过了。"))
    if quarter.is_final:
        raise ValidationError(_("该季度积分已定稿。"))
    if not accept and not reply.strip():
        raise ValidationError({"reply": _("不予采纳须写明理由。")})
    correction.state = CorrectionState.ACCEPTED if accept else CorrectionState.REJECTED
    correction.reply, correction.resolved_by, correction.resolved_at = reply.strip()[:300], by, timezone.now()
    correction.save(update_fields=["state", "reply", "resolved_by", "resolved_at"])
    if accept:
        if correction.entry_id:
            PointEntry.objects.filter(pk=correction.entry_id).update(struck_by=correction)
        _write_lines(quarter, list(quarter.scores.values_list("person_id", flat=True)))
    notice_send(
        by=by,
        street=quarter.street,
        kind="duty_points_correction",
        event_key=f"duty-points:{quarter.pk}:correction:{correction.pk}",
        recipients=[correction.person],
        title=_("您的积分纠错申请%(state)s") % {"state": correction.get_state_display()},
        body=correction.reply or str(quarter),
        link=reverse("records:quarter_detail", args=[quarter.pk]),
        subject=quarter,
    )
    return correction


@transaction.atomic
def quarter_finalise(*, by: User, quarter: Quarter, on: datetime.date | None = None) -> Quarter:
    quarter = Quarter.objects.select_for_update().select_related("street").get(pk=quarter.pk)
    require(by, Capability.MANAGE_DUTIES, quarter.street)
    today = on or timezone.localdate()
    if quarter.is_final:
        raise ValidationError(_("该季度积分已定稿。"))
    if today <= quarter.corrections_until:
        raise ValidationError(_("纠错期到%(d)s结束，之后才能定稿。") % {"d": f"{quarter.corrections_until:%Y-%m-%d}"})
    if quarter.corrections.filter(state=CorrectionState.OPEN).exists():
        raise ValidationError(_("还有未处理的纠错申请。"))
    quarter.state, quarter.finalised_by, quarter.finalised_on = QuarterState.FINAL, by, today
    quarter.save(update_fields=["state", "finalised_by", "finalised_on"])
    return quarter


def can_read_archive(user: User, street: Street, person: User) -> bool:
    """Each deputy reads their own 档案; staff and the city read every deputy's of their streets."""
    if user.has_capability(Capability.VIEW_DUTY_POINTS, street):
        return True
    return user.pk == person.pk and user.has_capability(Capability.VIEW_OWN_DUTIES, street)


@transaction.atomic
def archive_issue(*, by: User, street: Street, person: User, year: int, background: bool = True):
    """File a person's 履职档案 for a year as a PDF (document format, rendered by the worker): every record with
    its source and the points it earned where a quarter was published."""
    if not can_read_archive(by, street, person):
        raise PermissionDenied
    archive, _created = DutyArchive.objects.get_or_create(street=street, person=person, year=year)
    kinds = registry.kinds()
    items = archive_items(street, person.pk, year)
    lines = [_("一、履职记录（共%(n)d条）") % {"n": len(items)}]
    for item, entry in items:
        label = kinds[item.kind].label if item.kind in kinds else item.kind
        points = "" if entry is None else _("（%(p)s分）") % {"p": entry.counted}
        lines.append(f"{rendering.chinese_date(item.date)}　{label}：{item.label}{points}")
    if not items:
        lines.append(_("本年度暂无履职记录。"))
    committee_name = street.committee.name
    return document_issue(
        by=by,
        street=street,
        kind=DocumentKind.REPORT,
        title=str(archive),
        template_name="records/archive_pdf.html",
        context={
            "issuer": committee_name,
            "masthead": committee_name,
            "recipient": "",
            "signature": committee_name,
            "paragraphs": rendering.paragraphs("\n".join(lines)),
        },
        subject=archive,
        view_capability=Capability.VIEW_DUTY_POINTS,
        background=background,
    )
