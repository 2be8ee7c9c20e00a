"""Demo data for Xiangxiang's four streets: deterministic, so `seed_demo` can run any number of times."""

import datetime
import random

from django.db import transaction

from committee.funding import demo as funding_demo
from committee.models import Membership, Municipality, ResidentsCouncil, Street, StreetCommittee, User
from committee.notices import demo as notices_demo
from committee.party_reports import demo as party_reports_demo
from committee.roles import Role
from meetings import demo as meetings_demo
from supervision import demo as supervision_demo
from supervision.activities import demo as activities_demo

DEMO_PASSWORD = "Renda@2025"  # noqa: S105 - the published demo password (README)
RULES_IN_FORCE = datetime.date(2025, 3, 28)

STREETS = [
    # name, slug, abbreviation
    ("望春门街道", "wangchunmen", "望"),
    ("新湘路街道", "xinxianglu", "新"),
    ("昆仑桥街道", "kunlunqiao", "昆"),
    ("东山街道", "dongshan", "东"),
]

# Titles of the demo account of each role; every street gets one account per role.
DEMO_ROLES = [
    (Role.DIRECTOR, "人大街道工委主任"),
    (Role.VICE_DIRECTOR, "人大街道工委专职副主任"),
    (Role.STAFF, "专职人大工作干事"),
    (Role.PARTY, "街道党工委书记"),
    (Role.DEPUTY, "市人大代表"),
    (Role.COUNCIL_MEMBER, "居民议事员"),
    (Role.HANDLING_UNIT, "街道办事处党政综合办公室"),
]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
# Given-name characters; 喆 堃 玥 赟 are outside GB2312 and must survive every page and PDF.
GIVEN = "建国志强海军丽娟秀英桂兰春梅湘平红霞伟明晓东玉华德清文斌宏亮立新雪芳子涵浩然思远雅婷嘉怡俊杰欣怡佳琪喆堃玥赟"


def chinese_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(SURNAMES) + given


def demo_mobile(street_index: int, serial: int) -> str:
    return f"139{street_index:02d}{serial:06d}"


def _person(*, username: str, full_name: str, mobile: str, can_log_in: bool) -> User:
    user, created = User.objects.update_or_create(
        username=username, defaults={"full_name": full_name, "mobile": mobile}
    )
    if created:
        if can_log_in:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _membership(user: User, role: str, title: str, *, street=None, municipality=None) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user,
        street=street,
        municipality=municipality,
        role=role,
        ended_on=None,
        defaults={"title": title, "started_on": RULES_IN_FORCE},
    )
    return membership


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Create or refresh the demo. Returns (username, full name, what the account is) for every login."""
    accounts = []
    city, _ = Municipality.objects.update_or_create(
        name="湘乡市", defaults={"standing_committee_name": "湘乡市人民代表大会常务委员会", "short_name": "湘乡人大"}
    )
    admin = _person(username="admin", full_name="系统管理员", mobile="13900000001", can_log_in=True)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    accounts.append(("admin", admin.full_name, "系统管理员（/admin/）"))
    city_user = _person(username="xiangxiang_city", full_name="谭玥", mobile="13900000002", can_log_in=True)
    _membership(city_user, Role.CITY, "市人大常委会人代工委", municipality=city)
    accounts.append(("xiangxiang_city", city_user.full_name, "湘乡市 · 市人大常委会"))

    for index, (name, slug, abbreviation) in enumerate(STREETS, start=1):
        street, _ = Street.objects.update_or_create(
            slug=slug, defaults={"municipality": city, "name": name, "abbreviation": abbreviation}
        )
        StreetCommittee.objects.update_or_create(
            street=street, defaults={"name": f"{name}人大工委", "established_on": RULES_IN_FORCE}
        )
        ResidentsCouncil.objects.update_or_create(
            street=street, defaults={"name": f"{name}居民议事会", "established_on": datetime.date(2025, 4, 18)}
        )
        rng = random.Random(slug)  # noqa: S311 - demo names, not secrets
        for serial, (role, title) in enumerate(DEMO_ROLES, start=1):
            username = f"{slug}_{role}"
            user = _person(
                username=username, full_name=chinese_name(rng), mobile=demo_mobile(index, serial), can_log_in=True
            )
            _membership(user, role, title, street=street)
            accounts.append((username, user.full_name, f"{name} · {Role(role).label}"))
        # A second staff member, and the street's municipal deputies (who log in later, with the deputies chapter).
        second_staff = _person(
            username=f"{slug}_staff2", full_name=chinese_name(rng), mobile=demo_mobile(index, 20), can_log_in=False
        )
        _membership(second_staff, Role.STAFF, "人大工作干事", street=street)
        for serial in range(100, 124):
            deputy = _person(
                username=f"{slug}_deputy{serial}",
                full_name=chinese_name(rng),
                mobile=demo_mobile(index, serial),
                can_log_in=False,
            )
            _membership(deputy, Role.DEPUTY, "湘乡市人大代表", street=street)
    funding_demo.seed()
    party_reports_demo.seed()
    notices_demo.seed()
    supervision_demo.seed()
    activities_demo.seed()
    meetings_demo.seed()
    return accounts
