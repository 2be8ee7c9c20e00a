"""Demo 随手拍 and 12345 reports: each demo street gets three snapshots from residents (two waiting to be
assigned, one answered on the spot) and four 12345 reports by its demo deputy — one waiting for 12345's outcome,
one answered on time and rated satisfied, one answered late and rated basically satisfied, one complex (10 working
days) answered on time. Idempotent: snapshots are found by their place, reports by their ticket number."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from committee import demo
from committee.models import Street, User
from committee.roles import Role
from committee.workdays import add_working_days
from livelihood_votes.governance import services
from livelihood_votes.governance.models import HotlineReport, Snapshot
from supervision import services as loop
from supervision.models import Rating

# (place, category, description, name, phone, answered on the spot)
SNAPSHOTS = [
    (
        "{s}建设路菜市场门口",
        "环境卫生",
        "菜市场门口垃圾桶满了没人清，污水流到人行道上。",
        "李桂兰",
        "13807321234",
        False,
    ),
    ("{s}东风路公交站", "市政设施", "公交站的候车亭顶棚破了一个大洞，下雨天没法躲雨。", "", "", False),
    ("{s}文化广场", "噪音扰民", "晚上十点以后广场舞音响还很大，附近居民休息不好。", "王建国", "", True),
]
# (ticket suffix, days ago, content, place, complex, outcome after working days or None, rating)
REPORTS = [
    ("01", 3, "小区门口下水道堵塞，污水外溢。", "{s}和平社区北门", False, None, ""),
    ("02", 30, "路口红绿灯时长过短，老人过马路来不及。", "{s}湘乡大道与东风路口", False, 3, Rating.SATISFIED),
    ("03", 40, "老旧小区屋顶漏水，多户受影响。", "{s}建设社区3栋", False, 8, Rating.BASICALLY),
    ("04", 50, "沿街门面占道经营，消防通道被堵。", "{s}解放街", True, 9, ""),
]


def _photo(shade: int) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (shade, 90, 60))
    ImageDraw.Draw(image).rectangle((40, 120, 280, 220), fill=(120, 120, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")


@demo.step(after=["supervision"])
@transaction.atomic
def seed(*, background: bool = False) -> None:
    today = timezone.localdate()
    for street in Street.objects.filter(slug__in=demo.STREET_SLUGS).order_by("pk"):
        staff = User.objects.get(username=f"{street.slug}_{Role.STAFF}")
        deputy = User.objects.filter(username=f"{street.slug}_{Role.DEPUTY}").first()
        short = street.name.removesuffix("街道")
        for index, (place, category, text, name, phone, on_spot) in enumerate(SNAPSHOTS):
            place = place.format(s=short)
            if Snapshot.objects.filter(street=street, place=place).exists():
                continue
            item = services.snapshot_submit(
                street=street, photos=[_photo(60 + 40 * index)], place=place, category=category,
                description=text, name=name, phone=phone,
            )  # fmt: skip
            if on_spot:
                loop.opinion_answer_on_spot(
                    by=staff, opinion=item.opinion, answer="已联系广场管理方，晚九点半后关闭音响。"
                )
        if deputy is None:
            continue
        for suffix, days_ago, content, place, complex_, after, rating in REPORTS:
            ticket = f"12345-{street.abbreviation}-2026{suffix}"
            if HotlineReport.objects.filter(street=street, ticket_number=ticket).exists():
                continue
            reported = today - datetime.timedelta(days=days_ago)
            report = services.hotline_report_record(
                by=deputy, street=street, deputy=deputy, ticket_number=ticket, reported_on=reported,
                content=content, place=place.format(s=short), complex=complex_,
            )  # fmt: skip
            if after is not None:
                outcome_on = min(add_working_days(reported, after), today)
                services.hotline_outcome_record(
                    by=staff, report=report, outcome="已派单至责任部门处理完毕，现场已恢复。", outcome_on=outcome_on
                )
            if rating:
                services.hotline_rate(by=deputy, report=report, rating=rating)
