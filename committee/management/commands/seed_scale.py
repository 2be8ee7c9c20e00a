"""`manage.py seed_scale`: a province on one installation, for `make bench --scale` (not run by `make run`).

On top of the demo: `--municipalities` cities of `--streets` streets in all, each street with its committee, council,
accounts (director, vice director, two staff, party secretary, three unit officers, the first deputy: the demo
password), deputies,
handling units, cases, meetings with participants, meeting notices and audit entries. The default (500 streets in
20 cities, ~20,000 deputies) writes about 2.5 million rows with `bulk_create` in batches, one transaction per city,
in a few minutes. Deterministic (one random generator per street, fixed dates) and safe to run again: a city that
exists already is left as it is. Accounts are `scale_m01_city`, `scale001_staff`, `scale001_deputy001`, ….
"""

import datetime
import random
import time

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from committee import demo
from committee.models import AuditEntry, Membership, Municipality, ResidentsCouncil, Street, StreetCommittee, User
from committee.notices.models import Channel as NoticeChannel
from committee.notices.models import Notice, NoticeState
from committee.roles import Role
from meetings.models import Answer, Meeting, MeetingKind, MeetingState, Participant, ParticipantGroup
from supervision.models import Channel, HandlingUnit, HandlingUnitMember, Opinion, Rating, ReplyClass, State, UnitKind

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.date(2026, 12, 1)  # fixed, so two runs write the same rows
FIRST_DAY = datetime.date(2025, 4, 1)
BATCH = 5000
ACCOUNTS = [
    # role, username suffix, title
    (Role.DIRECTOR, "director", "人大街道工委主任"),
    (Role.VICE_DIRECTOR, "vice_director", "人大街道工委专职副主任"),
    (Role.STAFF, "staff", "专职人大工作干事"),
    (Role.STAFF, "staff2", "人大工作干事"),
    (Role.PARTY, "party", "街道党工委书记"),
]
UNITS = [
    ("街道办事处党政综合办公室", UnitKind.OFFICE),
    ("城市管理办公室", UnitKind.DEPARTMENT),
    ("社会事务办公室", UnitKind.DEPARTMENT),
    ("经济发展办公室", UnitKind.DEPARTMENT),
    ("平安建设办公室", UnitKind.DEPARTMENT),
    ("社区卫生服务中心", UnitKind.DEPARTMENT),
    ("派出所", UnitKind.DISPATCHED),
    ("市场监管所", UnitKind.DISPATCHED),
    ("供电所", UnitKind.DISPATCHED),
    ("市住房和城乡建设局", UnitKind.HIGHER),
]
UNIT_ACCOUNTS = 3  # the first units each have one officer who logs in
CATEGORIES = ["市政设施", "环境卫生", "交通出行", "社区服务", "物业管理", "教育医疗"]
TOPICS = ["路灯不亮", "下水道堵塞", "垃圾清运不及时", "小区停车难", "人行道破损", "噪音扰民", "健身器材损坏"]
# (state, weight): most cases are finished; a fifth are with a unit, some of them overdue.
STATES = [
    (State.CLOSED, 55),
    (State.RATED, 5),
    (State.REPLIED, 5),
    (State.IN_PROGRESS, 10),
    (State.ACCEPTED, 5),
    (State.ASSIGNED, 5),
    (State.REGISTERED, 5),
    (State.ANSWERED, 10),
]


def generator(*key) -> random.Random:
    """The same numbers on every run for the same key (a street's number and what is being generated)."""
    return random.Random("-".join(map(str, key)))  # noqa: S311 - test data, not secrets


class Command(BaseCommand):
    help = "Add a province's worth of streets and rows on top of the demo, for `make bench --scale`."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=20)
        parser.add_argument("--streets", type=int, default=500, help="in all, shared evenly by the cities")
        parser.add_argument("--deputies", type=int, default=40, help="per street")
        parser.add_argument("--cases", type=int, default=800, help="per street")
        parser.add_argument("--meetings", type=int, default=40, help="per street")
        parser.add_argument("--participants", type=int, default=25, help="per meeting (at most --deputies)")
        parser.add_argument("--audit", type=int, default=2000, help="audit entries per street")

    def handle(self, *args, **options):
        started = time.perf_counter()
        self.sizes = options
        self.password = demo._password_hash(tuple(settings.PASSWORD_HASHERS))
        self.opinion_type = ContentType.objects.get_for_model(Opinion)
        per_city = max(1, options["streets"] // options["municipalities"])
        written = 0
        for city_index in range(1, options["municipalities"] + 1):
            name = f"规模测试市{city_index:02d}"
            if Municipality.objects.filter(name=name).exists():
                continue
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit = off")
                written += self.seed_city(
                    city_index, name, range((city_index - 1) * per_city + 1, city_index * per_city + 1)
                )
            self.stdout.write(f"{name}: {written} rows so far, {time.perf_counter() - started:.0f} s")
        self.stdout.write(self.style.SUCCESS(f"规模数据已就绪：{written} 行，{time.perf_counter() - started:.0f} 秒。"))

    def seed_city(self, city_index: int, name: str, street_numbers: range) -> int:
        city = Municipality.objects.create(
            name=name, standing_committee_name=f"{name}人民代表大会常务委员会", short_name=f"规{city_index:02d}人大"
        )
        city_user = User.objects.create(
            username=f"scale_m{city_index:02d}_city", full_name=f"规模{city_index:02d}市人大", password=self.password
        )
        Membership.objects.create(
            user=city_user, municipality=city, role=Role.CITY, title="市人大常委会人代工委", started_on=FIRST_DAY
        )
        streets = Street.objects.bulk_create(
            Street(municipality=city, name=f"第{n:03d}街道", slug=f"scale-{n:03d}", abbreviation="规")
            for n in street_numbers
        )
        rows = 3 + len(streets)
        StreetCommittee.objects.bulk_create(
            StreetCommittee(street=s, name=f"{s.name}人大工作委员会", established_on=FIRST_DAY) for s in streets
        )
        ResidentsCouncil.objects.bulk_create(
            ResidentsCouncil(street=s, name=f"{s.name}居民议事会", established_on=FIRST_DAY) for s in streets
        )
        rows += 2 * len(streets)
        # People: accounts and deputies, then their roles.
        people, roles = [], []
        for number, street in zip(street_numbers, streets, strict=True):
            rng = generator(number, "people")
            for role, suffix, title in ACCOUNTS:
                people.append(
                    User(
                        username=f"scale{number:03d}_{suffix}", full_name=demo.chinese_name(rng), password=self.password
                    )
                )
                roles.append((street, role, title))
            for serial in range(1, UNIT_ACCOUNTS + 1):
                suffix = "handling_unit" if serial == 1 else f"handling_unit{serial}"
                people.append(
                    User(
                        username=f"scale{number:03d}_{suffix}", full_name=demo.chinese_name(rng), password=self.password
                    )
                )
                roles.append((street, Role.HANDLING_UNIT, UNITS[serial - 1][0]))
            for serial in range(1, self.sizes["deputies"] + 1):
                people.append(
                    User(
                        username=f"scale{number:03d}_deputy{serial:03d}",
                        full_name=demo.chinese_name(rng),
                        password=self.password if serial == 1 else UNUSABLE_PASSWORD_PREFIX + "scale",
                    )
                )
                roles.append((street, Role.DEPUTY, "市人大代表"))
        people = User.objects.bulk_create(people, batch_size=BATCH)
        Membership.objects.bulk_create(
            (
                Membership(user=user, street=street, role=role, title=title, started_on=FIRST_DAY)
                for user, (street, role, title) in zip(people, roles, strict=True)
            ),
            batch_size=BATCH,
        )
        rows += 2 * len(people)
        by_street: dict[int, dict[str, list[User]]] = {}
        for user, (street, role, _) in zip(people, roles, strict=True):
            by_street.setdefault(street.pk, {}).setdefault(role, []).append(user)
        # Handling units, with their officers.
        units = HandlingUnit.objects.bulk_create(
            HandlingUnit(street=s, name=unit_name, kind=kind) for s in streets for unit_name, kind in UNITS
        )
        units_of = {s.pk: units[i * len(UNITS) : (i + 1) * len(UNITS)] for i, s in enumerate(streets)}
        HandlingUnitMember.objects.bulk_create(
            HandlingUnitMember(street_id=street_id, unit=units_of[street_id][i], user=officer)
            for street_id, people_of in by_street.items()
            for i, officer in enumerate(people_of[Role.HANDLING_UNIT])
        )
        rows += len(units) + UNIT_ACCOUNTS * len(streets)
        rows += self.seed_cases(street_numbers, streets, units_of, by_street)
        rows += self.seed_meetings(street_numbers, streets, by_street)
        return rows

    def seed_cases(self, street_numbers, streets, units_of, by_street) -> int:
        opinions, staff_of = [], {}
        for number, street in zip(street_numbers, streets, strict=True):
            rng = generator(number, "cases")
            staff_of[street.pk] = by_street[street.pk][Role.STAFF][0]
            for serial in range(self.sizes["cases"]):
                state = rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0]
                created = datetime.datetime.combine(
                    FIRST_DAY + datetime.timedelta(days=rng.randrange((TODAY - FIRST_DAY).days)),
                    datetime.time(rng.randrange(8, 18), rng.randrange(60)),
                    SHANGHAI,
                )
                opinion = Opinion(
                    street=street,
                    channel=rng.choice(Channel.values),
                    category=rng.choice(CATEGORIES),
                    content=f"{rng.choice(TOPICS)}，请尽快处理（规模测试 {number:03d}-{serial:05d}）。",
                    proposer_name=demo.chinese_name(rng),
                    state=state,
                    tracking_code=f"0{number:04d}{serial:06d}",
                    registered_by=staff_of[street.pk],
                    created_at=created,
                )
                if state not in (State.REGISTERED, State.ANSWERED):
                    opinion.unit = rng.choice(units_of[street.pk])
                    opinion.assigned_on = created.date() + datetime.timedelta(days=2)
                    opinion.deadline = opinion.assigned_on + datetime.timedelta(days=rng.choice((15, 30, 60)))
                if state in (State.REPLIED, State.RATED, State.CLOSED):
                    opinion.replied_on = min(opinion.deadline, TODAY)
                    opinion.reply_class = rng.choice(ReplyClass.values)
                if state in (State.RATED, State.CLOSED):
                    opinion.rating = rng.choice(Rating.values)
                    opinion.rated_at = created + datetime.timedelta(days=20)
                if state == State.CLOSED:
                    opinion.closed_on = opinion.replied_on
                opinions.append(opinion)
        opinions = Opinion.objects.bulk_create(opinions, batch_size=BATCH)
        entries = []
        per_street = self.sizes["cases"]
        for index, street in enumerate(streets):
            rng = generator(street_numbers[index], "audit")
            mine = opinions[index * per_street : (index + 1) * per_street]
            for _ in range(self.sizes["audit"] if mine else 0):
                opinion = rng.choice(mine)
                entries.append(
                    AuditEntry(
                        content_type=self.opinion_type,
                        object_pk=str(opinion.pk),
                        object_id=opinion.pk,
                        object_repr=f"意见建议 {opinion.tracking_code}",
                        action=AuditEntry.Action.UPDATE,
                        changes={"state": [State.ASSIGNED, State.ACCEPTED]},
                        actor=staff_of[street.pk],
                        street=street,
                        timestamp=opinion.created_at + datetime.timedelta(minutes=rng.randrange(60 * 24 * 30)),
                        additional_data={"street_id": street.pk},
                    )
                )
        AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
        return len(opinions) + len(entries)

    def seed_meetings(self, street_numbers, streets, by_street) -> int:
        meetings = []
        for number, street in zip(street_numbers, streets, strict=True):
            rng = generator(number, "meetings")
            for serial in range(self.sizes["meetings"]):
                day = TODAY - datetime.timedelta(days=14 * (self.sizes["meetings"] - serial) - 28)
                held = day < TODAY
                meetings.append(
                    Meeting(
                        street=street,
                        kind=MeetingKind.COMMITTEE if serial % 3 else MeetingKind.COUNCIL,
                        title=f"第{serial + 1}次会议",
                        date=day,
                        time=datetime.time(9, 30),
                        place=rng.choice(["工委会议室", "社区议事厅", "代表联络站"]),
                        state=MeetingState.HELD if held else MeetingState.NOTIFIED,
                        notice_sent_on=day - datetime.timedelta(days=12),
                        created_by=by_street[street.pk][Role.STAFF][0],
                    )
                )
        meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        participants, notices = [], []
        for index, meeting in enumerate(meetings):
            rng = generator(street_numbers[index // self.sizes["meetings"]], "participants", index)
            deputies = by_street[meeting.street_id][Role.DEPUTY]
            sent = datetime.datetime.combine(meeting.notice_sent_on, datetime.time(9), SHANGHAI)
            for user in rng.sample(deputies, min(self.sizes["participants"], len(deputies))):
                answer = rng.choices(Answer.values, [1, 8, 1])[0]
                participants.append(
                    Participant(
                        street_id=meeting.street_id,
                        meeting=meeting,
                        user=user,
                        name=user.full_name,
                        position="市人大代表",
                        group=ParticipantGroup.MEMBER,
                        answer=answer,
                        leave_reason="外出学习" if answer == Answer.LEAVE else "",
                        answered_at=None if answer == Answer.PENDING else sent + datetime.timedelta(hours=5),
                        signed_in_at=sent + datetime.timedelta(days=12)
                        if answer == Answer.ATTEND and meeting.state == MeetingState.HELD
                        else None,
                    )
                )
                notices.append(
                    Notice(
                        street_id=meeting.street_id,
                        kind="meeting_notice",
                        event_key=f"meeting:{meeting.pk}:v1:notice",
                        recipient=user,
                        channel=NoticeChannel.IN_APP,
                        title=f"会议通知：{meeting.title}",
                        link=meeting.get_absolute_url(),
                        due_at=sent,
                        state=NoticeState.SENT,
                        sent_at=sent,
                        read_at=None if answer == Answer.PENDING else sent + datetime.timedelta(hours=5),
                        confirmed_at=None if answer == Answer.PENDING else sent + datetime.timedelta(hours=5),
                    )
                )
        Participant.objects.bulk_create(participants, batch_size=BATCH)
        Notice.objects.bulk_create(notices, batch_size=BATCH)
        return len(meetings) + len(participants) + len(notices)
