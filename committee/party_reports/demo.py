"""Demo quarterly reports (Art 20(1)): every street reported each quarter from 2025 Q2 (the first full quarter
under the rules) to 2026 Q3, except 昆仑桥 in 2026 Q2, so the dashboard shows a miss; 望春门 has a draft for
2026 Q4. Each is signed off (签发人) by the street's director, 新湘路's 2025 Q4 one by its vice director standing in.
Deterministic and idempotent: an existing report is left as it is."""

import datetime

from django.db import transaction

from committee import demo
from committee.models import Street, User
from committee.party_reports import services
from committee.party_reports.models import PartyReport
from committee.roles import Role

QUARTERS = [(2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)]
MISSING = ("kunlunqiao", 2026, 2)
DRAFT = ("wangchunmen", 2026, 4)
VICE_SIGNS = ("xinxianglu", 2025, 4)  # the director away: the vice director signed this one off

BODY = """一、本季度工作情况
本季度，{committee}在街道党工委的领导下，围绕街道中心工作，依法履行职责。组织召开人大街道工委会议，听取街道办事处关于民生实事项目推进情况的报告，督促有关单位办理代表和居民提出的意见建议。
（一）代表联络站活动
组织市人大代表{deputies}等进站接待群众，收集意见建议，已全部交办并跟踪督办。
（二）监督工作
围绕老旧小区改造、背街小巷整治等群众关心的问题开展视察，形成意见函交街道办事处办理。
二、存在的问题
代表履职积极性有待进一步提高，意见建议办理的跟踪反馈还需加强。
三、下季度工作安排
继续组织代表进站接待，做好民生实事项目票决的准备，按时向街道党工委报告工作。"""


def _quarter_last_week(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter, 25)


@demo.step()
@transaction.atomic
def seed(*, background: bool = False) -> None:
    for street in Street.objects.select_related("committee", "municipality").filter(
        slug__in=["wangchunmen", "xinxianglu", "kunlunqiao", "dongshan"]
    ):
        staff = User.objects.get(username=f"{street.slug}_{Role.STAFF}")
        director = User.objects.get(username=f"{street.slug}_{Role.DIRECTOR}")
        vice = User.objects.get(username=f"{street.slug}_{Role.VICE_DIRECTOR}")
        deputies = "、".join(
            User.objects.filter(memberships__street=street, memberships__role=Role.DEPUTY)
            .order_by("username")
            .values_list("full_name", flat=True)[:3]
        )
        periods = [(y, q, True) for y, q in QUARTERS if (street.slug, y, q) != MISSING]
        if street.slug == DRAFT[0]:
            periods.append((DRAFT[1], DRAFT[2], False))
        for year, quarter, submit in periods:
            if PartyReport.objects.filter(street=street, year=year, quarter=quarter).exists():
                continue
            report = services.party_report_create(
                by=staff,
                street=street,
                year=year,
                quarter=quarter,
                title=f"{street.committee.name}关于{year}年第{quarter}季度工作情况的报告",
                body=BODY.format(committee=street.committee.name, deputies=deputies),
            )
            if submit:
                services.party_report_submit(
                    by=staff,
                    report=report,
                    signed_off_by=vice if (street.slug, year, quarter) == VICE_SIGNS else director,
                    on=_quarter_last_week(year, quarter),
                    background=background,
                )
