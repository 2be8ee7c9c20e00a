"""Demo handling units and cases: every street gets its units (the street office's general office linked to the
`<street>_handling_unit` account, departments, dispatched agencies, a higher authority) and 40 cases across the
channels and states, dated June–November 2026, some overdue, some rated. Deterministic (seeded by the street's
slug) and idempotent: units are found by name, cases by their tracking code, and existing rows are left alone.
东山 has one closed deputy suggestion without a face-to-face record, so rule 13(4) shows a miss. Each street's demo
deputy has also sent one report with a photo through their short form, waiting to be assigned (待交办);
城市管理办公室 has open cases and no accounts (the unit list marks it 无账号). Demo cases
carry no reminders (the first sweep would otherwise send hundreds of overdue reminders); real assignments do."""

import datetime
import io
import random

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from committee import demo
from committee.models import Street, User
from committee.roles import Role
from committee.workdays import add_working_days
from supervision import services
from supervision.models import (
    TRACKING_ALPHABET,
    Attachment,
    Channel,
    Commitment,
    FaceToFaceMeeting,
    HandlingUnit,
    HandlingUnitMember,
    Opinion,
    OpinionEvent,
    ProposerKind,
    Rating,
    Reply,
    ReplyClass,
    State,
    UnitKind,
)

OFFICE = "街道办事处党政综合办公室"
UNITS = [
    (OFFICE, UnitKind.OFFICE),
    ("城市管理办公室", UnitKind.DEPARTMENT),
    ("社会事务办公室", UnitKind.DEPARTMENT),
    ("平安建设办公室", UnitKind.DEPARTMENT),
    ("经济发展办公室", UnitKind.DEPARTMENT),
    ("{street}派出所", UnitKind.DISPATCHED),
    ("{street}市场监督管理所", UnitKind.DISPATCHED),
    ("湘乡市城市管理和综合执法局", UnitKind.HIGHER),
]

# (category, content, the unit that handles it)
MATTERS = [
    ("市政设施", "{place}路段路灯已损坏两周，晚上行人看不清路，请尽快维修。", "城市管理办公室"),
    ("环境卫生", "{place}垃圾中转点清运不及时，夏天异味大，建议增加清运频次。", "城市管理办公室"),
    ("道路交通", "{place}路口早晚高峰拥堵，学生过马路不安全，建议增设人行横道和信号灯。", "{street}派出所"),
    ("老旧小区改造", "{place}小区楼道墙皮脱落、水管老化，希望纳入老旧小区改造计划。", "经济发展办公室"),
    ("养老服务", "{place}社区老人多，建议开设老年食堂，解决高龄老人吃饭难。", "社会事务办公室"),
    ("治安", "{place}夜间有摩托车飙车扰民，请加强巡逻。", "{street}派出所"),
    ("食品安全", "{place}农贸市场部分摊位卫生条件差，请加强监管。", "{street}市场监督管理所"),
    ("停车管理", "{place}占道停车严重，消防通道被堵，建议规划停车位。", "城市管理办公室"),
    ("噪音扰民", "{place}工地夜间施工噪音大，影响居民休息。", "城市管理办公室"),
    ("教育", "{place}附近幼儿园学位紧张，建议协调增加学位。", "社会事务办公室"),
    ("排水防涝", "{place}一下大雨就积水，下水道堵塞，请疏通改造。", "城市管理办公室"),
    ("矛盾纠纷", "{place}小区物业服务差、收费不透明，业主意见大。", "平安建设办公室"),
    ("便民服务", "{place}社区服务中心办事窗口少，排队时间长。", OFFICE),
    ("绿化", "{place}公园绿化带树木枯死未补种，健身器材损坏。", "城市管理办公室"),
]
PLACES = ["东风", "湘中", "向阳", "建设", "龙城", "解放", "洋潭", "书院", "育才", "涟水", "韶山东", "金桥"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭何高林罗谭彭曾邓"
GIVEN = "建国秀英志强丽华桂兰海燕春梅德明玉珍卫东红霞小军"

# The 40 cases of a street: state, and whether an open one is overdue.
PLAN = (
    [State.CLOSED] * 12
    + [State.RATED] * 3
    + [State.REPLIED] * 5
    + [State.IN_PROGRESS] * 5
    + [State.ACCEPTED] * 3
    + [State.ASSIGNED] * 4
    + [State.REGISTERED] * 3
    + [State.ESCALATED] * 2
    + [State.ANSWERED] * 2
    + [State.RETURNED] * 1
)
CHANNELS = [
    Channel.RECEPTION,
    Channel.QR_CONTACT,
    Channel.HOTLINE,
    Channel.SNAPSHOT,
    Channel.COUNCIL_MEETING,
    Channel.DEPUTY_SUGGESTION,
    Channel.FIELD_VISIT,
    Channel.OTHER,
]
# Cases handled by the street office (the demo unit account's unit): closed, replied, accepted, assigned.
OFFICE_CASES = (0, 15, 25, 28)
START = datetime.date(2026, 6, 1)
LAST = datetime.date(2026, 11, 20)


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(TRACKING_ALPHABET) for _ in range(10))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _units(street: Street) -> dict[str, HandlingUnit]:
    units = {}
    for template, kind in UNITS:
        name = template.format(street=street.name)
        unit, _ = HandlingUnit.objects.get_or_create(street=street, name=name, defaults={"kind": kind})
        units[template] = unit
    account = User.objects.filter(username=f"{street.slug}_{Role.HANDLING_UNIT}").first()
    if account and not HandlingUnitMember.objects.filter(user=account).exists():
        HandlingUnitMember.objects.create(street=street, unit=units[OFFICE], user=account)
    return units


def _case(street, units, index, state, staff, deputy, unit_user):
    rng = random.Random(f"opinions:{street.slug}:{index}")  # noqa: S311 - demo data, not secrets
    code = _code(rng)
    if Opinion.objects.filter(tracking_code=code).exists():
        return
    category, text, unit_name = MATTERS[rng.randrange(len(MATTERS))]
    if index in OFFICE_CASES:
        unit_name = OFFICE
    channel = CHANNELS[index % len(CHANNELS)]
    created = START + datetime.timedelta(days=rng.randrange((LAST - START).days))
    overdue = state in (State.ASSIGNED, State.IN_PROGRESS) and index % 2 == 0
    if overdue:
        created = min(created, datetime.date(2026, 9, 30))
    elif state in (State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS, State.REGISTERED):
        created = datetime.date(2026, 11, 16) + datetime.timedelta(days=index % 5)
    is_deputy = channel in (Channel.DEPUTY_SUGGESTION, Channel.QR_CONTACT) and deputy is not None
    name = deputy.full_name if is_deputy else rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
    opinion = Opinion.objects.create(
        street=street,
        channel=channel,
        category=category,
        content=text.format(place=rng.choice(PLACES), street=street.name),
        proposer_kind=ProposerKind.DEPUTY if is_deputy else ProposerKind.RESIDENT,
        proposer_name=name,
        proposer_phone="" if is_deputy else f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
        proposer_user=deputy if is_deputy else None,
        registered_by=staff,
        tracking_code=code,
        created_at=_at(created, 9),
        state=State.REGISTERED,
    )
    events = [("register", "", State.REGISTERED, Channel(channel).label, staff, created)]

    def step(action, to, note="", by=staff, day=None):
        events.append((action, opinion.state, to, note, by, day or created))
        opinion.state = to

    if state == State.REGISTERED:
        pass
    elif state == State.ANSWERED:
        step("answer_on_spot", State.ANSWERED, "已当场解释政策。")
    elif state == State.ESCALATED:
        step("escalate", State.ESCALATED, "涉及市级部门职权，提交市人大常委会协调。")
    else:
        unit = units[unit_name] if unit_name in units else units[OFFICE]
        if state == State.RETURNED:
            step("assign", State.ASSIGNED, unit.name)
            step("return", State.RETURNED, "不属于本单位职责，建议交其他单位。", by=unit_user)
        else:
            assigned = created + datetime.timedelta(days=1)
            opinion.unit, opinion.assigned_on = unit, assigned
            opinion.deadline = add_working_days(assigned, services.deadline_working_days(channel))
            step("assign", State.ASSIGNED, unit.name, day=assigned)
            if state != State.ASSIGNED:
                step("accept", State.ACCEPTED, by=unit_user, day=assigned + datetime.timedelta(days=1))
            if state in (State.IN_PROGRESS, State.REPLIED, State.RATED, State.CLOSED):
                met = assigned + datetime.timedelta(days=3)
                skip_meeting = street.slug == "dongshan" and index == 5  # rule 13(4) shows the gap
                if not skip_meeting:
                    FaceToFaceMeeting.objects.create(
                        street=street,
                        opinion=opinion,
                        met_at=_at(met, 15),
                        place=f"{street.name}代表联络站",
                        participants=f"{name}、{unit.name}负责人",
                        summary="当面听取意见，说明办理思路和时间安排，提出人表示理解。",
                        recorded_by=unit_user,
                    )
                step("start", State.IN_PROGRESS, by=unit_user, day=met)
            if state in (State.REPLIED, State.RATED, State.CLOSED):
                replied = min(opinion.deadline - datetime.timedelta(days=index % 3), LAST)
                if index % 7 == 0:
                    replied = opinion.deadline + datetime.timedelta(days=2)  # a late reply
                reply_class = [ReplyClass.A, ReplyClass.A, ReplyClass.B, ReplyClass.C, ReplyClass.D][index % 5]
                reply = Reply.objects.create(
                    street=street,
                    opinion=opinion,
                    round=1,
                    reply_class=reply_class,
                    body=f"经研究，{ReplyClass(reply_class).label[3:]}。具体情况已与提出人当面沟通。",
                    replied_on=replied,
                    unit=unit,
                    replied_by=unit_user,
                )
                if reply_class in (ReplyClass.B, ReplyClass.C) or channel == Channel.DEPUTY_SUGGESTION:
                    done = state == State.CLOSED
                    Commitment.objects.create(
                        street=street,
                        opinion=opinion,
                        reply=reply,
                        description="完成整改并向提出人反馈",
                        due_on=replied + datetime.timedelta(days=30),
                        done_on=min(replied + datetime.timedelta(days=20), LAST) if done else None,
                        evidence="已完成，附现场照片。" if done else "",
                        done_by=unit_user if done else None,
                    )
                opinion.replied_on, opinion.reply_class = replied, reply_class
                step("reply", State.REPLIED, ReplyClass(reply_class).label, by=unit_user, day=replied)
                if state in (State.RATED, State.CLOSED):
                    rating = [Rating.SATISFIED, Rating.SATISFIED, Rating.BASICALLY, Rating.SATISFIED][index % 4]
                    rated = min(replied + datetime.timedelta(days=2), LAST)
                    reply.rating = rating
                    reply.save(update_fields=["rating"])
                    opinion.rating, opinion.rated_at = rating, _at(rated, 10)
                    step("rate", State.RATED, Rating(rating).label, by=None, day=rated)
                if state == State.CLOSED:
                    opinion.closed_on = min(replied + datetime.timedelta(days=25), LAST)
                    step("close", State.CLOSED, day=opinion.closed_on)
    opinion.save()
    if index == 0:
        attachment = Attachment(street=street, opinion=opinion, name="现场说明.txt", uploaded_by=staff)
        attachment.file.save("现场说明.txt", ContentFile("现场情况说明（演示）".encode()), save=False)
        attachment.size = attachment.file.size
        attachment.save()
    OpinionEvent.objects.bulk_create(
        OpinionEvent(
            street=street,
            opinion=opinion,
            action=action,
            from_state=source,
            to_state=target,
            note=note,
            by=by,
            actor_label="" if by else "提出人（查询页）",
            at=_at(day, 10),
        )
        for action, source, target, note, by, day in events
    )


DEPUTY_REPORT = "{street}东风路口路灯已坏了两个星期，晚上老人和学生过路看不清，请尽快维修。\n地点：东风路与建设路交叉口"


def _photo() -> bytes:
    """A small street-scene stand-in (a dark sky over a grey road), as a phone's JPEG would be."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (40, 48, 72))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 160, 320, 240), fill=(110, 110, 110))
    draw.line((150, 20, 150, 160), fill=(200, 200, 200), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _deputy_report(street: Street, deputy: User) -> None:
    """What a deputy's short form produces: a deputy suggestion with a photo, registered and waiting to be
    assigned (the staff home's 待交办)."""
    content = DEPUTY_REPORT.format(street=street.name[:-2])
    if Opinion.objects.filter(street=street, registered_by=deputy, content=content).exists():
        return
    services.opinion_register(
        by=deputy,
        street=street,
        channel=Channel.DEPUTY_SUGGESTION,
        content=content,
        category="市政设施",
        proposer_user=deputy,
        attachments=[SimpleUploadedFile("路灯.jpg", _photo(), content_type="image/jpeg")],
        registered_at=timezone.now() - datetime.timedelta(days=2),  # sent from the phone two days ago
    )


@demo.step()
@transaction.atomic
def seed(*, background: bool = False) -> None:
    for street in Street.objects.filter(slug__in=["wangchunmen", "xinxianglu", "kunlunqiao", "dongshan"]):
        units = _units(street)
        staff = User.objects.get(username=f"{street.slug}_{Role.STAFF}")
        deputy = User.objects.filter(username=f"{street.slug}_{Role.DEPUTY}").first()
        unit_user = User.objects.filter(username=f"{street.slug}_{Role.HANDLING_UNIT}").first() or staff
        for index, state in enumerate(PLAN):
            _case(street, units, index, state, staff, deputy, unit_user)
        if deputy is not None:
            _deputy_report(street, deputy)
