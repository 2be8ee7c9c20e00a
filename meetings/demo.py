"""Demo meetings (Chapter 3). Per street (its council members come from the core's step): a committee meeting
each quarter of 2025–2026 (昆仑桥 misses 2026 Q2; 新湘路's 2025 Q3 meeting is an urgent one
with the director's reason), and council meetings (two in 2025, one in 2026) held with a quorum, each after a
field visit, with written opinions issued as 意见函 and opened as cases (the 2025 ones answered; 东山's 2026
opinion still open). Past meetings are recorded with `notify=False` (their notices went out on paper). Besides,
a committee meeting two weeks after the seed day, notified for real, with the street office's handling-unit
officer invited and an agenda change after the notice. Deterministic and idempotent: a street that already has
meetings keeps its history, and the upcoming meeting is found by its title."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from committee import demo
from committee.models import Street, User
from committee.roles import Role
from meetings import services
from meetings.models import Answer, Meeting, MeetingKind, ParticipantGroup
from supervision import services as loop
from supervision.activities.models import FieldVisit
from supervision.models import HandlingUnit, ReplyClass, UnitKind

SLUGS = ["wangchunmen", "xinxianglu", "kunlunqiao", "dongshan"]
QUARTER_DAYS = {  # (year, quarter): the meeting day
    (2025, 1): datetime.date(2025, 3, 31),
    (2025, 2): datetime.date(2025, 6, 18),
    (2025, 3): datetime.date(2025, 9, 17),
    (2025, 4): datetime.date(2025, 12, 17),
    (2026, 1): datetime.date(2026, 3, 18),
    (2026, 2): datetime.date(2026, 6, 17),
    (2026, 3): datetime.date(2026, 9, 16),
    (2026, 4): datetime.date(2026, 11, 18),
}
MISSING = ("kunlunqiao", 2026, 2)
URGENT = ("xinxianglu", 2025, 3)
URGENT_REASON = "汛期防汛工作需紧急研究部署，经主任决定召开紧急会议。"
COUNCIL_DAYS = [datetime.date(2025, 6, 26), datetime.date(2025, 12, 24), datetime.date(2026, 6, 24)]
OPEN_OPINION = ("dongshan", 2026)
OPINIONS = [
    "建议加快老旧小区雨污分流改造进度，汛期前完成排水管网疏通。",
    "建议在农贸市场周边增设非机动车停放点，规范占道经营。",
]
AGENDA_DOCUMENT = "《湘乡市人大常委会街道工作委员会工作实施细则》学习要点\n"
MINUTES = """一、会议情况
会议由{chair}主持，听取了有关工作报告，研究了下一阶段工作。
二、会议议定事项
会议要求各有关方面按照职责分工抓好落实，人大街道工委跟踪督办。"""


def _hold(meeting: Meeting, staff: User, *, absent_every: int = 4, chair: User) -> None:
    for i, participant in enumerate(meeting.participants.order_by("pk")):
        if participant.group == ParticipantGroup.MEMBER and i % absent_every == absent_every - 1:
            continue  # one in four members absent; still more than half present
        services.participant_sign_in(by=staff, participant=participant)
    services.minutes_save(by=staff, meeting=meeting, minutes=MINUTES.format(chair=chair.full_name))


UPCOMING_TITLE = "老旧小区改造和民生实事推进情况专题工委会议"
UPCOMING_AGENDA = [
    "听取街道办事处关于老旧小区改造进展情况的汇报",
    "听取城市管理办公室关于雨污分流工程推进情况的汇报",
    "讨论下一阶段监督工作安排",
]
UPCOMING_CHANGE = "研究2027年街道民生实事候选项目征集工作"


def _upcoming(street: Street, staff: User, unit_user: User, *, background: bool) -> None:
    """A committee meeting two weeks ahead whose notice went out today, with the street office's handling-unit
    officer invited as 相关参会人员 (they open the notice, answer it and read its PDF), one agenda change made
    after the notice (a change notice, and the notice issued again) and the director's answer (which signs for
    the notice). The notices to email and SMS are recorded as delivered: the send tasks published on commit find
    nothing to claim."""
    from committee.notices.models import Channel, Notice, NoticeState

    if Meeting.objects.filter(street=street, title=UPCOMING_TITLE).exists():
        return
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        by=staff,
        street=street,
        kind=MeetingKind.COMMITTEE,
        title=UPCOMING_TITLE,
        date=today + datetime.timedelta(days=14),
        time=datetime.time(9, 0),
        place=f"{street.name}办事处三楼会议室",
        attendees=[unit_user],
        today=today,
    )
    items = list(meeting.agenda.order_by("position"))
    for item, title in zip(items, UPCOMING_AGENDA, strict=False):
        services.agenda_item_update(by=staff, item=item, title=title)
    for item in items[len(UPCOMING_AGENDA) :]:
        services.agenda_item_delete(by=staff, item=item)
    services.meeting_confirm(by=staff, meeting=meeting, today=today, background=background)
    agenda = [(item.pk, item.title) for item in meeting.agenda.order_by("position")]
    services.agenda_change(
        by=staff,
        meeting=meeting,
        agenda=[*agenda, (None, UPCOMING_CHANGE)],
        reason="应街道党工委要求增加一项议题。",
        background=background,
    )
    director = User.objects.get(username=f"{street.slug}_{Role.DIRECTOR}")
    services.participant_answer(
        by=director, participant=meeting.participants.get(user=director), answer=Answer.ATTEND
    )  # an answer is a 签收: staff see 已签收 1 · 已答复 1
    Notice.objects.filter(event_key__startswith=f"meeting:{meeting.pk}:", state=NoticeState.PENDING).exclude(
        channel=Channel.IN_APP
    ).update(state=NoticeState.SENT, sent_at=timezone.now())


@demo.step(after=["supervision", "activities"])  # the street office's unit; the field visits
@transaction.atomic
def seed(*, background: bool = False) -> None:
    for street in Street.objects.select_related("committee", "municipality").filter(slug__in=SLUGS).order_by("pk"):
        staff = User.objects.get(username=f"{street.slug}_{Role.STAFF}")
        unit_user = User.objects.get(username=f"{street.slug}_{Role.HANDLING_UNIT}")
        if not Meeting.objects.filter(street=street).exists():
            unit = HandlingUnit.objects.filter(street=street, active=True, kind=UnitKind.OFFICE).order_by("pk").first()
            _history(street, staff, unit_user, unit, background=background)
        _upcoming(street, staff, unit_user, background=background)


def _history(street: Street, staff: User, unit_user: User, unit, *, background: bool) -> None:
    """The meetings of 2025–2026, recorded as history (paper notices)."""
    director = User.objects.get(username=f"{street.slug}_{Role.DIRECTOR}")
    vice = User.objects.get(username=f"{street.slug}_{Role.VICE_DIRECTOR}")
    deputies = list(
        User.objects.filter(memberships__street=street, memberships__role=Role.DEPUTY).order_by("username")[:2]
    )
    last = max(QUARTER_DAYS)
    for (year, quarter), day in sorted(QUARTER_DAYS.items()):
        if (street.slug, year, quarter) == MISSING:
            continue
        urgent = (street.slug, year, quarter) == URGENT
        notice_day = day - datetime.timedelta(days=5 if urgent else 14)
        meeting = services.meeting_schedule(
            by=director if urgent else staff,
            street=street,
            kind=MeetingKind.COMMITTEE,
            title=f"{year}年第{quarter}季度人大街道工委会议",
            date=day,
            time=datetime.time(9, 0),
            place=f"{street.name}办事处三楼会议室",
            attendees=deputies,
            other_attendees=[("街道办事处分管负责人", "街道办事处副主任")],
            urgent_reason=URGENT_REASON if urgent else "",
            chair=director,
            today=notice_day,
        )
        services.meeting_confirm(by=staff, meeting=meeting, today=notice_day, notify=False)
        if (year, quarter) == last:  # materials before the meeting: a held meeting's agenda is closed
            item = meeting.agenda.order_by("position").first()
            services.agenda_document_add(
                by=staff, item=item, upload=ContentFile(AGENDA_DOCUMENT.encode(), name="学习材料.txt")
            )
        _hold(meeting, staff, chair=director)
        if (year, quarter) == last:
            services.decision_record(by=staff, meeting=meeting, text="通过本年度工作总结，报街道党工委。")
            services.minutes_issue(by=staff, meeting=meeting, background=background, on=day)
    visits = list(FieldVisit.objects.filter(street=street).order_by("starts_on", "pk"))
    for n, day in enumerate(COUNCIL_DAYS):
        before = [v for v in visits if v.starts_on <= day]
        delegated = n == 1
        meeting = services.meeting_schedule(
            by=staff,
            street=street,
            kind=MeetingKind.COUNCIL,
            title=f"{day.year}年{'上' if day.month <= 6 else '下'}半年街道居民议事会会议",
            date=day,
            time=datetime.time(14, 30),
            place=f"{street.name}居民议事厅",
            chair=vice if delegated else director,
            field_visit=before[-1] if before else None,
            today=day - datetime.timedelta(days=15),
        )
        services.meeting_confirm(by=staff, meeting=meeting, today=day - datetime.timedelta(days=15), notify=False)
        _hold(meeting, staff, chair=vice if delegated else director)
        services.decision_record(by=staff, meeting=meeting, text="票决通过本年度街道民生实事项目。")
        services.minutes_issue(by=staff, meeting=meeting, background=background, on=day)
        record = services.written_opinion_add(
            by=staff,
            meeting=meeting,
            content=OPINIONS[n % len(OPINIONS)],
            unit=unit,
            background=background,
            on=day,
        )
        if (street.slug, day.year) != OPEN_OPINION:
            loop.opinion_accept(by=unit_user, opinion=record.opinion)
            loop.opinion_reply(
                by=unit_user,
                opinion=record.opinion,
                reply_class=ReplyClass.A,
                body="已按意见办理完毕，相关问题已解决。",
            )
