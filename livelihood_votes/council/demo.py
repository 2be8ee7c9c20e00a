"""Demo council members (Art 18(1)): each council member the core's step seats gets a term that went through the
way in (recommended or self-nominated on 1 April 2025, reviewed, noticed, confirmed by the party committee,
appointed from 18 April 2025, the day the councils were set up, for five years); per street one self-nomination
waiting for review, one person on notice now with an objection received (the public notice page shows them),
and a training in May 2025. Deterministic and idempotent: a person's record is found by street and mobile."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from committee import demo
from committee.models import Membership, Street, User
from committee.roles import Role
from livelihood_votes.council import services
from livelihood_votes.council.models import Category, CouncilMember, MemberState, Source, Tie, Training

D = datetime.date
APPLIED, REVIEWED, NOTICED, CONFIRMED = D(2025, 4, 1), D(2025, 4, 3), D(2025, 4, 3), D(2025, 4, 16)
TERM = (D(2025, 4, 18), D(2030, 4, 18))
TRAINING = (D(2025, 5, 20), "居民议事会成员履职培训", "街道人大代表联络站")
CATEGORIES = [Category.RESIDENT, Category.DEPUTY, Category.CADRE, Category.NOTABLE, Category.RESIDENT]
SOURCES = [Source.SELF_NOMINATION, Source.COMMUNITY, Source.UNIT, Source.COMMUNITY, Source.ELECTION]
RECOMMENDERS = {Source.COMMUNITY: "东风社区居委会", Source.UNIT: "湘乡市第一中学"}
NEWCOMERS = [("under_review", 230), ("on_notice", 231)]


def _person(rng: random.Random, serial: int) -> dict:
    return {
        "birth_date": D(rng.randint(1958, 1995), rng.randint(1, 12), rng.randint(1, 28)),
        "tie": Tie.LIVES if serial % 3 else Tie.WORKS,
        "tie_since": D(rng.randint(1990, 2022), rng.randint(1, 12), 1),
        "address": f"{rng.choice(['东风', '建设', '人民', '解放'])}社区{rng.randint(1, 30)}栋",
        "category": CATEGORIES[serial % len(CATEGORIES)],
    }


def _first_batch(street: Street, staff: User, party: User, background: bool) -> None:
    """A term for every council member seated without one."""
    rng = random.Random(f"council-terms-{street.slug}")  # noqa: S311 - deterministic demo data
    seated = (
        Membership.objects.filter(street=street, role=Role.COUNCIL_MEMBER, council_term__isnull=True)
        .select_related("user")
        .order_by("user__username")
    )
    entered = []
    for serial, membership in enumerate(seated):
        user, source = membership.user, SOURCES[serial % len(SOURCES)]
        entered.append(
            services.recommendation_enter(
                by=staff,
                street=street,
                full_name=user.full_name,
                mobile=user.mobile,
                user=user,
                on=APPLIED,
                source=source,
                recommended_by=RECOMMENDERS.get(source, ""),
                **_person(rng, serial),
            )
        )
    if not entered:
        return
    for member in entered:
        services.application_review(by=staff, member=member, passed=True, on=REVIEWED)
    services.notice_publish(by=staff, street=street, on=NOTICED, background=background)
    for member in entered:
        services.member_confirm(by=party, member=member, on=CONFIRMED)
        services.member_appoint(by=staff, member=member, term_starts_on=TERM[0], term_ends_on=TERM[1])


def _newcomers(street: Street, index: int, staff: User, background: bool) -> None:
    """One self-nomination waiting for review and one person on notice since yesterday, with an objection to look
    into."""
    today = timezone.localdate()
    rng = random.Random(f"council-new-{street.slug}")  # noqa: S311 - deterministic demo data
    for kind, serial in NEWCOMERS:
        mobile = demo.demo_mobile(index, serial)
        if CouncilMember.objects.filter(street=street, mobile=mobile).exists():
            continue
        member = services.application_submit(
            street=street,
            full_name=demo.chinese_name(rng),
            mobile=mobile,
            statement="退休教师，热心社区事务，愿意为居民反映意见、参与议事。",
            on=today - datetime.timedelta(days=12 if kind == "on_notice" else 2),
            **_person(rng, serial),
        )
        if kind == "on_notice":
            services.application_review(by=staff, member=member, passed=True, on=today - datetime.timedelta(days=2))
            services.notice_publish(
                by=staff, street=street, on=today - datetime.timedelta(days=1), background=background
            )
            member.refresh_from_db()
            services.objection_record(
                by=staff,
                member=member,
                content="有居民来电反映，此人已搬离本街道。",
                received_on=member.notice.starts_on,
            )


def _training(street: Street, staff: User) -> None:
    held_on, topic, place = TRAINING
    if Training.objects.filter(street=street, held_on=held_on, topic=topic).exists():
        return
    attendees = CouncilMember.objects.filter(street=street, state=MemberState.APPOINTED, term_starts_on__lte=held_on)
    if attendees.exists():
        services.training_record(
            by=staff, street=street, topic=topic, held_on=held_on, place=place, attendees=attendees
        )


@demo.step()
@transaction.atomic
def seed(*, background: bool = False) -> None:
    for index, (_name, slug, _abbreviation) in enumerate(demo.STREETS, start=1):
        street = Street.objects.get(slug=slug)
        staff = User.objects.get(username=f"{street.slug}_{Role.STAFF}")
        party = User.objects.get(username=f"{street.slug}_{Role.PARTY}")
        _first_batch(street, staff, party, background)
        _newcomers(street, index, staff, background)
        _training(street, staff)
