"""Demo data for Xiangxiang's four streets, and the API every app's `demo.py` seeds through.

Each app declares its seeding step in its own `demo.py` (autodiscovered, like `compliance.py` and `todo.py`), naming
the steps whose rows it reads by their app label:

    from committee import demo

    @demo.step(after=["supervision"])          # reads the handling units supervision's step creates
    def seed(*, background: bool = False) -> None:
        ...                                    # idempotent: find rows by their natural key, leave existing ones

`seed()` runs the core's step (municipality, streets, committees, councils, people and roles) first, then every
other step once all the steps it names have run; steps that are ready together run in the order of their names, so
the order never depends on import order. No app imports another app's demo module: data another step created is
read from the database, and the shared helpers (`person`, `membership`, `chinese_name`, `demo_mobile`, `past`,
`ballot_opened_on`) live here.

`background`: whether the official documents a step issues are left to the Celery worker (`seed_demo`, so that a
fresh `make run` answers at once; the documents show as being generated) or rendered inline (tests, benchmarks).
Deterministic, so `seed_demo` can run any number of times.

`seed()` runs every step in one transaction. The quick start splits it: `seed_accounts()` (the core's step: streets
and accounts, all a login needs) before the server starts, `seed_rest()` (every other step, each committed on its
own) in the background while it serves (`seed_demo --accounts` / `--rest`, scripts/run.sh). Inside either, the
compliance grid's per-street versions are bumped once per step, not at every row written.
"""

import datetime
import functools
import random
from collections.abc import Callable, Iterable, Iterator

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from committee.compliance import cache as compliance_cache
from committee.models import Membership, Municipality, ResidentsCouncil, Street, StreetCommittee, User
from committee.roles import Role

DEMO_PASSWORD = "Renda@2025"  # noqa: S105 - the published demo password (README)
RULES_IN_FORCE = datetime.date(2025, 3, 28)
CORE = "committee"

STREETS = [
    # name, slug, abbreviation
    ("望春门街道", "wangchunmen", "望"),
    ("新湘路街道", "xinxianglu", "新"),
    ("昆仑桥街道", "kunlunqiao", "昆"),
    ("东山街道", "dongshan", "东"),
]
# Steps seed these streets only: others (`manage.py seed_scale`'s) are left alone.
STREET_SLUGS = [slug for _, slug, _ in STREETS]

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

# --- The registry of seeding steps --------------------------------------------------------------------------------
Step = Callable[..., None]
_steps: dict[str, tuple[Step, frozenset[str]]] = {}


def step(*, after: Iterable[str] = ()) -> Callable[[Step], Step]:
    """Register the decorated function as its app's seeding step (named by the app's label), to run after the
    core's step and the steps named in `after`."""

    def register(function: Step) -> Step:
        name = apps.get_containing_app_config(function.__module__).label
        registered = _steps.get(name)
        if registered and registered[0].__qualname__ != function.__qualname__:
            raise ValueError(f"The app {name!r} already has a demo step: {registered[0].__qualname__}.")
        _steps[name] = (function, frozenset(after) | ({CORE} if name != CORE else set()))
        return function

    return register


def steps() -> list[tuple[str, Step]]:
    """Every app's step in an order that respects what each one runs after (ties by name: deterministic)."""
    autodiscover_modules("demo")
    unknown = {(name, d) for name, (_, after) in _steps.items() for d in after if d not in _steps}
    if unknown:
        raise ValueError(f"Demo steps run after steps nobody registered: {sorted(unknown)}")
    done: list[str] = []
    while len(done) < len(_steps):
        ready = sorted(name for name, (_, after) in _steps.items() if name not in done and after <= set(done))
        if not ready:
            raise ValueError(f"Demo steps wait on each other: {sorted(set(_steps) - set(done))}")
        done.append(ready[0])
    return [(name, _steps[name][0]) for name in done]


@transaction.atomic
def seed(*, background: bool = False) -> list[tuple[str, str, str]]:
    """Create or refresh the whole demo in one transaction. Returns (username, full name, what the account is)
    for every login."""
    with compliance_cache.bumps_deferred():
        for _, function in steps():
            function(background=background)
        _deliver_history()
    return accounts()


def seed_accounts(*, background: bool = False) -> list[tuple[str, str, str]]:
    """The core's step alone: the municipality, the streets and every demo account, which is all a login needs.
    The quick start (`make run`) serves pages once it has run and seeds the rest meanwhile (`seed_rest`)."""
    with transaction.atomic(), compliance_cache.bumps_deferred():
        dict(steps())[CORE](background=background)
    return accounts()


def seed_rest(*, background: bool = False) -> Iterator[str]:
    """Every step but the core's (which must have run), each committed on its own so that pages served meanwhile
    show whole steps and never wait long on the database (SQLite's writer lock); yields each step's name once it
    is committed."""
    for name, function in steps():
        if name == CORE:
            continue
        with transaction.atomic(), compliance_cache.bumps_deferred():
            function(background=background)
            _deliver_history()  # before the commit, so the worker never delivers the demo's notices
        yield name


def _deliver_history() -> None:
    """What the steps notified through the services (as the product does) is the demo's past: it has been
    delivered, as the worker would after `make run`, so nothing goes out to the demo's made-up people and the
    sweep starts with nothing due. Each step decides what its people have read."""
    from committee.notices.models import Notice, NoticeState

    Notice.objects.filter(street__slug__in=STREET_SLUGS, state=NoticeState.PENDING).update(
        state=NoticeState.SENT, sent_at=models.F("due_at")
    )


def accounts() -> list[tuple[str, str, str]]:
    """Every demo account that can log in, in the order they were created, with what it is."""
    users = (
        User.objects.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)  # people who do not log in yet
        .prefetch_related("memberships__street", "memberships__municipality")
        .order_by("pk")
    )
    result = []
    for user in users:
        if user.is_superuser:
            what = "系统管理员（/admin/）"
        else:
            what = "；".join(
                f"{m.street or m.municipality} · {Role(m.role).label}" for m in user.memberships.all() if not m.ended_on
            )
        result.append((user.username, user.full_name, what))
    return result


# --- Helpers for every app's step ---------------------------------------------------------------------------------
def chinese_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(SURNAMES) + given


def demo_mobile(street_index: int, serial: int) -> str:
    return f"139{street_index:02d}{serial:06d}"


@functools.cache
def _password_hash(hashers: tuple[str, ...]) -> str:
    """The demo password hashed once per process (the production hasher costs ~0.3 s a password)."""
    return make_password(DEMO_PASSWORD)


def person(*, username: str, full_name: str, mobile: str, can_log_in: bool) -> User:
    """A demo person, found by username; a new one gets the demo password, or none if they do not log in yet."""
    password = _password_hash(tuple(settings.PASSWORD_HASHERS)) if can_log_in else make_password(None)
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"full_name": full_name, "mobile": mobile},
        create_defaults={"full_name": full_name, "mobile": mobile, "password": password},
    )
    return user


def membership(user: User, role: str, title: str, *, street=None, municipality=None) -> Membership:
    """A person's role, found by (person, street or municipality, role) and created from the day the rules came
    into force; one a later step gave other dates to (a council member's term) keeps them."""
    membership, _ = Membership.objects.update_or_create(
        user=user,
        street=street,
        municipality=municipality,
        role=role,
        defaults={"title": title},
        create_defaults={"title": title, "started_on": RULES_IN_FORCE},
    )
    return membership


def past(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment of the demo's past: `day` at `hour`, never later than today."""
    return timezone.make_aware(datetime.datetime.combine(min(day, timezone.localdate()), datetime.time(hour)))


def ballot_opened_on(ballot, day: datetime.date, hour: int = 9) -> None:
    """The engine opens a ballot now; a demo ballot is dated back to the day its meeting voted, while it is still
    open (a closed ballot is locked), so its voters' duty records (`ballot_voted`, dated by the opening) fall on
    that day and not on the day the demo was seeded."""
    from committee.ballots.models import Ballot, BallotState

    Ballot.objects.filter(pk=ballot.pk, state=BallotState.OPEN).update(opened_at=past(day, hour))


# --- The core's own step ----------------------------------------------------------------------------------------
@step()
def seed_core(*, background: bool = False) -> None:
    """The municipality, the admin and city accounts, and per street its committee, residents' council, one
    account per role, a second staff member, 24 municipal deputies and 8 more council members."""
    city, _ = Municipality.objects.update_or_create(
        name="湘乡市", defaults={"standing_committee_name": "湘乡市人民代表大会常务委员会", "short_name": "湘乡人大"}
    )
    admin = person(username="admin", full_name="系统管理员", mobile="13900000001", can_log_in=True)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save(update_fields=["is_superuser", "is_staff"])
    city_user = person(username="xiangxiang_city", full_name="谭玥", mobile="13900000002", can_log_in=True)
    membership(city_user, Role.CITY, "市人大常委会人代工委", municipality=city)

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
            user = person(
                username=f"{slug}_{role}",
                full_name=chinese_name(rng),
                mobile=demo_mobile(index, serial),
                can_log_in=True,
            )
            membership(user, role, title, street=street)
        # A second staff member, and the street's municipal deputies (who log in later, with the deputies chapter).
        second_staff = person(
            username=f"{slug}_staff2", full_name=chinese_name(rng), mobile=demo_mobile(index, 20), can_log_in=False
        )
        membership(second_staff, Role.STAFF, "人大工作干事", street=street)
        for serial in range(100, 124):
            deputy = person(
                username=f"{slug}_deputy{serial}",
                full_name=chinese_name(rng),
                mobile=demo_mobile(index, serial),
                can_log_in=False,
            )
            membership(deputy, Role.DEPUTY, "湘乡市人大代表", street=street)
        _council_members(street, index)


def _council_members(street: Street, index: int) -> None:
    """The residents' council's members besides the demo account: the meetings seat them, the appraisals score."""
    rng = random.Random(f"council-{street.slug}")  # noqa: S311 - deterministic demo names
    for serial in range(200, 208):
        member = person(
            username=f"{street.slug}_council{serial}",
            full_name=chinese_name(rng),
            mobile=demo_mobile(index, serial),
            can_log_in=False,
        )
        membership(member, Role.COUNCIL_MEMBER, "居民议事员", street=street)
