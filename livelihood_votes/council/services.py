"""Every write to the residents' council's members (Art 18(1)): the way in, the term, the trainings.

application (public self-nomination or the committee's entry of a recommendation) → first review (passed /
rejected with a reason) → public notice (公示, `COUNCIL_NOTICE_WORKING_DAYS` working days) with objections → the
party committee's confirmation → appointment for a term, which grants the `council_member` membership → end of the
term, which ends it."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import workdays
from committee.documents import rendering
from committee.documents.models import DocumentKind
from committee.documents.services import document_issue
from committee.models import Membership, Street, User
from committee.permissions import require
from committee.roles import Capability, Role
from livelihood_votes.council.models import (
    OPEN_STATES,
    CouncilMember,
    CouncilNotice,
    MemberState,
    Objection,
    Source,
    Training,
)

NOTICE_TEMPLATE = "council/notice_pdf.html"
MINIMUM_AGE = 18
MINIMUM_YEARS_IN_STREET = 1


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def check_eligibility(*, birth_date: datetime.date, tie_since: datetime.date, on: datetime.date) -> None:
    """18 or older on the day of application, living or working in the street for at least a year (Art 18)."""
    errors = {}
    if birth_date > _years_before(on, MINIMUM_AGE):
        errors["birth_date"] = _("居民议事会成员须年满18周岁（%(d)s及以前出生）。") % {
            "d": f"{_years_before(on, MINIMUM_AGE):%Y年%-m月%-d日}"
        }
    if tie_since > _years_before(on, MINIMUM_YEARS_IN_STREET):
        errors["tie_since"] = _("须在本街道居住或工作满1年（%(d)s及以前起）。") % {
            "d": f"{_years_before(on, MINIMUM_YEARS_IN_STREET):%Y年%-m月%-d日}"
        }
    if errors:
        raise ValidationError(errors)


def _locked(member: CouncilMember) -> CouncilMember:
    return CouncilMember.objects.select_for_update(of=("self",)).select_related("street").get(pk=member.pk)


def _expect(member: CouncilMember, *states: str) -> None:
    if member.state not in states:
        raise ValidationError(_("当前状态为“%(state)s”，不能进行此操作。") % {"state": member.get_state_display()})


def _save_new(member: CouncilMember) -> CouncilMember:
    member.full_clean(validate_constraints=False)
    if CouncilMember.objects.filter(street=member.street, mobile=member.mobile, state__in=OPEN_STATES).exists():
        raise ValidationError({"mobile": _("此手机号码在本街道已有申请或任期，请勿重复提交。")})
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # a concurrent application with the same number
        raise ValidationError({"mobile": _("此手机号码在本街道已有申请或任期，请勿重复提交。")}) from None
    return member


@transaction.atomic
def application_submit(
    *,
    street: Street,
    full_name: str,
    mobile: str,
    birth_date: datetime.date,
    tie: str,
    tie_since: datetime.date,
    address: str,
    category: str,
    statement: str = "",
    on: datetime.date | None = None,
) -> CouncilMember:
    """A resident's self-nomination through the public form (no account). Returns the application; its
    `tracking_code` is what the applicant keeps."""
    on = on or timezone.localdate()
    check_eligibility(birth_date=birth_date, tie_since=tie_since, on=on)
    return _save_new(
        CouncilMember(
            street=street,
            full_name=full_name.strip(),
            mobile=mobile.strip(),
            birth_date=birth_date,
            tie=tie,
            tie_since=tie_since,
            address=address.strip(),
            category=category,
            source=Source.SELF_NOMINATION,
            statement=statement.strip(),
            applied_on=on,
        )
    )


@transaction.atomic
def recommendation_enter(
    *,
    by: User,
    street: Street,
    full_name: str,
    mobile: str,
    birth_date: datetime.date,
    tie: str,
    tie_since: datetime.date,
    address: str,
    category: str,
    source: str,
    recommended_by: str = "",
    statement: str = "",
    user: User | None = None,
    on: datetime.date | None = None,
) -> CouncilMember:
    """The committee enters a recommendation (community, unit, election) or a nomination received on paper."""
    require(by, Capability.MANAGE_COUNCIL, street)
    on = on or timezone.localdate()
    if source in (Source.COMMUNITY, Source.UNIT) and not recommended_by.strip():
        raise ValidationError({"recommended_by": _("请填写推荐的社区或单位。")})
    check_eligibility(birth_date=birth_date, tie_since=tie_since, on=on)
    user = user or User.objects.filter(mobile=mobile.strip()).first()
    return _save_new(
        CouncilMember(
            street=street,
            full_name=full_name.strip(),
            mobile=mobile.strip(),
            user=user,
            birth_date=birth_date,
            tie=tie,
            tie_since=tie_since,
            address=address.strip(),
            category=category,
            source=source,
            recommended_by=recommended_by.strip(),
            statement=statement.strip(),
            applied_on=on,
            entered_by=by,
        )
    )


@transaction.atomic
def application_review(
    *, by: User, member: CouncilMember, passed: bool, reason: str = "", on: datetime.date | None = None
) -> CouncilMember:
    """The committee's first review (初审): passed (waits for the next public notice) or rejected with a reason."""
    require(by, Capability.MANAGE_COUNCIL, member.street)
    member = _locked(member)
    _expect(member, MemberState.APPLIED)
    on = on or timezone.localdate()
    if on < member.applied_on:
        raise ValidationError({"on": _("初审日期不能早于申请日期。")})
    if not passed and not reason.strip():
        raise ValidationError({"reason": _("请填写未通过的原因。")})
    member.reviewed_on, member.reviewed_by = on, by
    member.state = MemberState.PASSED if passed else MemberState.REJECTED
    member.rejection_reason = "" if passed else reason.strip()
    member.save()
    return member


def notice_ends_on(starts_on: datetime.date) -> datetime.date:
    return workdays.add_working_days(starts_on, settings.COUNCIL_NOTICE_WORKING_DAYS)


def notice_context(notice: CouncilNotice, members: list[CouncilMember]) -> dict:
    committee_name = notice.street.committee.name
    lines = [
        _(
            "根据《湘乡市人大街道工作委员会工作规则》第十八条，经个人自荐、社区或单位推荐和人大街道工委初审，"
            "现将%(council)s成员拟任人选予以公示。"
        )
        % {"council": notice.street.council.name},
    ]
    lines += [
        f"{number}. {m.full_name}，{m.get_category_display()}，{m.get_source_display()}"
        + (f"（{m.recommended_by}）" if m.recommended_by else "")
        for number, m in enumerate(members, start=1)
    ]
    lines.append(
        _("公示期为%(start)s至%(end)s。对拟任人选有异议的，请在公示期内向%(committee)s反映。")
        % {
            "start": rendering.chinese_date(notice.starts_on),
            "end": rendering.chinese_date(notice.ends_on),
            "committee": committee_name,
        }
    )
    return {
        "issuer": committee_name,
        "masthead": committee_name,
        "signature": committee_name,
        "paragraphs": rendering.paragraphs("\n".join(lines)),
    }


@transaction.atomic
def notice_publish(
    *, by: User, street: Street, on: datetime.date | None = None, background: bool = True
) -> CouncilNotice:
    """Put everyone of the street who passed the first review on public notice from `on` for
    `COUNCIL_NOTICE_WORKING_DAYS` working days, and issue the notice as a 公文 (函)."""
    require(by, Capability.MANAGE_COUNCIL, street)
    on = on or timezone.localdate()
    members = list(
        CouncilMember.objects.select_for_update()
        .filter(street=street, state=MemberState.PASSED)
        .order_by("category", "full_name", "pk")
    )
    if not members:
        raise ValidationError(_("没有初审通过、待公示的人选。"))
    street = Street.objects.select_related("committee", "council").get(pk=street.pk)
    notice = CouncilNotice.objects.create(street=street, starts_on=on, ends_on=notice_ends_on(on), published_by=by)
    for member in members:
        member.notice, member.state = notice, MemberState.ON_NOTICE
        member.save(update_fields=["notice", "state"])
    notice.document = document_issue(
        by=by,
        street=street,
        kind=DocumentKind.LETTER,
        title=_("关于%(council)s成员拟任人选的公示") % {"council": street.council.name},
        template_name=NOTICE_TEMPLATE,
        context=notice_context(notice, members),
        subject=notice,
        view_capability=Capability.VIEW_COUNCIL,
        background=background,
        issued_on=on,
    )
    notice.save(update_fields=["document"])
    return notice


@transaction.atomic
def objection_record(
    *, by: User, member: CouncilMember, content: str, received_on: datetime.date | None = None
) -> Objection:
    """An objection to a person on notice, received during the notice period."""
    require(by, Capability.MANAGE_COUNCIL, member.street)
    member = _locked(member)
    _expect(member, MemberState.ON_NOTICE)
    received_on = received_on or timezone.localdate()
    if not content.strip():
        raise ValidationError({"content": _("请填写异议内容。")})
    notice = member.notice
    if not notice.starts_on <= received_on <= notice.ends_on:
        raise ValidationError(
            {
                "received_on": _("异议须在公示期内（%(s)s至%(e)s）提出。")
                % {"s": rendering.chinese_date(notice.starts_on), "e": rendering.chinese_date(notice.ends_on)}
            }
        )
    return Objection.objects.create(
        street=member.street, member=member, content=content.strip(), received_on=received_on, recorded_by=by
    )


@transaction.atomic
def objection_handle(
    *, by: User, objection: Objection, result: str, upheld: bool, on: datetime.date | None = None
) -> Objection:
    """Record how an objection was looked into. An objection upheld ends the person's way in (未通过)."""
    require(by, Capability.MANAGE_COUNCIL, objection.street)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.handled_on:
        raise ValidationError(_("该异议已处理。"))
    if not result.strip():
        raise ValidationError({"result": _("请填写处理结果。")})
    member = _locked(objection.member)
    objection.result, objection.upheld = result.strip(), upheld
    objection.handled_on, objection.handled_by = on or timezone.localdate(), by
    objection.save()
    if upheld and member.state in (MemberState.ON_NOTICE, MemberState.CONFIRMED):
        member.state = MemberState.REJECTED
        member.rejection_reason = _("公示异议经核实成立：%(r)s") % {"r": objection.result}
        member.save(update_fields=["state", "rejection_reason"])
    return objection


@transaction.atomic
def member_confirm(*, by: User, member: CouncilMember, on: datetime.date | None = None) -> CouncilMember:
    """The street party committee confirms a person once their notice has ended with every objection handled."""
    require(by, Capability.CONFIRM_COUNCIL, member.street)
    member = _locked(member)
    _expect(member, MemberState.ON_NOTICE)
    on = on or timezone.localdate()
    if on <= member.notice.ends_on:
        raise ValidationError(
            _("公示期至%(d)s，公示期满后方可确认。") % {"d": rendering.chinese_date(member.notice.ends_on)}
        )
    if member.objections.filter(handled_on__isnull=True).exists():
        raise ValidationError(_("尚有未处理的公示异议，处理后方可确认。"))
    member.state, member.confirmed_on, member.confirmed_by = MemberState.CONFIRMED, on, by
    member.save(update_fields=["state", "confirmed_on", "confirmed_by"])
    return member


def _account_for(member: CouncilMember) -> User:
    """The person's account: theirs already, the one with their mobile number, or a new one (no password yet:
    the committee sets it on the people page)."""
    if member.user_id:
        return member.user
    user = User.objects.filter(mobile=member.mobile).first()
    if user is None:
        user = User(username=member.mobile, mobile=member.mobile, full_name=member.full_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    return user


@transaction.atomic
def member_appoint(
    *, by: User, member: CouncilMember, term_starts_on: datetime.date, term_ends_on: datetime.date
) -> CouncilMember:
    """Appoint a confirmed person for a term: they get the `council_member` role from the first day of the term
    to its end. A role the person already held without a term (entered on the people page) becomes this term's."""
    require(by, Capability.MANAGE_COUNCIL, member.street)
    member = _locked(member)
    _expect(member, MemberState.CONFIRMED)
    if term_starts_on < member.confirmed_on:
        raise ValidationError({"term_starts_on": _("任期开始不能早于党工委确认日期。")})
    if term_ends_on <= term_starts_on:
        raise ValidationError({"term_ends_on": _("任期届满日期须晚于任期开始日期。")})
    user = _account_for(member)
    if (
        CouncilMember.objects.filter(street=member.street, user=user, state__in=OPEN_STATES)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ValidationError(_("%(name)s 在本街道已有议事会任期。") % {"name": user.full_name})
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .filter(
            user=user, street=member.street, role=Role.COUNCIL_MEMBER, ended_on__isnull=True, council_term__isnull=True
        )
        .first()
    )
    if membership is None:
        membership = Membership(user=user, street=member.street, role=Role.COUNCIL_MEMBER, title=_("居民议事员"))
    membership.started_on, membership.ended_on = term_starts_on, term_ends_on
    membership.full_clean(validate_constraints=False)
    membership.save()
    member.user, member.membership = user, membership
    member.term_starts_on, member.term_ends_on = term_starts_on, term_ends_on
    member.state = MemberState.APPOINTED
    member.save()
    return member


@transaction.atomic
def member_end(*, by: User, member: CouncilMember, ended_on: datetime.date, reason: str) -> CouncilMember:
    """End a term early (resignation, moving away, dismissal) or record it ended at its end: the role ends the
    same day."""
    require(by, Capability.MANAGE_COUNCIL, member.street)
    member = _locked(member)
    _expect(member, MemberState.APPOINTED)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写离任原因。")})
    if not member.term_starts_on <= ended_on <= member.term_ends_on:
        raise ValidationError({"ended_on": _("离任日期须在任期之内。")})
    member.state, member.ended_on, member.end_reason = MemberState.ENDED, ended_on, reason.strip()
    member.save(update_fields=["state", "ended_on", "end_reason"])
    membership = Membership.objects.select_for_update().get(pk=member.membership_id)
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    return member


@transaction.atomic
def training_record(
    *, by: User, street: Street, topic: str, held_on: datetime.date, attendees, place: str = ""
) -> Training:
    """A training of the council's members (Art 4(7)); attendees are members serving on the day."""
    require(by, Capability.MANAGE_COUNCIL, street)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("培训日期不能晚于今天。")})
    attendees = list(attendees)
    if not attendees:
        raise ValidationError({"attendees": _("请选择参训成员。")})
    strangers = [m.full_name for m in attendees if m.street_id != street.pk or not m.serving_on(held_on)]
    if strangers:
        raise ValidationError(
            {"attendees": _("%(names)s 在培训日期不是本街道在任的议事会成员。") % {"names": "、".join(strangers)}}
        )
    training = Training.objects.create(
        street=street, topic=topic.strip(), held_on=held_on, place=place.strip(), recorded_by=by
    )
    training.attendees.set(attendees)
    return training
