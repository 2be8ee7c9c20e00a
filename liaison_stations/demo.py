"""Demo station network: every demo street with deputies gets its street station (master the director, deputy
master the vice director, liaison officer the staff member, a rotating deputy master for the year) and two
extensions, and a year of monthly receptions at the street station (2 deputies and the four "两官一长一员"
officials; February's is short of its prosecutor, so the flag shows): past ones with two visitors each (one
answered on the spot, one passed into the loop), summary and attendance; the next month's is planned with the
street's demo deputy on duty. The street station has the year's duty rota (the receptions' deputies on their days,
the monthly 15th in turn otherwise, and the next year's first quarter), one swap of the demo deputy's next duty waiting for approval, two photos of the
last reception held and its poster issued. Idempotent: stations by (street, name), receptions by (station, time),
the rota by year, photos and the poster once.

Art 14(3): each demo street station has its plan for the year (made in January; 昆仑桥's only in March, after
STATIONS_PLAN_DUE, so rule 14(3) flags it), its operating rules for deputies issued in January, and two trainings of
the station's post holders."""

import datetime
import io

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from committee import demo
from committee.models import Street, User
from committee.notices.models import Channel, Notice, NoticeState
from committee.roles import Role
from deputies.models import Deputy
from liaison_stations import services
from liaison_stations.models import (
    ActivityKind,
    ActivityPlan,
    LiaisonStation,
    OperatingRules,
    PlanItemKind,
    ReceiverKind,
    Reception,
    StationKind,
    SwapRequest,
)

YEAR = 2026
OFFICIALS = [
    (ReceiverKind.JUDGE, "刘法官", "湘乡市人民法院"),
    (ReceiverKind.PROSECUTOR, "陈检察官", "湘乡市人民检察院"),
    (ReceiverKind.POLICE, "周所长", "辖区派出所"),
    (ReceiverKind.JUSTICE, "吴调解员", "街道司法所"),
]
# The half-yearly themed activities with deputies gathered at the station (Art 14(5)): the second half's only.
THEMED = {9: "代表集中进站：老旧小区改造专题"}
MATTERS = [
    ("小区路灯坏了一个多月，晚上出门不安全。", "市政设施", ""),
    ("菜市场门口占道经营，早上堵得走不动。", "市容秩序", "已联系城管中队，本周内整治。"),
]


@demo.step(after=["deputies"])
@transaction.atomic
def seed(*, background: bool = False) -> None:
    for street in Street.objects.filter(pk__in=Deputy.objects.values("street_id")).order_by("pk"):
        staff = User.objects.filter(username=f"{street.slug}_{Role.STAFF}").first()
        if staff is None:
            continue
        station = _network(street, staff)
        _receptions(street, station, staff)
        if street.slug in demo.STREET_SLUGS:
            _rota(station, staff)
            _photos(station, staff)
            _poster(station, staff, background)
        _settle_notices(street)
    for street in Street.objects.filter(slug__in=demo.STREET_SLUGS).order_by("pk"):
        _plan_rules_trainings(street, background=background)


def _settle_notices(street) -> None:
    """The announcements of past receptions went out and were read long ago; the coming one's wait for their day."""
    now = timezone.now()
    notices = Notice.objects.filter(
        Q(event_key__startswith="stations.reception:") | Q(event_key__startswith="stations.swap:"),
        street=street,
        due_at__lte=now,
    )
    notices.filter(state=NoticeState.PENDING).exclude(channel=Channel.IN_APP).update(
        state=NoticeState.SENT, sent_at=now
    )
    notices.filter(read_at__isnull=True).update(read_at=now)


def _network(street, staff) -> LiaisonStation:
    deputies = list(Deputy.objects.filter(street=street, end_reason="").select_related("user").order_by("pk"))
    stations = [
        (f"{street.name}人大代表联络站", StationKind.STREET, f"{street.name}办事处一楼", True, True, False),
        (
            f"{street.name}第一选区联络点",
            StationKind.CONSTITUENCY,
            f"{street.name}第一社区服务中心",
            False,
            False,
            False,
        ),
        (f"{street.name}网上代表联络站", StationKind.ONLINE, "“湘乡人大”公众号·联络站", False, False, True),
    ]
    for index, (name, kind, address, party, legislative, budget) in enumerate(stations):
        if not LiaisonStation.objects.filter(street=street, name=name).exists():
            services.station_save(
                by=staff,
                street=street,
                name=name,
                kind=kind,
                address=address,
                opening_hours="工作日 8:30-12:00，14:30-17:30",
                contact=f"联络员 {staff.full_name}",
                party_contact_point=party,
                legislative_contact_point=legislative,
                budget_contact_point=budget,
                deputies=deputies if index == 0 else deputies[index * 8 : index * 8 + 8],
            )
    station = LiaisonStation.objects.get(street=street, kind=StationKind.STREET)
    if not station.roles.exists():
        posts = [("master", Role.DIRECTOR), ("deputy_master", Role.VICE_DIRECTOR), ("officer", Role.STAFF)]
        for kind, role in posts:
            person = User.objects.filter(username=f"{street.slug}_{role}").first()
            if person is not None:
                services.station_role_add(
                    by=staff, station=station, kind=kind, person=person, starts_on=datetime.date(YEAR, 1, 1)
                )
        if deputies:
            services.station_role_add(
                by=staff,
                station=station,
                kind="rotating",
                person=deputies[0].user,
                starts_on=datetime.date(YEAR, 1, 1),
                ends_on=datetime.date(YEAR, 12, 31),
            )
    return station


def _receptions(street, station, staff) -> None:
    deputies = list(Deputy.objects.filter(street=street, end_reason="").select_related("user").order_by("pk"))
    if len(deputies) < 2:
        return
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    account = next((d for d in deputies if d.user.username == f"{street.slug}_{Role.DEPUTY}"), deputies[0])
    for month in range(1, 13):
        starts_at = datetime.datetime(YEAR, month, 15, 9, 0, tzinfo=zone)
        if starts_at.date() > today + datetime.timedelta(days=40):
            break
        if Reception.objects.filter(station=station, starts_at=starts_at).exists():
            continue
        future = starts_at.date() >= today
        on_duty = (
            [account, deputies[-1]]
            if future
            else [deputies[(2 * month) % len(deputies)], deputies[(2 * month + 1) % len(deputies)]]
        )
        officials = [o for o in OFFICIALS if not (month == 2 and o[0] == ReceiverKind.PROSECUTOR)]
        reception = services.reception_plan(
            by=staff,
            station=station,
            starts_at=starts_at,
            theme=THEMED.get(month, f"{month}月“1+4”进站接待"),
            kind=ActivityKind.THEMED if month in THEMED else ActivityKind.RECEPTION,
            deputies=on_duty,
            officials=officials,
        )
        if future:
            continue
        receiver = on_duty[0].user
        for matter, category, answer in MATTERS:
            services.visit_register(
                by=receiver,
                reception=reception,
                name=f"居民{month:02d}{len(answer)}",
                matter=matter,
                category=category,
                answer=answer,
                pass_to_loop=not answer,
                registered_at=starts_at + datetime.timedelta(minutes=20),
            )
        services.reception_report(
            by=staff,
            reception=reception,
            summary="接待群众2人次，当场答复1件，转交办理1件。",
            attended={
                r.pk
                for r in reception.receivers.all()
                if not (month % 4 == 0 and r.kind == ReceiverKind.DEPUTY and r.person_id == on_duty[1].user_id)
            },
        )


def _rota(station, staff) -> None:
    """The year's rota of the street station: the deputies of the receptions already planned on their days, the
    monthly 15th in turn for the other months (and the next year's first quarter, for the poster's calendar); and
    one pending swap: the demo deputy's next duty, which a fellow deputy agreed to take over, waiting for staff
    approval. Each part once: the rota's dates by `rota_generate` (which leaves dates with deputies), the swap if
    the station has none."""
    candidates = {d.user_id: d for d in services.rota_candidates(station)}
    if not station.rota.filter(on_date__year=YEAR).exists():
        planned = station.receptions.filter(starts_at__year=YEAR).prefetch_related("receivers")
        for reception in planned:
            day = timezone.localtime(reception.starts_at).date()
            for receiver in reception.receivers.all():
                deputy = candidates.get(receiver.person_id)
                if receiver.kind == ReceiverKind.DEPUTY and deputy is not None:
                    services.rota_slot_add(by=staff, station=station, on_date=day, deputy=deputy)
    services.rota_generate(by=staff, station=station, year=YEAR, day=15, per_day=2)
    services.rota_generate(by=staff, station=station, year=YEAR + 1, day=15, per_day=2, months=range(1, 4))
    account = next((d for d in candidates.values() if d.user.username == f"{station.street.slug}_{Role.DEPUTY}"), None)
    if account is None or SwapRequest.objects.filter(slot__station=station).exists():
        return
    slot = station.rota.filter(deputy=account, on_date__gt=timezone.localdate()).order_by("on_date").first()
    if slot is None:
        return
    on_duty = set(station.rota.filter(on_date=slot.on_date).values_list("deputy_id", flat=True))
    partner = next((d for d in candidates.values() if d.pk not in on_duty), None)
    if partner is not None:
        swap = services.swap_ask(by=account.user, slot=slot, partner=partner, reason="当天参加市人大常委会会议")
        services.swap_answer(by=partner.user, swap=swap, agree=True)


def _photo(colour: tuple[int, int, int], n: int) -> SimpleUploadedFile:
    """A small JPEG stand-in for a photo of the day: a table and the people behind it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 200, 440, 300), fill=(120, 80, 50))
    for x in range(n):
        draw.ellipse((80 + 110 * x, 90, 140 + 110 * x, 150), fill=(60, 72, 96))
        draw.rectangle((70 + 110 * x, 150, 150 + 110 * x, 200), fill=(60, 72, 96))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(f"reception-{n}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _photos(station, staff) -> None:
    """Two photos of the last reception held."""
    last = station.receptions.filter(starts_at__lt=timezone.now()).order_by("-starts_at").first()
    if last is None:
        return
    photos = list(last.photos.all())
    if photos and all(default_storage.exists(p.image.name) for p in photos):
        return
    last.photos.all().delete()  # rows whose files went with the media folder: seed them afresh
    services.photos_add(
        by=staff,
        reception=last,
        uploads=[_photo((214, 224, 236), 3), _photo((236, 226, 214), 2)],
        caption="代表与“两官一长一员”接待群众",
    )


def _poster(station, staff, background) -> None:
    """The street station's poster, issued once."""
    from committee.documents.selectors import documents_for

    if not documents_for(station).filter(template="stations/poster_pdf.html").exists():
        services.poster_issue(by=staff, station=station, background=background)


# --- Art 14(3): plan, operating rules, trainings ----------------------------------------------------------
LATE_PLAN_STREET = "kunlunqiao"
PLAN_ITEMS = [
    *((m, PlanItemKind.RECEPTION, f"{m}月“1+4”进站接待", "每月15日上午") for m in range(1, 13)),
    (3, PlanItemKind.TRAINING, "联络站站长、联络员履职培训", "市人大常委会代表工委授课"),
    (5, PlanItemKind.THEMED, "代表集中进站：民生实事项目征集", ""),
    (9, PlanItemKind.THEMED, "代表集中进站：老旧小区改造专题", ""),
    (10, PlanItemKind.TRAINING, "进站接待与意见转办流程培训", ""),
]
RULES_TEXT = """一、进站安排
代表按年度轮值表进站，每月至少一次“1+4”接待，因故不能进站的提前三天与联络员调换。
二、接待流程
（一）提前十分钟到站，签到后查看本次接待主题和来访预约。
（二）逐一登记来访人和反映事项，记录原话；能当场答复的当场答复，不能答复的转入意见建议办理，并告知查询码。
（三）接待结束后填写接待小结。
三、跟踪反馈
转办事项由联络员跟踪办理情况，代表对办理结果进行评价。"""
TRAININGS = [
    (datetime.date(YEAR, 3, 12), "联络站站长、联络员履职培训", "湘乡市人大常委会代表工委"),
    (datetime.date(YEAR, 10, 20), "进站接待与意见转办流程培训", "街道人大工委"),
]


def _plan_rules_trainings(street, *, background: bool) -> None:
    staff = User.objects.filter(username=f"{street.slug}_{Role.STAFF}").first()
    station = LiaisonStation.objects.filter(street=street, kind=StationKind.STREET).first()
    if staff is None or station is None:
        return
    zone = timezone.get_current_timezone()
    if not ActivityPlan.objects.filter(station=station, year=YEAR).exists():
        made = datetime.date(YEAR, 3, 5) if street.slug == LATE_PLAN_STREET else datetime.date(YEAR, 1, 10)
        services.plan_save(
            by=staff,
            station=station,
            year=YEAR,
            notes="根据《实施细则》第十四条制定。",
            items=PLAN_ITEMS,
            created_at=datetime.datetime.combine(made, datetime.time(9, 0), zone),
        )
    if not OperatingRules.objects.filter(station=station).exists():
        services.operating_rules_save(by=staff, station=station, text=RULES_TEXT)
        services.operating_rules_issue(
            by=staff, station=station, background=background, issued_on=datetime.date(YEAR, 1, 8)
        )
    people = list(services.role_holders(street))
    for held_on, topic, organiser in TRAININGS:
        if not station.trainings.filter(topic=topic).exists():
            services.training_save(
                by=staff, station=station, topic=topic, held_on=held_on, organiser=organiser, attendees=people
            )
