"""Demo: every deputy a believable year of claims (confirmed, one pending, some rejected), five publicity
activities per street (three legal, one on the people's congress system, one “人大代表+”, each with its “五进”)
recorded once with their participants, and 2026's first three quarters published and final
(望春门's third with a correction request answered)."""

import base64
import datetime
import random

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from committee import demo
from committee.models import Membership, Street, User
from committee.notices.models import Notice
from committee.roles import Role
from deputies.records import services
from deputies.records.models import (
    Claim,
    ClaimEvidence,
    ClaimKind,
    ClaimParticipant,
    ClaimState,
    CorrectionKind,
    DeputyRole,
    DutyArchive,
    FiveVisitVenue,
    Quarter,
)

YEAR = 2026
# A 1×1 PNG: the photo evidence a deputy would take on the phone.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
DEEDS = ["帮助社区修好楼道路灯", "协调解决老旧小区漏水", "为困难老人联系居家养老服务", "推动背街小巷路面修补"]
LEGISLATION = [
    "参加《湖南省物业管理条例》修订座谈会",
    "对《湘乡市城市绿化管理办法》提出意见",
    "参加基层立法联系点征求意见",
]
# Publicity activities the committee organises (Art 3(1), 11(4), 19(2)–(3)): kind, topic, “五进”, “人大代表+”, audience.
PUBLICITY = [
    (ClaimKind.LEGAL_PUBLICITY, "宪法宣传周进社区", FiveVisitVenue.CONSTITUENCY, DeputyRole.LEGAL_PUBLICIST, 120),
    (ClaimKind.LEGAL_PUBLICITY, "民法典进万家", FiveVisitVenue.STATION, DeputyRole.LEGAL_PUBLICIST, 80),
    (ClaimKind.LEGAL_PUBLICITY, "防范电信诈骗普法宣传", FiveVisitVenue.ENTERPRISE, DeputyRole.LEGAL_PUBLICIST, 150),
    (ClaimKind.CONGRESS_PUBLICITY, "人民代表大会制度宣传进机关", FiveVisitVenue.ORGAN, "", 60),
    (ClaimKind.DEPUTY_PLUS, "代表当好纠纷调解员：园区劳资纠纷调解", FiveVisitVenue.PARK, DeputyRole.MEDIATOR, 30),
]


def _claim(
    street, *, kind, title, date, filed_by, people, reviewer=None, state=ClaimState.CONFIRMED, reason="", **details
):
    claim = Claim.objects.filter(street=street, kind=kind, title=title, date=date, filed_by=filed_by).first()
    if claim is not None:
        return claim
    organised = reviewer is not None and reviewer.pk == filed_by.pk
    claim = Claim.objects.create(
        street=street,
        kind=kind,
        title=title,
        date=date,
        place=street.name,
        filed_by=filed_by,
        organised=organised,
        state=state,
        reviewed_by=None if state == ClaimState.PENDING else reviewer,
        reviewed_at=None
        if state == ClaimState.PENDING
        else timezone.make_aware(datetime.datetime.combine(date, datetime.time(17))),
        reject_reason=reason,
        **details,
    )
    ClaimParticipant.objects.bulk_create([ClaimParticipant(street=street, claim=claim, person=p) for p in people])
    if not organised:
        evidence = ClaimEvidence(street=street, claim=claim, name="现场照片.png", size=len(PHOTO))
        evidence.file.save("photo.png", ContentFile(PHOTO), save=False)
        evidence.save()
    return claim


def _day(rng, start_month, end_month):
    month = rng.randint(start_month, end_month)
    return datetime.date(YEAR, month, rng.randint(1, 28))


# After the steps whose records the points are earned by (the published quarters include them).
@demo.step(
    after=["ballots", "meetings", "supervision", "activities", "constituent_reports", "governance", "livelihood_votes"]
)
def seed(*, background: bool = False) -> None:
    for street in Street.objects.filter(slug__in=demo.STREET_SLUGS).order_by("pk"):
        staff = User.objects.get(username=f"{street.slug}_staff")
        deputies = [
            m.user
            for m in Membership.objects.filter(street=street, role=Role.DEPUTY, ended_on=None)
            .select_related("user")
            .order_by("user__username")
        ]
        for index, deputy in enumerate(deputies):
            rng = random.Random(f"records:{deputy.username}")  # noqa: S311 - deterministic demo data
            for n in range(2):
                _claim(
                    street,
                    kind=ClaimKind.LEGISLATION,
                    title=LEGISLATION[(index + n) % len(LEGISLATION)],
                    date=_day(rng, 2 + 4 * n, 4 + 4 * n),
                    filed_by=deputy,
                    people=[deputy],
                    reviewer=staff,
                )
            _claim(
                street,
                kind=ClaimKind.DEED,
                title=DEEDS[index % len(DEEDS)],
                date=_day(rng, 3, 8),
                filed_by=deputy,
                people=[deputy],
                reviewer=staff,
            )
            _claim(
                street,
                kind=ClaimKind.FIVE_VISITS,
                title="“五进”活动：走访辖区企业",
                date=datetime.date(YEAR, 11, 10 + index % 15),
                venue=FiveVisitVenue.ENTERPRISE,
                filed_by=deputy,
                people=[deputy],
                state=ClaimState.PENDING,
            )
            if index % 4 == 0:
                _claim(
                    street,
                    kind=ClaimKind.DEED,
                    title="参加社区志愿服务",
                    date=_day(rng, 5, 7),
                    filed_by=deputy,
                    people=[deputy],
                    reviewer=staff,
                    state=ClaimState.REJECTED,
                    reason="属社区志愿活动，已按“五进”活动另行登记；请补充为民办实事的具体成效。",
                )
        for n, (kind, title, venue, role, audience) in enumerate(PUBLICITY):
            _claim(
                street,
                kind=kind,
                title=title,
                date=datetime.date(YEAR, 3 + 2 * n, 15),
                filed_by=staff,
                people=deputies[n * 4 : n * 4 + 10],
                reviewer=staff,
                venue=venue,
                deputy_role=role,
                audience=audience,
            )
        _publish(street, staff)
    # 望春门's demo deputy's 档案 filed as a PDF (the worker renders it after `seed_demo`).
    street = Street.objects.get(slug="wangchunmen")
    deputy = User.objects.get(username="wangchunmen_deputy")
    if not DutyArchive.objects.filter(street=street, person=deputy, year=YEAR).exists():
        staff = User.objects.get(username="wangchunmen_staff")
        services.archive_issue(by=staff, street=street, person=deputy, year=YEAR, background=background)


def _publish(street: Street, staff: User) -> None:
    for number, (published, final) in enumerate([((4, 8), (4, 20)), ((7, 8), (7, 20)), ((10, 9), (10, 21))], start=1):
        if Quarter.objects.filter(street=street, year=YEAR, number=number).exists():
            continue
        quarter = services.quarter_publish(
            by=staff, street=street, year=YEAR, number=number, on=datetime.date(YEAR, *published)
        )
        if street.slug == "wangchunmen" and number == 3:
            entry = quarter.entries.order_by("person__username", "date", "pk").first()
            if entry is not None:
                correction = services.correction_report(
                    by=entry.person,
                    quarter=quarter,
                    kind=CorrectionKind.DUPLICATE,
                    text="这次活动与另一条记录是同一件事。",
                    entry=entry,
                    on=datetime.date(YEAR, 10, 12),
                )
                services.correction_resolve(
                    by=staff, correction=correction, accept=False, reply="经核对是两次不同的活动，不属于重复。"
                )
        services.quarter_finalise(by=staff, quarter=quarter, on=datetime.date(YEAR, *final))
    # The deputies read the earlier quarters' scores and the answer to the correction long ago; the latest
    # publication is what is still unread.
    latest = Quarter.objects.filter(street=street, year=YEAR).order_by("-number").first()
    Notice.objects.filter(street=street, event_key__startswith="duty-points:", read_at__isnull=True).exclude(
        event_key=f"duty-points:{latest.pk}:published"
    ).update(read_at=F("due_at"))
