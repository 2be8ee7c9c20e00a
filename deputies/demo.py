"""Demo roster: every street's municipal deputies (湘乡市第十八届人民代表大会, elected 16 November 2021) get a
`Deputy` entry with a constituency (8 per street, 3 deputies each) and their election; one deputy per street came
in by a by-election (20 June 2024) and one former deputy resigned (10 September 2025). Each street's demo deputy
account has a public profile and three residents' messages: one answered and rated, one passed into the loop
(channel 码上找代表), one waiting for an answer. Idempotent: constituencies by number, deputies by person, events by
(deputy, kind, day), messages by (deputy, content). Each demo deputy account's poster PDF is rendered (by the worker
under `seed_demo`, inline in tests); under `seed_demo` each street's batch of all posters is also left to the worker."""

import datetime
import io
import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from committee import demo
from committee.models import Membership, Street, User
from committee.roles import Role
from deputies.models import (
    Constituency,
    Deputy,
    EndReason,
    EventKind,
    Level,
    PosterBatch,
    Rating,
    ResidentMessage,
    TermEvent,
)
from deputies.services import posters_request
from supervision.models import Channel, ProposerKind
from supervision.services import opinion_register

CONGRESS = "湘乡市第十八届人民代表大会"
ELECTED_ON = datetime.date(2021, 11, 16)
BY_ELECTION_ON = datetime.date(2024, 6, 20)
RESIGNED_ON = datetime.date(2025, 9, 10)

# Per street: the communities, two to a constituency (8 constituencies).
COMMUNITIES = {
    "wangchunmen": "望春门 东正街 红仑 观湘门 褚公庙 洋塘 清风 城东 桑梓 光明 金桥 八一 湘铝 莲花 虎形 平安",
    "xinxianglu": "新湘路 东山桥 大坪 龙洞 石狮 兴湘 东台 月塘 湘新 育才 西城 城西 五里 双江 建设 文化",
    "kunlunqiao": "昆仑桥 书院 红旗 南正街 涟水 城南 杨家 荷塘 河西 安澜 四方 金湖 晓霞 湘江 高坪 龙潭",
    "dongshan": "东山 东郊 东风 城北 学府 白田 育英 铁铺 洙津 仙女 水府 泉塘 湘乡站 丰乐 韶山路 长丰",
}
SECTORS = [
    "社区党委书记",
    "中学教师",
    "乡村医生",
    "个体工商户",
    "企业负责人",
    "律师",
    "环卫工人",
    "退役军人",
    "农民工",
    "社会组织负责人",
    "街道办事处副主任",
    "派出所所长",
]
LEADER_SECTORS = {"街道办事处副主任", "派出所所长"}

MESSAGES = [
    (
        "answered",
        "小区门口的路灯坏了半个月了，晚上老人出门不安全，能不能帮忙反映一下？",
        "您好，已联系社区和城管办，路灯本周五前修好，修好后请您在这里评价。",
    ),
    ("passed", "我们楼栋化粪池经常堵塞外溢，找物业几次都没解决，希望代表帮忙协调。", ""),
    ("waiting", "建议在社区菜市场旁边增设几个电动车充电桩，现在很多人在楼道里充电，很危险。", ""),
]


def _constituencies(street: Street) -> list[Constituency]:
    names = COMMUNITIES[street.slug].split()
    result = []
    for number in range(1, 9):
        pair = names[2 * number - 2 : 2 * number]
        constituency, _ = Constituency.objects.get_or_create(
            street=street,
            number=number,
            defaults={
                "name": f"{pair[0]}选区",
                "communities": "、".join(f"{n}社区" for n in pair),
                "voters": 3800 + 137 * number,
            },
        )
        result.append(constituency)
    return result


def _deputy(user: User, street: Street, constituency: Constituency, rng: random.Random) -> Deputy:
    sector = rng.choice(SECTORS)
    deputy, _ = Deputy.objects.get_or_create(
        user=user,
        defaults={
            "street": street,
            "level": Level.MUNICIPAL,
            "constituency": constituency,
            "congress": CONGRESS,
            "sector": sector,
            "leader_cadre": sector in LEADER_SECTORS,
            "reception_days": "每月第一个星期三上午（街道代表联络站）",
            "profile": f"{sector}，{constituency.name}选出的湘乡市人大代表，关注{rng.choice(['养老', '教育', '交通', '环境', '就业'])}问题。",
        },
    )
    return deputy


def _term(deputy: Deputy, kind: str, on: datetime.date, votes_cast: int) -> None:
    """The event and the deputy membership it opened, from its day (the core's step opens it on 28 March 2025)."""
    TermEvent.objects.get_or_create(
        deputy=deputy,
        kind=kind,
        on=on,
        defaults={
            "street": deputy.street,
            "congress": CONGRESS,
            "votes_cast": votes_cast,
            "votes_for": votes_cast * 87 // 100,
        },
    )
    Membership.objects.filter(user=deputy.user, street=deputy.street, role=Role.DEPUTY, ended_on__isnull=True).update(
        started_on=on
    )


def _former(street: Street, index: int, constituency: Constituency, rng: random.Random) -> None:
    user = demo.person(
        username=f"{street.slug}_deputy_former",
        full_name=demo.chinese_name(rng),
        mobile=demo.demo_mobile(index, 99),
        can_log_in=False,
    )
    deputy = _deputy(user, street, constituency, rng)
    TermEvent.objects.get_or_create(
        deputy=deputy,
        kind=EventKind.ELECTION,
        on=ELECTED_ON,
        defaults={"street": street, "congress": CONGRESS, "votes_cast": 4100, "votes_for": 3650},
    )
    TermEvent.objects.get_or_create(
        deputy=deputy,
        kind=EventKind.RESIGNATION,
        on=RESIGNED_ON,
        defaults={"street": street, "note": "因工作调动辞去代表职务，市人大常委会接受辞职。"},
    )
    Membership.objects.get_or_create(
        user=user,
        street=street,
        role=Role.DEPUTY,
        started_on=ELECTED_ON,
        defaults={"ended_on": RESIGNED_ON, "title": "湘乡市人大代表"},
    )
    Deputy.objects.filter(pk=deputy.pk).update(end_reason=EndReason.RESIGNATION, ended_on=RESIGNED_ON)


def _picture(background: tuple[int, int, int], figure: tuple[int, int, int]) -> ContentFile:
    """A small JPEG stand-in for a photo: a head and shoulders on a plain background."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 320), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((80, 60, 160, 150), fill=figure)
    draw.rectangle((50, 170, 190, 320), fill=figure)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def _account(deputy: Deputy) -> None:
    """The street's demo deputy account: a photo on their public page."""
    if not deputy.photo:
        deputy.photo.save("photo.jpg", _picture((214, 224, 236), (60, 72, 96)), save=True)


def _messages(deputy: Deputy, rng: random.Random) -> None:
    for index, (state, content, answer) in enumerate(MESSAGES):
        if ResidentMessage.objects.filter(deputy=deputy, content=content).exists():
            continue
        created = timezone.now() - datetime.timedelta(days=9 - 3 * index)
        message = ResidentMessage.objects.create(
            street=deputy.street,
            deputy=deputy,
            content=content,
            created_at=created,
            name=demo.chinese_name(rng) if index != 2 else "",
            phone=f"1375{rng.randrange(10**7):07d}",
        )
        if state == "answered":
            message.answer, message.answered_at, message.answered_by = (
                answer,
                created + datetime.timedelta(hours=5),
                deputy.user,
            )
            message.rating, message.rated_at = Rating.SATISFIED, created + datetime.timedelta(days=2)
            message.sms_sent_at = message.answered_at
        elif state == "passed":
            message.opinion = opinion_register(
                by=deputy.user,
                street=deputy.street,
                channel=Channel.QR_CONTACT,
                content=content,
                category="环境卫生",
                proposer_name=message.name,
                proposer_phone=message.phone,
                source=message,
                proposer_kind=ProposerKind.RESIDENT,
            )
        else:
            message.photo.save("photo.jpg", _picture((120, 120, 110), (70, 90, 60)), save=False)
        message.save()


@demo.step(after=["supervision"])
@transaction.atomic
def seed(*, background: bool = False) -> None:
    for index, street in enumerate(Street.objects.filter(slug__in=COMMUNITIES).order_by("pk"), start=1):
        rng = random.Random(f"deputies-{street.slug}")  # noqa: S311 - deterministic demo data
        constituencies = _constituencies(street)
        people = list(
            User.objects.filter(
                memberships__street=street, memberships__role=Role.DEPUTY, memberships__ended_on__isnull=True
            )
            .order_by("username")
            .distinct()
        )
        for serial, user in enumerate(people):
            deputy = _deputy(user, street, constituencies[serial % 8], rng)
            by_election = user.username == f"{street.slug}_deputy123"
            _term(
                deputy,
                EventKind.BY_ELECTION if by_election else EventKind.ELECTION,
                BY_ELECTION_ON if by_election else ELECTED_ON,
                constituencies[serial % 8].voters,
            )
        _former(street, index, constituencies[0], rng)
        account = Deputy.objects.filter(user__username=f"{street.slug}_{Role.DEPUTY}").first()
        if account is not None:
            _account(account)
            _messages(account, rng)
            staff = User.objects.get(username=f"{street.slug}_{Role.STAFF}")
            if not PosterBatch.objects.filter(deputy=account).exists():
                posters_request(by=staff, street=street, deputy=account, background=background)
            if background and not PosterBatch.objects.filter(street=street, deputy=None).exists():
                posters_request(by=staff, street=street)  # the street's batch: 25 pages, left to the worker
