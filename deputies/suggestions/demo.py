"""Demo step: per street suggestions in every state (co-signers, consultation comments, one submitted, answered and
rated, one submitted and waiting), leaders' contacts with their deputies this year, one consultation on a measure.
Idempotent: suggestions by (street, author, title), contacts by leader, records by (contact, deputy, day)."""

import datetime
import random

from django.db.models import F
from django.utils import timezone

from committee import demo
from committee.models import Street, User
from committee.notices.models import Notice
from deputies.suggestions import services
from deputies.suggestions.models import (
    ContactKind,
    ContactRecord,
    LeaderBody,
    LeaderContact,
    MeasureConsultation,
    MeasureOpinion,
    Suggestion,
    SuggestionState,
)
from supervision import services as loop
from supervision.models import HandlingUnit, Rating, ReplyClass

OFFICE = "街道办事处党政综合办公室"
# title, category, problem, content, solution, how far it goes
SUGGESTIONS = [
    (
        "关于东风路沿线路灯改造的建议",
        "市政设施",
        "东风路沿线路灯老化，经常损坏，晚上行人看不清路。",
        "东风路是居民出行和学生上学的主要道路，路灯损坏后维修不及时，群众多次反映。",
        "对东风路路灯整体改造为LED路灯，建立路灯巡查和报修机制。",
        "rated",
    ),
    (
        "关于规划建设社区停车位的建议",
        "停车管理",
        "老旧小区停车位严重不足，占道停车堵塞消防通道。",
        "小区建成早，没有规划停车位，车辆增多后乱停乱放，存在安全隐患。",
        "利用闲置空地建设停车场，施划夜间限时停车位，引导错峰停车。",
        "submitted",
    ),
    (
        "关于增加垃圾清运频次的建议",
        "环境卫生",
        "垃圾中转点清运不及时，夏天异味大。",
        "中转点周边居民多，清运每天一次不够。",
        "夏季每天清运两次，中转点加装除臭设备。",
        "revised",
    ),
    (
        "关于老旧小区加装电梯的建议",
        "城市更新",
        "老旧小区没有电梯，老年人上下楼困难。",
        "辖区老旧小区老年人比例高，加装电梯意愿强，但协调难、资金缺。",
        "出台加装电梯工作指引，街道牵头协调，落实财政补助。",
        "sent_back",
    ),
    (
        "关于设立社区老年食堂的建议",
        "民生服务",
        "独居老人吃饭难，社区没有老年食堂。",
        "辖区独居、空巢老人较多，子女不在身边，日常就餐困难。",
        "依托社区服务中心设立老年食堂，对高龄老人给予就餐补贴。",
        "consulting",
    ),
    (
        "关于学校周边交通安全整治的建议",
        "交通安全",
        "上下学时段学校门口车辆拥堵，学生过马路不安全。",
        "学校门口没有斑马线和减速带，家长接送车辆乱停。",
        "增设斑马线、减速带和护学岗，划定临时停车区。",
        "draft",
    ),
]
CONTACTS = [
    # body, title, account role or None, deputies (serials), contacts per deputy this year
    (LeaderBody.PARTY, "街道党工委书记", "party", (100, 101, 102), (2, 2, 3)),
    (LeaderBody.OFFICE, "街道办事处主任", None, (103, 104, 105), (2, 3, 1)),
    (LeaderBody.DEPARTMENT, "街道城市管理办公室主任", None, (106, 107), (2, 2)),
]
KINDS = [ContactKind.VISIT, ContactKind.TALK, ContactKind.CALL]


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _suggestion(street, author, staff, cosigners, unit_user, office, row) -> None:
    title, category, problem, content, solution, goal = row
    if Suggestion.objects.filter(street=street, author=author, title=title).exists():
        return
    suggestion = services.suggestion_create(
        by=author, street=street, title=title, category=category, problem=problem, content=content, solution=solution
    )
    services.cosigners_invite(by=author, suggestion=suggestion, deputies=cosigners)
    if goal == "draft":
        return
    services.cosigner_answer(by=cosigners[0], suggestion=suggestion, confirm=True)
    if len(cosigners) > 2:
        services.cosigner_answer(by=cosigners[1], suggestion=suggestion, confirm=True)
    services.suggestion_send(by=author, suggestion=suggestion)
    services.suggestion_comment(
        by=staff, suggestion=suggestion, note="建议补充涉及的小区（路段）名称和群众反映的次数，措施写得更具体。"
    )
    if goal == "consulting":
        return
    services.suggestion_send_back(by=staff, suggestion=suggestion, note="请补充具体位置和资金来源建议。")
    if goal == "sent_back":
        return
    services.suggestion_update(
        by=author,
        suggestion=suggestion,
        title=title,
        category=category,
        problem=problem + "（涉及辖区5个小区，群众反映20余次。）",
        content=content,
        solution=solution,
    )
    services.suggestion_revise(by=author, suggestion=suggestion, note="已按意见补充。")
    if goal == "revised":
        return
    services.suggestion_comment(by=staff, suggestion=suggestion, note="修改稿内容具体可行，同意提交。")
    suggestion = services.suggestion_submit(by=author, suggestion=suggestion)
    case = loop.opinion_assign(by=staff, opinion=suggestion.case, unit=office)
    if goal == "submitted":
        return
    loop.opinion_accept(by=unit_user, opinion=case)
    loop.opinion_meeting_record(
        by=unit_user,
        opinion=case,
        met_at=timezone.now() - datetime.timedelta(hours=2),
        place="街道办事处二楼会议室",
        participants=f"{author.full_name}、{OFFICE}负责人",
        summary="当面听取代表意见，介绍改造计划和资金安排。",
    )
    loop.opinion_reply(
        by=unit_user,
        opinion=case,
        reply_class=ReplyClass.A,
        body="已将东风路路灯改造列入今年城市管理项目，全线更换LED路灯，并建立每周巡查制度。",
    )
    loop.opinion_rate(by=author, opinion=case, rating=Rating.SATISFIED)


def _contacts(street: Street, staff: User, year: int) -> None:
    for body, title, role, serials, counts in CONTACTS:
        leader = _user(f"{street.slug}_{role}") if role else None
        name = leader.full_name if leader else demo.chinese_name(random.Random(f"{street.slug}-{title}"))  # noqa: S311 - demo names
        contact = LeaderContact.objects.filter(street=street, leader_title=title).first()
        deputies = [_user(f"{street.slug}_deputy{serial}") for serial in serials]
        if contact is None:
            contact = services.leader_contact_save(
                by=staff,
                street=street,
                leader=leader,
                leader_name=name,
                leader_title=title,
                body=body,
                deputies=deputies,
            )
        for index, (deputy, count) in enumerate(zip(deputies, counts, strict=True)):
            for n in range(count):
                day = datetime.date(year, 2 + 4 * n + index % 3, 10 + index)
                if day > timezone.localdate():
                    continue
                if ContactRecord.objects.filter(contact=contact, deputy=deputy, on=day).exists():
                    continue
                services.contact_record_add(
                    by=staff,
                    contact=contact,
                    deputy=deputy,
                    on=day,
                    kind=KINDS[(n + index) % 3],
                    topic=["走访了解代表履职情况", "座谈听取辖区群众意见", "电话沟通代表建议办理进展"][(n + index) % 3],
                )


def _consultation(street: Street, staff: User, year: int) -> None:
    title = f"{year + 1}年背街小巷改造计划（征求意见稿）"
    if MeasureConsultation.objects.filter(street=street, title=title).exists():
        return
    deputies = [_user(f"{street.slug}_deputy{serial}") for serial in range(108, 113)]
    asked_on = timezone.localdate() - datetime.timedelta(days=20)
    consultation = services.consultation_create(
        by=staff,
        street=street,
        title=title,
        description="街道办事处拟对辖区12条背街小巷实施路面、排水和照明改造，现征求人大代表意见。",
        reply_by=asked_on + datetime.timedelta(days=10),
        deputies=deputies,
        asked_on=asked_on,
    )
    first = services.measure_opinion_add(
        by=deputies[0], consultation=consultation, content="建议优先改造排水问题突出的小巷。"
    )
    opinion = services.measure_opinion_add(
        by=deputies[1], consultation=consultation, content="施工期间要安排好居民出行，提前公示施工时间。"
    )
    # The deputies answered within the consultation's days, not on the day the demo was seeded.
    for days, given in ((3, first), (5, opinion)):
        MeasureOpinion.objects.filter(pk=given.pk).update(at=demo.past(asked_on + datetime.timedelta(days=days)))
    services.measure_opinion_to_case(
        by=staff, opinion=opinion, registered_at=demo.past(asked_on + datetime.timedelta(days=6))
    )
    services.consultation_respond(
        by=staff,
        consultation=consultation,
        response="采纳代表意见，将排水问题突出的5条小巷列入第一批；施工前一周张贴公示。",
    )


@demo.step(after=["supervision"])
def seed(*, background: bool = False) -> None:
    year = timezone.localdate().year
    for street in Street.objects.filter(slug__in=demo.STREET_SLUGS).order_by("pk"):
        staff = _user(f"{street.slug}_staff")
        author = _user(f"{street.slug}_deputy")
        unit_user = _user(f"{street.slug}_handling_unit")
        office = HandlingUnit.objects.get(street=street, name=OFFICE)
        cosigners = [_user(f"{street.slug}_deputy{serial}") for serial in (100, 101, 102)]
        for row in SUGGESTIONS:
            _suggestion(street, author, staff, cosigners, unit_user, office, row)
        _contacts(street, staff, year)
        _consultation(street, staff, year)
        _read_the_past(street)


def _read_the_past(street: Street) -> None:
    """The demo's people have read what they were told about suggestions; only a draft sent back still waits."""
    waiting = Suggestion.objects.filter(street=street, state=SuggestionState.SENT_BACK).values_list("pk", flat=True)
    notices = Notice.objects.filter(street=street, event_key__startswith="suggestion:", read_at__isnull=True)
    for pk in waiting:
        notices = notices.exclude(event_key__startswith=f"suggestion:{pk}:sent-back")
    notices.update(read_at=F("due_at"))
