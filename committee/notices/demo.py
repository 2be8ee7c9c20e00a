"""Demo notices: a few per demo account, some read, some confirmed, one failed SMS per street, so the inbox,
the badge, the sign-off view and the failed list look alive. Deterministic and idempotent (fixed times, rows
keyed by the notice's unique constraint); nothing is enqueued."""

import datetime

from django.utils import timezone

from committee import demo
from committee.models import Street, User
from committee.notices.models import Channel, Notice, NoticeState

DEMO_ROLES = ("director", "vice_director", "staff", "party", "deputy", "council_member", "handling_unit")

# event, kind, title, body, days before 2025-11-20, read, confirmed
EVENTS = [
    (
        "demo:{slug}:2025q4-meeting",
        "meeting_notice",
        "关于召开2025年第四季度人大街道工委会议的通知",
        "定于12月1日上午9时在街道三楼会议室召开工委会议，请准时参加。",
        10,
        True,
        True,
    ),
    (
        "demo:{slug}:station-duty",
        "reminder",
        "提醒：本月代表联络站进站接待安排（期限 2025年11月28日）",
        "请按“1+4”安排完成本月进站接待并登记接待情况。",
        3,
        True,
        False,
    ),
    (
        "demo:{slug}:rules-study",
        "notice",
        "请学习《湘乡市人大常委会街道工作委员会工作实施细则》",
        "细则自2025年3月28日起施行，请各位认真学习并对照履职。",
        1,
        False,
        False,
    ),
]
BASE = datetime.datetime(2025, 11, 20, 9, 0)


def _at(days_before: int) -> datetime.datetime:
    return timezone.make_aware(BASE - datetime.timedelta(days=days_before))


@demo.step()
def seed(*, background: bool = False) -> None:
    for street in Street.objects.filter(slug__in=["wangchunmen", "xinxianglu", "kunlunqiao", "dongshan"]):
        people = list(User.objects.filter(username__in=[f"{street.slug}_{role}" for role in DEMO_ROLES]))
        for event, kind, title, body, days, read, confirmed in EVENTS:
            sent_at = _at(days)
            for user in people:
                Notice.objects.update_or_create(
                    event_key=event.format(slug=street.slug),
                    recipient=user,
                    channel=Channel.IN_APP,
                    kind=kind,
                    defaults={
                        "street": street,
                        "title": title,
                        "body": body,
                        "due_at": sent_at,
                        "state": NoticeState.SENT,
                        "sent_at": sent_at,
                        "read_at": sent_at + datetime.timedelta(hours=1) if read else None,
                        "confirmed_at": sent_at + datetime.timedelta(hours=2) if confirmed else None,
                    },
                )
        deputy = next((p for p in people if p.username == f"{street.slug}_deputy"), None)
        if deputy is not None:
            sent_at = _at(10)
            Notice.objects.update_or_create(
                event_key=f"demo:{street.slug}:2025q4-meeting",
                recipient=deputy,
                channel=Channel.SMS,
                kind="meeting_notice",
                defaults={
                    "street": street,
                    "title": EVENTS[0][2],
                    "body": EVENTS[0][3],
                    "due_at": sent_at,
                    "state": NoticeState.FAILED,
                    "attempts": 5,
                    "last_error": "短信网关返回 503",
                },
            )
